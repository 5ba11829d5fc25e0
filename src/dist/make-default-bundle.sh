#!/usr/bin/env bash
# Rebuilds the shipped default model bundle (src/dist/models/vowels7.pnnb): synthetic 7-vowel data
# (women, Hillenbrand 1995 statistics, PAT feature units), physics-aware training on the emulated SHG device
# seed 1, signed with the DEVELOPMENT key in src/dist/dev-keys. Deterministic up to device noise.
# Usage: src/dist/make-default-bundle.sh [--key YOUR.key]   (see src/site/markdown/bundle.md to use your own key)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
WORK="$ROOT/target/default-bundle"
mkdir -p "$WORK" src/dist/models
./pnn data synth --out "$WORK/synth-train.csv" --groups women --vowels pat7 --talkers 300 --seed 1
./pnn train --data "$WORK/synth-train.csv" --device "emulator:shg?seed=1&timing=zero" --mode pat --layers 1 \
  --epochs 400 --seed 1 --samples 10000 --validation 0.2 --readout dark-referenced --model-id vowels7 --version 1.0.0 \
  --curves src/dist/models/vowels7-curves --out src/dist/models/vowels7.pnnb "$@"
