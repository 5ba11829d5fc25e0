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
# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
BENCH_NAME=run-bridge
BENCH_MODULE=firmware-bridge
bench_prepare
bench_banner
bench_jmh_defaults bridge "$@"
"$JAVA" -cp "$CP" org.pnnedge.bridge.bench.BridgeBench ${DEFAULTS[@]+"${DEFAULTS[@]}"} "$@"
