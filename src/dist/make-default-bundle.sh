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
# The shipped hearing bundle src/dist/models/vowels7-talker13.pnnb, version 1.1.0 (what ./pnn demo and the service
# serve; a hybrid network), was made by (BENCHMARKS.md "Hearing: a hybrid hearing bundle, 1.1.0"; ~8 min on 2 cores)
#   bench/render-tts-pool.sh --set pool --accents en-us --out target/pool-us
#   ./pnn data wavs --dir target/pool-us --units talker13-sampled --out target/pool-us.csv
#   LAYOUT=talker13 G=sampled EXTRA=target/pool-us.csv EXTRA_TIMES=2 PROJECTION=16 SEED=2 EPOCHS=150 VERSION=1.1.0 \
#     OUT=src/dist/models/vowels7-talker13.pnnb src/dist/make-default-bundle.sh --key RELEASE.key
# (1.0.0, the physical encoding: LAYOUT=talker13 SEED=2 and 800 epochs; "Hearing: 800-epoch talker13 candidates").
# Usage: src/dist/make-default-bundle.sh [--key YOUR.key]   (see src/site/markdown/bundle.md to use your own key)
# Candidates (issue 12; BENCHMARKS.md "Hearing: a full-size bark13 bundle on the wide voices"): the environment picks
#   LAYOUT=bark13|talker13 (feature layout; default hz12, the shipped bundle's), VOICES=wide (training talkers; default narrow;
#   wide = the wider voices at 8 and 16 kHz), OUT=FILE (default src/dist/models/vowels7.pnnb), SEED=N (PAT seed,
#   default 1), e.g. LAYOUT=bark13 VOICES=wide OUT=/tmp/cand.pnnb src/dist/make-default-bundle.sh
#   EXTRA=CSV appends measured rows in the layout's units (PAT units for hz12), e.g. text-to-speech words of the
#   training voice pool: bench/render-tts-pool.sh --set pool --out DIR; pnn data wavs --dir DIR --units pat --out CSV
#   (BENCHMARKS.md "Hearing: training on more synthesizer voices"); its header and label line must match the data's;
#   EXTRA_TIMES=N appends it N times (default 1), weighting those rows against the synthetic ones.
#   WORK=DIR holds the intermediate data (default target/default-bundle; give each of two concurrent runs its own);
#   EPOCHS=N trains N epochs instead of the shipped bundle's 800 (a shorter candidate when time is short).
#   SESSIONS=N trains across N sessions of the emulated unit (pnn train --sessions N: epoch e's forward passes on
#   session (e-1) mod N, so the model cannot lean on one drift state; models.md "Training across device sessions");
#   default: not passed (one session, as the shipped bundles were made).
#   PROJECTION=K trains a hybrid network (pnn train --input-projection K: a digital K x F projection into layer 0 and
#   a digital readout from all output channels; models.md "Hybrid networks"); default: not passed (physical encoding).
#   VERSION=X.Y.Z the bundle's version (default 1.0.0).
#   G=sampled (LAYOUT=talker13 only): each training row's talker G from a random 0-7 of the talker's other tokens
#   (pnn data synth --units talker13-sampled; audio.md) instead of all of them, so the model meets the G error a
#   user's talker gives it after a few words; EXTRA rows must then be made with --units talker13-sampled too.
# Before making any data the script runs its pnn train command line with --validate-only, so a bad VERSION, --key
# or OUT folder is refused at once (exit 2, naming it) by pnn train's own rules rather than after minutes of data.
# A bundle signed with a development key is refused by every default: trust it explicitly to test it
# (pnn verify --trust ~/.config/pnn-edge/dev-keys/pnn-dev.pub; bundle.allow_development_keys=true).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
SCRIPT=make-default-bundle
# shellcheck source=src/dist/bundle-lib.sh
source src/dist/bundle-lib.sh
WORK="${WORK:-$ROOT/target/default-bundle}" # its own folder per run when two run at once
EPOCHS="${EPOCHS:-800}"
PNN="${PNN:-./pnn}" # another launcher, e.g. one running a frozen copy of the jars while the tree changes
LAYOUT="${LAYOUT:-hz12}"
VOICES="${VOICES:-narrow}"
OUT="${OUT:-src/dist/models/vowels7.pnnb}"
SEED="${SEED:-1}"
[[ -n "${G:-}" && "$LAYOUT" != talker13 ]] && { echo "make-default-bundle: G= is for LAYOUT=talker13 only" >&2; exit 2; }
SESSIONS_OPT=() # not passed by default: the shipped bundles' command line stays as it was
if [[ -n "${SESSIONS:-}" ]]; then
  [[ "$SESSIONS" =~ ^[1-9][0-9]*$ ]] || { echo "make-default-bundle: SESSIONS must be a whole number 1-100" >&2; exit 2; }
  SESSIONS_OPT=(--sessions "$SESSIONS")
fi
projection_opt
VERSION="${VERSION:-1.0.0}"
LAYOUT_OPT=() # hz12 is train's default: the shipped bundle's manifest stays as it was made
[[ "$LAYOUT" != hz12 ]] && LAYOUT_OPT=(--feature-layout "$LAYOUT")
mkdir -p "$WORK" src/dist/models "$(dirname "$OUT")"
DATA="$WORK/heard-train.csv"
ARGS=("$@")
pnn_train() { # the one train command line: checked first (--validate-only), run last
  "$PNN" train --data "$DATA" --device "emulator:shg?seed=1&timing=zero" --mode pat --layers 3 --ops deep \
    --epochs "$EPOCHS" --seed "$SEED" --samples 10000 --validation 0.1 --model-id vowels7 --version "$VERSION" \
    ${LAYOUT_OPT[@]+"${LAYOUT_OPT[@]}"} ${SESSIONS_OPT[@]+"${SESSIONS_OPT[@]}"} \
    ${PROJECTION_OPT[@]+"${PROJECTION_OPT[@]}"} --curves "${OUT%.pnnb}-curves" --out "$OUT" ${ARGS[@]+"${ARGS[@]}"} "$@"
}
pnn_train --validate-only # a bad VERSION, --key, ... refused now by train's own rules, not after the data is made
if [[ "$LAYOUT" == hz12 && "$VOICES" == narrow ]]; then # the shipped bundle's data, as it was made
  "$PNN" data synth --heard --include-table --out "$DATA" --groups all --vowels pat7 --talkers 150 --seed 1
elif [[ "$LAYOUT" == talker13 ]]; then # G per talker over its tokens: only synth knows the talkers
  RATES=()
  [[ "$VOICES" == wide ]] && RATES=(--rates 8000,16000)
  case "${G:-all}" in
    all) UNITS=talker13 ;;
    sampled) UNITS=talker13-sampled ;;
    *) echo "make-default-bundle: G must be all or sampled, got '$G'" >&2; exit 2 ;;
  esac
  "$PNN" data synth --heard --voices "$VOICES" ${RATES[@]+"${RATES[@]}"} --include-table --groups all --vowels pat7 \
    --talkers 150 --seed 1 --units "$UNITS" --out "$DATA"
else # raw measurements (12 formants and F0), then the layout's features
  RATES=()
  [[ "$VOICES" == wide ]] && RATES=(--rates 8000,16000)
  "$PNN" data synth --heard --voices "$VOICES" "${RATES[@]}" --include-table --groups all --vowels pat7 \
    --talkers 150 --seed 1 --units hz-f0 --out "$WORK/heard-train-raw.csv"
  "$PNN" data convert --in "$WORK/heard-train-raw.csv" --units "$([[ $LAYOUT == hz12 ]] && echo pat || echo "$LAYOUT")" \
    --out "$DATA"
fi
extra_append # the same columns and labels, or a clear refusal
pnn_train
