#!/usr/bin/env bash
# PNN Edge's grey-box SHG twin and PAT step side by side with the same equations in PyTorch (BENCHMARKS.md,
# "PyTorch side by side").
#
#   bench/run-pytorch.sh                     # JMH (Java) + bench/pytorch/shg_twin_step.py at 1 and 2 torch threads
#   bench/run-pytorch.sh --threads 1,2,4     # torch thread counts
#   PNN_BENCH_DEFAULTS="-f 1 -wi 2 -i 3 -w 1s -r 1s" bench/run-pytorch.sh    # a quicker Java side
#
# Steps: mvn test-compile (bench/lib.sh); org.pnnedge.models.pnn.PatStepExport writes the twin of the step
# benchmark's rig, 32 twin rows and one PAT step (forward on the emulated device, gradients from PnnPass.backward)
# to JSON; JMH runs TwinBenchmark.shgForwardVjp and PnnStepBenchmark.digitalStep (3 forks x 5 iterations of 1 s,
# JSON in bench/results/pytorch-java-<time>.json); the Python script checks its twin and step against the export
# (fails above 1e-9 relative), times the same operations and prints the ratio. Needs Debian's python3-torch
# (apt-get install python3-torch); uses /usr/bin/python3, where Debian installs it.
set -euo pipefail
# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
BENCH_NAME=run-pytorch
BENCH_MODULE=models
PY="${PNN_PYTHON:-/usr/bin/python3}"
"$PY" -c "import torch" 2>/dev/null \
  || bench_die "PyTorch not importable by $PY: apt-get install python3-torch (or set PNN_PYTHON)"
bench_prepare
bench_banner

cd "$ROOT"
EXPORT="$SNAP/pat-export.json"
"$JAVA" -cp "$CP" org.pnnedge.models.pnn.PatStepExport "$EXPORT" >&2
bench_jmh_defaults pytorch-java
# the JMH defaults minus the GC profiler: only the time is compared
read -r -a JMH_OPTS <<< "$(printf '%s ' "${DEFAULTS[@]}" | sed 's/-prof gc //')"
"$JAVA" -cp "$CP" org.pnnedge.models.jmh.ModelsBench 'TwinBenchmark.shgForwardVjp|PnnStepBenchmark.digitalStep' \
  "${JMH_OPTS[@]}" >&2
echo "run-pytorch: $(uptime)" >&2
"$PY" "$ROOT/bench/pytorch/shg_twin_step.py" --export "$EXPORT" --jmh "$RESULT" "$@"
echo "run-pytorch: $(uptime)" >&2
