#!/usr/bin/env bash
# Runs the models benchmarks and prints summaries for BENCHMARKS.md ("models" section).
#
#   bench/run-models.sh                        # JMH: twin forward/VJP, PNN training step (about 5 minutes on 2 cores)
#   bench/run-models.sh TwinBenchmark          # only JMH benchmarks matching a regexp
#   bench/run-models.sh -f 5 -p mode=pat       # any JMH option; later options override the defaults below
#   bench/run-models.sh --wallclock            # wall-clock harness: twin fit on 20,000 measurements, PAT epoch
#                                              # time at timing zero and realistic (about 70 s on 2 cores)
#   bench/run-models.sh --wallclock --runs 5 --epochs 20 --skip-realistic   # harness options, see ModelsWallClock
#
# JMH classes: models/src/test/java/org/pnnedge/models/jmh/TwinBenchmark.java and
# models/src/test/java/org/pnnedge/models/pnn/PnnStepBenchmark.java (runner: org.pnnedge.models.jmh.ModelsBench).
# JMH defaults: 3 forks x (3 warm-up + 5 measurement iterations of 1 s), GC profiler (bytes allocated per op),
# JSON results in bench/results/models-<timestamp>.json. Replace the defaults wholesale with PNN_BENCH_DEFAULTS
# (option/value pairs, e.g. PNN_BENCH_DEFAULTS="-f 1 -i 3").
# Needs Maven and a JDK >= 21 (JAVA_HOME, PATH or /usr/lib/jvm are searched, newest first, like ./pnn).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
MODULE="$ROOT/models"

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

JAVA="$(find_java)" || { echo "run-models: no Java 21 or newer found (tried JAVA_HOME, PATH, /usr/lib/jvm)" >&2; exit 1; }
command -v mvn >/dev/null 2>&1 || { echo "run-models: Maven (mvn) is needed" >&2; exit 1; }

echo "run-models: compiling (mvn test-compile)..." >&2
(cd "$ROOT" && mvn -q -B -pl models -am test-compile)
if [[ ! -f "$MODULE/target/test-classes/META-INF/BenchmarkList" ]]; then
  # Test classes compiled before the JMH annotation processor was enabled: rebuild them once.
  echo "run-models: no JMH BenchmarkList in target/test-classes; recompiling the test classes" >&2
  rm -rf "$MODULE/target/test-classes"
  (cd "$ROOT" && mvn -q -B -pl models -am test-compile)
  [[ -f "$MODULE/target/test-classes/META-INF/BenchmarkList" ]] \
    || { echo "run-models: JMH annotation processing did not run (see models/pom.xml)" >&2; exit 1; }
fi

# Run from a private copy of the compiled classes, so a rebuild (or mvn clean) during the run cannot pull
# classes from under the forked benchmark JVMs.
SNAP="$(mktemp -d "${TMPDIR:-/tmp}/pnn-bench.XXXXXX")"
trap 'rm -rf "$SNAP"' EXIT
cp -r "$MODULE/target/classes" "$SNAP/classes"
cp -r "$MODULE/target/test-classes" "$SNAP/test-classes"
# firmware-bridge as just compiled, ahead of the (possibly older) installed jar on the dependency class path
cp -r "$ROOT/firmware-bridge/target/classes" "$SNAP/bridge-classes"
(cd "$MODULE" && mvn -q -B dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$SNAP/deps.txt" >/dev/null)
CP="$SNAP/test-classes:$SNAP/classes:$SNAP/bridge-classes:$(cat "$SNAP/deps.txt")"

echo "run-models: $("$JAVA" -version 2>&1 | head -1) at $JAVA; $(nproc) CPUs" >&2
if [[ "${1:-}" == "--wallclock" ]]; then
  shift
  # Run from the project root so ../shared/data/vowels/train.csv is found when present.
  cd "$ROOT"
  exec "$JAVA" -Xmx1g -cp "$CP" org.pnnedge.models.jmh.ModelsWallClock "$@"
fi

mkdir -p "$ROOT/bench/results"
RESULT="$ROOT/bench/results/models-$(date -u +%Y%m%dT%H%M%SZ).json"
# Defaults as option/value pairs; an option given on the command line replaces its default (JMH itself
# refuses most options twice).
read -r -a PAIRS <<< "${PNN_BENCH_DEFAULTS:--f 3 -wi 3 -i 5 -w 1s -r 1s -prof gc -rf json -rff $RESULT}"
DEFAULTS=()
for ((i = 0; i + 1 < ${#PAIRS[@]}; i += 2)); do
  given=0
  for a in "$@"; do [[ "$a" == "${PAIRS[i]}" ]] && given=1; done
  (( given )) || DEFAULTS+=("${PAIRS[i]}" "${PAIRS[i+1]}")
done

echo "run-models: results -> $RESULT" >&2
cd "$ROOT"
"$JAVA" -cp "$CP" org.pnnedge.models.jmh.ModelsBench ${DEFAULTS[@]+"${DEFAULTS[@]}"} "$@"
