#!/usr/bin/env bash
# Rebuilds the shipped default model bundle (src/dist/models/vowels7.pnnb), a model that hears:
#   1. synthetic 7-vowel tokens for men, women, boys and girls (Hillenbrand 1995 statistics, 150 talkers a group),
#      each rendered to audio by the formant synthesizer with a random voice (isolated vowels and /hVd/ words)
#      and measured by the audio front end; the same tokens' table formants are included too (PAT feature units);
#   2. physics-aware training on the emulated SHG device seed 1: 3 physical layers with the deep operations (skip path,
#      common-mode output normalisation, soft range keeping; models.md), affine readout, 800 epochs;
#   3. signed with YOUR local development key (pnn train's default, made on first use in
#      ~/.config/pnn-edge/dev-keys; ota.md), or with --key KEY. The committed bundle is signed with the release key,
#      whose private half is kept outside the repository: maintainers pass --key /path/to/release.key
#      (its public half is src/dist/keys/pnn-release.pub, which the tests and the package trust).
# Deterministic up to device noise and thread scheduling of the trainer. Takes ~10 min on 2 cores (render + measure ~4 min, PAT ~5 min).
# Measure it afterwards with bench/run-hearing.sh and runtime's SpokenWordsTest (BENCHMARKS.md, audio section).
# Usage: src/dist/make-default-bundle.sh [--key YOUR.key]   (see src/site/markdown/bundle.md to use your own key)
# A bundle signed with a development key is refused by every default: trust it explicitly to test it
# (pnn verify --trust ~/.config/pnn-edge/dev-keys/pnn-dev.pub; bundle.allow_development_keys=true).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
WORK="$ROOT/target/default-bundle"
PNN="${PNN:-./pnn}" # another launcher, e.g. one running a frozen copy of the jars while the tree changes
mkdir -p "$WORK" src/dist/models
"$PNN" data synth --heard --include-table --out "$WORK/heard-train.csv" --groups all --vowels pat7 --talkers 150 \
  --seed 1
"$PNN" train --data "$WORK/heard-train.csv" --device "emulator:shg?seed=1&timing=zero" --mode pat --layers 3 \
  --ops deep --epochs 800 --seed 1 --samples 10000 --validation 0.1 --model-id vowels7 --version 1.0.0 \
  --curves src/dist/models/vowels7-curves --out src/dist/models/vowels7.pnnb "$@"
