#!/usr/bin/env bash
# How well a vowel bundle hears: its accuracy on the emulated device for
#   - synthesizer vowels and /hVd/ words measured by the audio front end ("heard"), per talker group, from a seed
#     the shipped bundles' training data did not use (src/dist/make-default-bundle.sh and make-vowels12-bundle.sh
#     use seed 1), under each of --conditions:
#       16k   as recorded at 16 kHz (the default, the only condition before)
#       8k    telephone audio: rendered and recorded at 8 kHz (`data synth --rates 8000`)
#       snr20, snr10   16 kHz with white noise at a fixed 20 or 10 dB SNR (`data synth --snr 20|10`)
#   - the real Hillenbrand et al. (1995) formant table, per talker group (../shared/data, skipped when absent);
#   - the PAT reference split ../shared/data/vowels/train.csv (women; 7-vowel hz12 bundles only).
# The vowels are the bundle's labels (its manifest), so the 12-vowel bundle is measured on all 12.
# Each accuracy is the mean over --repeats passes of the noisy device (pnn eval, a fresh process per set). The
# features are the bundle's feature layout (its manifest's featureLayout; none = hz12, the PAT units). A talker13
# bundle (the shipped hearing bundle) is measured as users meet a talker: G from the talker's earlier words
# (`--units talker13-running`, audio.md), the heard sets written once with --also-units talker13,talker13-running.
# With --digital-train RAW.csv (raw measurements, `--units hz-f0`, e.g. the bundle's training data) the same sets
# are also classified by digital classifiers (logistic regression, MLP [32, 32]; `pnn benchmark layouts`, 3 seeds)
# trained on RAW.csv in the bundle's layout: the digital reference on the same features. For a talker13 bundle
# RAW.csv needs its -talker13 companion beside it (`pnn data synth --heard --units hz-f0 --also-units talker13`),
# and the digital rows are hz12 and talker13 (G from earlier words / over all the talker's words).
# --sessions N runs the repeats in N emulated sessions of the unit from the URI's session on (pnn eval --sessions;
# default 1), e.g. --device 'emulator:shg?seed=1&timing=zero&session=10' --sessions 4 as in BENCHMARKS' hearing tables.
# Writes a markdown table to target/hearing/BUNDLE-NAME/hearing.md and prints it; the test sets stay there too
# (--keep-data reuses them instead of rendering them again: the same options give the same sets).
# Usage: bench/run-hearing.sh [--bundle B] [--device URI] [--talkers N] [--seed S] [--repeats R] [--sessions N]
#                             [--conditions 16k,8k,snr20,snr10] [--digital-train RAW.csv] [--keep-data]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PNN="${PNN:-./pnn}"
BUNDLE=src/dist/models/vowels7.pnnb
DEVICE="emulator:shg?seed=1&timing=zero"
TALKERS=30
SEED=4242
REPEATS=3
SESSIONS=1
CONDITIONS=16k
DIGITAL=""
KEEP=false
while [[ $# -gt 0 ]]; do
  case "$1" in
    --bundle) BUNDLE="$2"; shift 2 ;;
    --device) DEVICE="$2"; shift 2 ;;
    --talkers) TALKERS="$2"; shift 2 ;;
    --seed) SEED="$2"; shift 2 ;;
    --repeats) REPEATS="$2"; shift 2 ;;
    --sessions) SESSIONS="$2"; shift 2 ;;
    --conditions) CONDITIONS="$2"; shift 2 ;;
    --digital-train) DIGITAL="$2"; shift 2 ;;
    --keep-data) KEEP=true; shift ;;
    *) echo "run-hearing: unknown option $1" >&2; exit 2 ;;
  esac
done
OUT="$ROOT/target/hearing/$(basename "$BUNDLE" .pnnb)"
mkdir -p "$OUT"
DATA="$ROOT/../shared/data"

# the bundle's feature layout decides the units of every data set below, its labels the vowels
"$PNN" verify --bundle "$BUNDLE" --extract-manifest "$OUT/manifest.json" >/dev/null 2>&1 || true
read -r UNITS LAYOUT VOWELS < <(python3 -c 'import json,sys
m=json.load(open(sys.argv[1])); l=m.get("featureLayout") or "hz12"
print("pat" if l=="hz12" else l, l, ",".join(m.get("labels") or ["ae","ah","aw","uw","er","iy","ih"]))' \
  "$OUT/manifest.json" 2>/dev/null || echo "pat hz12 pat7")

acc() { # bundle accuracy ± std on CSV $1
  "$PNN" eval --bundle "$BUNDLE" --device "$DEVICE" --data "$1" --repeats "$REPEATS" --sessions "$SESSIONS" --json \
    2>/dev/null |
    python3 -c 'import json,sys; d=json.load(sys.stdin); print("%.1f %% ± %.1f (n=%d)" % (100*d["accuracy"], 100*d["accuracy_std"], d["n"]))'
}

cond_opts() { # data synth options of a condition
  case "$1" in
    16k) echo "--rates 16000" ;;
    8k) echo "--rates 8000" ;;
    snr*) echo "--rates 16000 --snr ${1#snr}" ;;
    *) echo "run-hearing: unknown condition $1 (16k, 8k, snr20, snr10)" >&2; exit 2 ;;
  esac
}

IFS=, read -r -a CONDS <<< "$CONDITIONS"
TALKER=false # talker13: per-talker G, which data convert cannot compute from raw rows
ALSO=()
if [[ "$LAYOUT" == talker13 ]]; then
  TALKER=true; ALSO=(--also-units talker13,talker13-running)
  if [[ -n "$DIGITAL" && ! -s "${DIGITAL%.csv}-talker13.csv" ]]; then
    echo "run-hearing: a talker13 bundle's --digital-train needs ${DIGITAL%.csv}-talker13.csv beside it" \
      "(pnn data synth --heard --units hz-f0 --also-units talker13)" >&2
    exit 2
  fi
fi
TESTS=() # NAME=RAW.csv for the digital classifiers
{
  echo "Bundle \`$BUNDLE\` (features: $LAYOUT; vowels: $VOWELS) on \`$DEVICE\`, $REPEATS device passes in $SESSIONS session(s); heard: $TALKERS talkers a group, seed $SEED."
  echo
  header="| talkers |"; rule="|---|"
  for c in "${CONDS[@]}"; do header="$header heard, $c |"; rule="$rule---|"; done
  echo "$header real formant table (Hillenbrand 1995) |"
  echo "$rule---|"
  for g in men women boys girls; do
    row="| $g |"
    for c in "${CONDS[@]}"; do
      if [[ "$KEEP" != true || ! -s "$OUT/heard-$c-$g-raw.csv" ]]; then
        # shellcheck disable=SC2046 # the condition's options are words
        "$PNN" data synth --heard --groups "$g" --vowels "$VOWELS" --talkers "$TALKERS" --seed "$SEED" \
          $(cond_opts "$c") --units hz-f0 ${ALSO[@]+"${ALSO[@]}"} --out "$OUT/heard-$c-$g-raw.csv" >/dev/null 2>&1
      fi
      if [[ "$TALKER" == true ]]; then
        cp "$OUT/heard-$c-$g-raw-talker13-running.csv" "$OUT/heard-$c-$g.csv"
      else
        "$PNN" data convert --in "$OUT/heard-$c-$g-raw.csv" --units "$UNITS" --out "$OUT/heard-$c-$g.csv" >/dev/null
      fi
      TESTS+=("--test-set" "heard-$c-$g=$OUT/heard-$c-$g-raw.csv")
      row="$row $(acc "$OUT/heard-$c-$g.csv") |"
    done
    real="absent"
    if [[ -f "$DATA/hillenbrand/vowdata.dat" ]]; then
      "$PNN" data hillenbrand --file "$DATA/hillenbrand/vowdata.dat" --groups "$g" --vowels "$VOWELS" \
        --units hz-f0 --out "$OUT/real-$g-raw.csv" >/dev/null
      if [[ "$TALKER" == true ]]; then
        for u in talker13 talker13-running; do
          "$PNN" data hillenbrand --file "$DATA/hillenbrand/vowdata.dat" --groups "$g" --vowels "$VOWELS" \
            --units "$u" --out "$OUT/real-$g-raw-$u.csv" >/dev/null
        done
        cp "$OUT/real-$g-raw-talker13-running.csv" "$OUT/real-$g.csv"
      else
        "$PNN" data convert --in "$OUT/real-$g-raw.csv" --units "$UNITS" --out "$OUT/real-$g.csv" >/dev/null
      fi
      TESTS+=("--test-set" "real-$g=$OUT/real-$g-raw.csv")
      real="$(acc "$OUT/real-$g.csv")"
    fi
    echo "$row $real |"
  done
  if [[ -f "$DATA/vowels/train.csv" && "$LAYOUT" == hz12 && "$VOWELS" == "ae,ah,aw,uw,er,iy,ih" ]]; then
    echo
    echo "PAT reference split (women, ../shared/data/vowels/train.csv): $(acc "$DATA/vowels/train.csv")"
  fi
  if [[ -n "$DIGITAL" ]]; then
    echo
    echo "Digital classifiers on the same features ($LAYOUT), trained on \`$DIGITAL\`, same test sets (accuracy, mean of 3 seeds):"
    echo
    if [[ "$TALKER" == true ]]; then # talker13 is not a per-token layout: hz12 beside it as the raw baseline
      "$PNN" benchmark layouts --layouts hz12 --talker-layout --train "$DIGITAL" --seeds 3 "${TESTS[@]}" 2>/dev/null \
        | tail -n +2
    else
      "$PNN" benchmark layouts --layouts "$LAYOUT" --train "$DIGITAL" --seeds 3 "${TESTS[@]}" 2>/dev/null | tail -n +2
    fi
  fi
} | tee "$OUT/hearing.md"
