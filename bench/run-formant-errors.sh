#!/usr/bin/env bash
# The audio front end's formant error on random "heard" talkers (the training voices of `pnn data synth --heard`),
# against the synthesizer's ground truth, by F0 band and vowel (audio.md, "F1 at high F0"):
#
#   bench/run-formant-errors.sh                    # development seed 777, 30 talkers per group, PAT 7 vowels
#   bench/run-formant-errors.sh --seed 778 --talkers 10
#
# Seeds 4242 and 2024 are the test and demo seeds: measure on them, never tune on them.
# Harness: models/src/test/java/org/pnnedge/models/audio/FormantErrorTable.java (single-threaded, deterministic:
# the same numbers on any machine). About 20 s on 2 cores.
set -euo pipefail
# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
BENCH_NAME=run-formant-errors
BENCH_MODULE=models
bench_prepare
cd "$ROOT"
exec "$JAVA" -cp "$CP" org.pnnedge.models.audio.FormantErrorTable "$@"
