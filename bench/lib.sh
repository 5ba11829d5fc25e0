# Shared by the bench scripts (sourced, not run). bench/run-bridge.sh, bench/run-models.sh and bench/run-runtime.sh
# use its JDK discovery, test-compile with the JMH BenchmarkList check, a private copy of the compiled classes and
# the test class path, and the JMH default options; bench/run-withheld-voices.sh and bench/run-praat-hillenbrand.sh
# its bundle-measuring helpers (bench_layout_units, bench_eval_row).
#
# The sourcing script sets, before calling bench_prepare:
#   BENCH_NAME    prefix of the messages, e.g. run-models
#   BENCH_MODULE  the Maven module whose benchmarks run, e.g. models
# and gets ROOT (project root), MODULE (module directory), JAVA (a JDK >= 21), SNAP (temporary directory,
# removed on exit) and CP (the module's test class path, its own test classes first); bench_jmh_defaults sets
# RESULT and DEFAULTS.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

bench_die() { # prints "$BENCH_NAME: $*" to stderr and exits 1
  echo "$BENCH_NAME: $*" >&2
  exit 1
}

# find_java, java_major: shared with ./pnn and the release launcher
# shellcheck source=../src/dist/bin/pnn-java.sh
source "$ROOT/src/dist/bin/pnn-java.sh"

# mvn test-compile of $BENCH_MODULE and the modules it needs, writing the module's test class path (reactor
# modules as their target/classes and target/test-classes directories) to $SNAP/deps.txt.
bench_compile_once() {
  (cd "$ROOT" && mvn -q -B -pl "$BENCH_MODULE" -am test-compile dependency:build-classpath \
    -Dmdep.includeScope=test -Dmdep.outputFile="$SNAP/deps.txt")
}

# Sets ROOT/MODULE/JAVA, compiles (once more from scratch when the JMH BenchmarkList is missing), copies the
# compiled classes to $SNAP and sets CP.
bench_prepare() {
  MODULE="$ROOT/$BENCH_MODULE"
  JAVA="$(find_java)" || bench_die "no Java 21 or newer found (tried JAVA_HOME, PATH, /usr/lib/jvm)"
  command -v mvn >/dev/null 2>&1 || bench_die "Maven (mvn) is needed"

  # Run from a private copy of the compiled classes, so a rebuild (or mvn clean) during the run cannot pull
  # classes from under the forked benchmark JVMs.
  SNAP="$(mktemp -d "${TMPDIR:-/tmp}/pnn-bench.XXXXXX")"
  trap 'rm -rf "$SNAP"' EXIT

  echo "$BENCH_NAME: compiling (mvn test-compile)..." >&2
  bench_compile_once
  if [[ ! -f "$MODULE/target/test-classes/META-INF/BenchmarkList" ]]; then
    # Test classes compiled before the JMH annotation processor was enabled: rebuild them once.
    echo "$BENCH_NAME: no JMH BenchmarkList in target/test-classes; recompiling the test classes" >&2
    rm -rf "$MODULE/target/test-classes"
    bench_compile_once
    [[ -f "$MODULE/target/test-classes/META-INF/BenchmarkList" ]] \
      || bench_die "JMH annotation processing did not run (see $BENCH_MODULE/pom.xml)"
  fi

  cp -r "$MODULE/target/classes" "$SNAP/classes"
  cp -r "$MODULE/target/test-classes" "$SNAP/test-classes"
  # Upstream modules (firmware-bridge, models) as just compiled, in class path order; firmware-bridge's test classes
  # (the test-jar: JmhSummary) without their JMH BenchmarkList/CompilerHints, so that JMH only sees this module's.
  local entry rel dir kind copy
  local path=()
  local IFS=':'
  for entry in $(cat "$SNAP/deps.txt"); do
    rel="${entry#"$ROOT"/}"
    if [[ "$rel" != "$entry" && "$rel" =~ ^([^/]+)/target/(classes|test-classes)$ ]]; then
      dir="${BASH_REMATCH[1]}"
      kind="${BASH_REMATCH[2]}"
      copy="$SNAP/$dir-$kind"
      cp -r "$entry" "$copy"
      [[ "$kind" == test-classes ]] && rm -f "$copy/META-INF/BenchmarkList" "$copy/META-INF/CompilerHints"
      path+=("$copy")
    else
      path+=("$entry")
    fi
  done
  CP="$SNAP/test-classes:$SNAP/classes${path[*]+:${path[*]}}"
}

bench_banner() { # the JDK and the CPU count, to stderr
  echo "$BENCH_NAME: $("$JAVA" -version 2>&1 | head -1) at $JAVA; $(nproc) CPUs" >&2
}

# Sets RESULT (bench/results/$1-<timestamp>.json, announced on stderr) and DEFAULTS, the JMH default options
# (PNN_BENCH_DEFAULTS or 3 forks x (3 + 5 iterations of 1 s), GC profiler, JSON results to RESULT) minus every
# option also given in the remaining arguments (the command line): JMH itself refuses most options twice.
bench_jmh_defaults() {
  local prefix="$1"
  shift
  mkdir -p "$ROOT/bench/results"
  RESULT="$ROOT/bench/results/$prefix-$(date -u +%Y%m%dT%H%M%SZ).json"
  local PAIRS given a i
  read -r -a PAIRS <<< "${PNN_BENCH_DEFAULTS:--f 3 -wi 3 -i 5 -w 1s -r 1s -prof gc -rf json -rff $RESULT}"
  DEFAULTS=()
  for ((i = 0; i + 1 < ${#PAIRS[@]}; i += 2)); do
    given=0
    for a in "$@"; do [[ "$a" == "${PAIRS[i]}" ]] && given=1; done
    (( given )) || DEFAULTS+=("${PAIRS[i]}" "${PAIRS[i+1]}")
  done
  echo "$BENCH_NAME: results -> $RESULT" >&2
}

# The features a bundle is measured on from WAVs (bench/run-withheld-voices.sh, bench/run-praat-hillenbrand.sh):
# bench_layout_units PNN BUNDLE TRUST sets layout (the bundle's feature layout, hz12 when it names none) and units
# (what `pnn data wavs --units` makes for it: G from the talker's earlier words for talker13, PAT units for hz12).
bench_layout_units() {
  layout="$("$1" verify --bundle "$2" --trust "$3" --json \
    | python3 -c 'import json,sys; print(json.load(sys.stdin).get("feature_layout") or "hz12")')" \
    || bench_die "$2 does not verify with $3"
  case "$layout" in
    talker13) units=talker13-running ;;
    hz12) units=pat ;;
    *) units="$layout" ;;
  esac
}

# bench_eval_row NAME JSON: one Markdown table row from `pnn eval --sessions N --json`:
# | NAME | n | mean ± SD of the passes | lowest–highest session |
bench_eval_row() {
  python3 -c '
import json, sys
j = json.loads(sys.argv[2]); s = list(j["sessions"].values())
print("| %s | %d | %.1f %% ± %.1f | %.1f–%.1f %% |" % (sys.argv[1], j["n"], 100 * j["accuracy"],
      100 * j["accuracy_std"], 100 * min(s), 100 * max(s)))' "$1" "$2"
}
