#!/usr/bin/env bash
# Runs the firmware-bridge JMH benchmarks (firmware-bridge/src/test/java/org/pnnedge/bridge/bench) and prints a
# per-fork summary (median, min, max, bytes allocated per op) plus the SPI wire-time floor; see BENCHMARKS.md.
#
#   bench/run-bridge.sh                       # everything, default settings (about 6 minutes on 2 cores)
#   bench/run-bridge.sh InProcess             # only benchmarks matching a regexp
#   bench/run-bridge.sh -p kind=shg -f 5      # any JMH option; later options override the defaults below
#
# Defaults: 3 forks x (3 warm-up + 5 measurement iterations of 1 s), GC profiler (allocation per op), JSON
# results in bench/results/bridge-<timestamp>.json. Replace the defaults wholesale with PNN_BENCH_DEFAULTS
# (option/value pairs, e.g. PNN_BENCH_DEFAULTS="-f 1 -i 3").
# Needs Maven and a JDK >= 21 (JAVA_HOME, PATH or /usr/lib/jvm are searched, newest first, like ./pnn).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
MODULE="$ROOT/firmware-bridge"

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

JAVA="$(find_java)" || { echo "run-bridge: no Java 21 or newer found (tried JAVA_HOME, PATH, /usr/lib/jvm)" >&2; exit 1; }
command -v mvn >/dev/null 2>&1 || { echo "run-bridge: Maven (mvn) is needed" >&2; exit 1; }

echo "run-bridge: compiling (mvn test-compile)..." >&2
(cd "$ROOT" && mvn -q -B -pl firmware-bridge -am test-compile)
if [[ ! -f "$MODULE/target/test-classes/META-INF/BenchmarkList" ]]; then
  # Test classes compiled before the JMH annotation processor was enabled: rebuild them once.
  echo "run-bridge: no JMH BenchmarkList in target/test-classes; recompiling the test classes" >&2
  rm -rf "$MODULE/target/test-classes"
  (cd "$ROOT" && mvn -q -B -pl firmware-bridge -am test-compile)
  [[ -f "$MODULE/target/test-classes/META-INF/BenchmarkList" ]] \
    || { echo "run-bridge: JMH annotation processing did not run (see firmware-bridge/pom.xml)" >&2; exit 1; }
fi

# Run from a private copy of the compiled classes, so a rebuild (or mvn clean) during the run cannot pull
# classes from under the forked benchmark JVMs.
SNAP="$(mktemp -d "${TMPDIR:-/tmp}/pnn-bench.XXXXXX")"
trap 'rm -rf "$SNAP"' EXIT
cp -r "$MODULE/target/classes" "$SNAP/classes"
cp -r "$MODULE/target/test-classes" "$SNAP/test-classes"
(cd "$MODULE" && mvn -q -B dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$SNAP/deps.txt" >/dev/null)
CP="$SNAP/test-classes:$SNAP/classes:$(cat "$SNAP/deps.txt")"

mkdir -p "$ROOT/bench/results"
RESULT="$ROOT/bench/results/bridge-$(date -u +%Y%m%dT%H%M%SZ).json"
# Defaults as option/value pairs; an option given on the command line replaces its default (JMH itself
# refuses most options twice).
read -r -a PAIRS <<< "${PNN_BENCH_DEFAULTS:--f 3 -wi 3 -i 5 -w 1s -r 1s -prof gc -rf json -rff $RESULT}"
DEFAULTS=()
for ((i = 0; i + 1 < ${#PAIRS[@]}; i += 2)); do
  given=0
  for a in "$@"; do [[ "$a" == "${PAIRS[i]}" ]] && given=1; done
  (( given )) || DEFAULTS+=("${PAIRS[i]}" "${PAIRS[i+1]}")
done

echo "run-bridge: $("$JAVA" -version 2>&1 | head -1) at $JAVA; $(nproc) CPUs" >&2
echo "run-bridge: results -> $RESULT" >&2
"$JAVA" -cp "$CP" org.pnnedge.bridge.bench.BridgeBench ${DEFAULTS[@]+"${DEFAULTS[@]}"} "$@"
