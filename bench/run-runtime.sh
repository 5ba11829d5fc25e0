#!/usr/bin/env bash
# Runs the runtime benchmarks and prints summaries for BENCHMARKS.md ("runtime" section).
#
#   bench/run-runtime.sh                       # JMH: InferenceEngine.classify, the device shot alone, the hearing bundle,
#                                              # EdgeService.classify, classify through the control socket (about 6
#                                              # minutes on 2 cores)
#   bench/run-runtime.sh InferenceBenchmark    # only JMH benchmarks matching a regexp
#   bench/run-runtime.sh HearingBenchmark      # the talker13 hearing bundle, shipped vs 1.0.0 (extracted from git)
#   bench/run-runtime.sh -f 5 -i 10            # any JMH option; later options override the defaults below
#   bench/run-runtime.sh --wallclock           # wall-clock harness: inferences/s at realistic device timing, RSS and heap
#                                              # of a running `./pnn run`, cold start to first inference (about 3 minutes)
#   bench/run-runtime.sh --wallclock --runs 3 --cold-runs 3 --skip-inprocess --jvm-opts "pi=-Xmx64m -XX:+UseSerialGC"
#
# JMH classes: runtime/src/test/java/org/pnnedge/runtime/jmh/{InferenceBenchmark,HearingBenchmark,ServiceBenchmark}.java (runner:
# org.pnnedge.runtime.jmh.RuntimeBench); harness: runtime/src/test/java/org/pnnedge/runtime/jmh/RuntimeWallClock.java.
# JMH defaults: 3 forks x (3 warm-up + 5 measurement iterations of 1 s), GC profiler (bytes allocated per op),
# JSON results in bench/results/runtime-<timestamp>.json. Replace the defaults wholesale with PNN_BENCH_DEFAULTS
# (option/value pairs, e.g. PNN_BENCH_DEFAULTS="-f 1 -i 3").
# Needs Maven and a JDK >= 21 (JAVA_HOME, PATH or /usr/lib/jvm are searched, newest first, like ./pnn); the
# harness also needs jcmd (from the same JDK) and builds the ./pnn jars first if they are missing or stale.
set -euo pipefail
# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
BENCH_NAME=run-runtime
BENCH_MODULE=runtime
bench_prepare

bench_banner
if [[ "${1:-}" == "--wallclock" ]]; then
  shift
  # Run from the project root so ../shared/data/vowels/train.csv is found when present. The harness launches
  # ./pnn run; build its jars now (./pnn builds them when missing or older than the sources) so that no cold
  # start includes a build.
  cd "$ROOT"
  echo "run-runtime: making sure the ./pnn jars are built..." >&2
  ./pnn --version >/dev/null
  exec "$JAVA" -Xmx1g "-Dpnn.home=$ROOT" -cp "$CP" org.pnnedge.runtime.jmh.RuntimeWallClock "$@"
fi

bench_jmh_defaults runtime "$@"
cd "$ROOT"
# HearingBenchmark's bundle=previous: the 1.0.0 talker13 hearing bundle (element-wise encoding, before the hybrid
# 1.1.0), as shipped by commit ea451d9; extracted from git rather than kept as a second binary in the tree.
PREVIOUS_HEARING="$ROOT/runtime/target/bench/vowels7-talker13-1.0.0.pnnb"
PREVIOUS_OPT=()
if mkdir -p "$(dirname "$PREVIOUS_HEARING")" && git -C "$ROOT" show \
    ea451d99dbd9f3e534cb366ec74ce3a6ea2a251c:src/dist/models/vowels7-talker13.pnnb >"$PREVIOUS_HEARING" 2>/dev/null; then
  PREVIOUS_OPT=("-Dpnn.bench.previousHearingBundle=$PREVIOUS_HEARING")
else
  echo "run-runtime: cannot extract the 1.0.0 hearing bundle from git; HearingBenchmark bundle=previous will fail" >&2
fi
"$JAVA" "-Dpnn.home=$ROOT" ${PREVIOUS_OPT[@]+"${PREVIOUS_OPT[@]}"} -cp "$CP" org.pnnedge.runtime.jmh.RuntimeBench \
  ${DEFAULTS[@]+"${DEFAULTS[@]}"} "$@"
