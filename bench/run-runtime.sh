#!/usr/bin/env bash
# Runs the runtime benchmarks and prints summaries for BENCHMARKS.md ("runtime" section).
#
#   bench/run-runtime.sh                       # JMH: InferenceEngine.classify, the device shot alone, EdgeService.classify,
#                                              # classify through the control socket (about 4 minutes on 2 cores)
#   bench/run-runtime.sh InferenceBenchmark    # only JMH benchmarks matching a regexp
#   bench/run-runtime.sh -f 5 -i 10            # any JMH option; later options override the defaults below
#   bench/run-runtime.sh --wallclock           # wall-clock harness: inferences/s at realistic device timing, RSS and heap
#                                              # of a running `./pnn run`, cold start to first inference (about 3 minutes)
#   bench/run-runtime.sh --wallclock --runs 3 --cold-runs 3 --skip-inprocess --jvm-opts "pi=-Xmx64m -XX:+UseSerialGC"
#
# JMH classes: runtime/src/test/java/org/pnnedge/runtime/jmh/{InferenceBenchmark,ServiceBenchmark}.java (runner:
# org.pnnedge.runtime.jmh.RuntimeBench); harness: runtime/src/test/java/org/pnnedge/runtime/jmh/RuntimeWallClock.java.
# JMH defaults: 3 forks x (3 warm-up + 5 measurement iterations of 1 s), GC profiler (bytes allocated per op),
# JSON results in bench/results/runtime-<timestamp>.json. Replace the defaults wholesale with PNN_BENCH_DEFAULTS
# (option/value pairs, e.g. PNN_BENCH_DEFAULTS="-f 1 -i 3").
# Needs Maven and a JDK >= 21 (JAVA_HOME, PATH or /usr/lib/jvm are searched, newest first, like ./pnn); the
# harness also needs jcmd (from the same JDK) and builds the ./pnn jars first if they are missing or stale.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
MODULE="$ROOT/runtime"

java_major() { # prints the feature version of the java binary $1, or 0
  "$1" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2; exit}' | cut -d. -f1 || echo 0
}

find_java() {
  local c v
  local candidates=()
  [[ -n "${JAVA_HOME:-}" ]] && candidates+=("$JAVA_HOME/bin/java")
  command -v java >/dev/null 2>&1 && candidates+=("$(command -v java)")
  for d in $(ls -d /usr/lib/jvm/*/ 2>/dev/null | sort -rV); do candidates+=("${d%/}/bin/java"); done
  for c in "${candidates[@]}"; do
    [[ -x "$c" ]] || continue
    v="$(java_major "$c")"
    if [[ "$v" =~ ^[0-9]+$ ]] && (( v >= 21 )); then echo "$c"; return 0; fi
  done
  return 1
}

JAVA="$(find_java)" || { echo "run-runtime: no Java 21 or newer found (tried JAVA_HOME, PATH, /usr/lib/jvm)" >&2; exit 1; }
command -v mvn >/dev/null 2>&1 || { echo "run-runtime: Maven (mvn) is needed" >&2; exit 1; }

echo "run-runtime: compiling (mvn test-compile)..." >&2
(cd "$ROOT" && mvn -q -B -pl runtime -am test-compile)
if [[ ! -f "$MODULE/target/test-classes/META-INF/BenchmarkList" ]]; then
  # Test classes compiled before the JMH annotation processor was enabled: rebuild them once.
  echo "run-runtime: no JMH BenchmarkList in target/test-classes; recompiling the test classes" >&2
  rm -rf "$MODULE/target/test-classes"
  (cd "$ROOT" && mvn -q -B -pl runtime -am test-compile)
  [[ -f "$MODULE/target/test-classes/META-INF/BenchmarkList" ]] \
    || { echo "run-runtime: JMH annotation processing did not run (see runtime/pom.xml)" >&2; exit 1; }
fi

# Run from a private copy of the compiled classes, so a rebuild (or mvn clean) during the run cannot pull
# classes from under the forked benchmark JVMs.
SNAP="$(mktemp -d "${TMPDIR:-/tmp}/pnn-bench.XXXXXX")"
trap 'rm -rf "$SNAP"' EXIT
cp -r "$MODULE/target/classes" "$SNAP/classes"
cp -r "$MODULE/target/test-classes" "$SNAP/test-classes"
# models and firmware-bridge as just compiled, ahead of the (possibly older) installed jars on the dependency class path
cp -r "$ROOT/models/target/classes" "$SNAP/models-classes"
cp -r "$ROOT/firmware-bridge/target/classes" "$SNAP/bridge-classes"
(cd "$MODULE" && mvn -q -B dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$SNAP/deps.txt" >/dev/null)
CP="$SNAP/test-classes:$SNAP/classes:$SNAP/models-classes:$SNAP/bridge-classes:$(cat "$SNAP/deps.txt")"

echo "run-runtime: $("$JAVA" -version 2>&1 | head -1) at $JAVA; $(nproc) CPUs" >&2
if [[ "${1:-}" == "--wallclock" ]]; then
  shift
  # Run from the project root so ../shared/data/vowels/train.csv is found when present. The harness launches
  # ./pnn run; build its jars now (./pnn builds them when missing or older than the sources) so that no cold
  # start includes a build.
  cd "$ROOT"
  echo "run-runtime: making sure the ./pnn jars are built..." >&2
  ./pnn --version >/dev/null
  exec "$JAVA" -Xmx1g -cp "$CP" org.pnnedge.runtime.jmh.RuntimeWallClock "$@"
fi

mkdir -p "$ROOT/bench/results"
RESULT="$ROOT/bench/results/runtime-$(date -u +%Y%m%dT%H%M%SZ).json"
# Defaults as option/value pairs; an option given on the command line replaces its default (JMH itself
# refuses most options twice).
read -r -a PAIRS <<< "${PNN_BENCH_DEFAULTS:--f 3 -wi 3 -i 5 -w 1s -r 1s -prof gc -rf json -rff $RESULT}"
DEFAULTS=()
for ((i = 0; i + 1 < ${#PAIRS[@]}; i += 2)); do
  given=0
  for a in "$@"; do [[ "$a" == "${PAIRS[i]}" ]] && given=1; done
  (( given )) || DEFAULTS+=("${PAIRS[i]}" "${PAIRS[i+1]}")
done

echo "run-runtime: results -> $RESULT" >&2
cd "$ROOT"
"$JAVA" -cp "$CP" org.pnnedge.runtime.jmh.RuntimeBench ${DEFAULTS[@]+"${DEFAULTS[@]}"} "$@"
