#!/usr/bin/env bash
# Runs the models benchmarks and prints summaries for BENCHMARKS.md ("models" section).
#
#   bench/run-models.sh                        # JMH: twin forward/VJP, PNN training step, audio front end (about 8 minutes on 2 cores)
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
# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
BENCH_NAME=run-models
BENCH_MODULE=models
bench_prepare

bench_banner
if [[ "${1:-}" == "--wallclock" ]]; then
  shift
  # Run from the project root so ../shared/data/vowels/train.csv is found when present.
  cd "$ROOT"
  exec "$JAVA" -Xmx1g -cp "$CP" org.pnnedge.models.jmh.ModelsWallClock "$@"
fi

bench_jmh_defaults models "$@"
cd "$ROOT"
"$JAVA" -cp "$CP" org.pnnedge.models.jmh.ModelsBench ${DEFAULTS[@]+"${DEFAULTS[@]}"} "$@"
