#!/usr/bin/env bash
# How well a vowel bundle hears: its accuracy on the emulated device for
#   - synthesizer vowels and /hVd/ words measured by the audio front end ("heard"), per talker group, from a seed
#     the shipped bundle's training data did not use (src/dist/make-default-bundle.sh uses seed 1);
#   - the real Hillenbrand et al. (1995) formant table, per talker group (../shared/data, skipped when absent);
#   - the PAT reference split ../shared/data/vowels/train.csv (women).
# Each accuracy is the mean over --repeats passes of the noisy device (pnn eval). The features are the bundle's
# feature layout (its manifest's featureLayout; none = hz12, the PAT units). Writes a markdown table to
# target/hearing/hearing.md and prints it.
# Usage: bench/run-hearing.sh [--bundle B] [--device URI] [--talkers N] [--seed S] [--repeats R]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
BUNDLE=src/dist/models/vowels7.pnnb
DEVICE="emulator:shg?seed=1&timing=zero"
TALKERS=30
SEED=4242
REPEATS=3
while [[ $# -gt 0 ]]; do
  case "$1" in
    --bundle) BUNDLE="$2"; shift 2 ;;
    --device) DEVICE="$2"; shift 2 ;;
    --talkers) TALKERS="$2"; shift 2 ;;
    --seed) SEED="$2"; shift 2 ;;
    --repeats) REPEATS="$2"; shift 2 ;;
    *) echo "run-hearing: unknown option $1" >&2; exit 2 ;;
  esac
done
OUT="$ROOT/target/hearing"
mkdir -p "$OUT"
DATA="$ROOT/../shared/data"

# the bundle's feature layout decides the units of every data set below
./pnn verify --bundle "$BUNDLE" --extract-manifest "$OUT/manifest.json" >/dev/null 2>&1 || true
UNITS="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1])).get("featureLayout") or "pat")' \
  "$OUT/manifest.json" 2>/dev/null || echo pat)"

acc() { # bundle accuracy ± std on CSV $1
  ./pnn eval --bundle "$BUNDLE" --device "$DEVICE" --data "$1" --repeats "$REPEATS" --json 2>/dev/null |
    python3 -c 'import json,sys; d=json.load(sys.stdin); print("%.1f %% ± %.1f (n=%d)" % (100*d["accuracy"], 100*d["accuracy_std"], d["n"]))'
}

{
  echo "Bundle \`$BUNDLE\` (features: $UNITS) on \`$DEVICE\`, $REPEATS device passes; heard: $TALKERS talkers a group, seed $SEED."
  echo
  echo "| talkers | heard (synthesizer → front end) | real formant table (Hillenbrand 1995) |"
  echo "|---|---|---|"
  for g in men women boys girls; do
    ./pnn data synth --heard --groups "$g" --talkers "$TALKERS" --seed "$SEED" --units "$UNITS" --out "$OUT/heard-$g.csv" >/dev/null 2>&1
    heard="$(acc "$OUT/heard-$g.csv")"
    real="absent"
    if [[ -f "$DATA/hillenbrand/vowdata.dat" ]]; then
      ./pnn data hillenbrand --file "$DATA/hillenbrand/vowdata.dat" --groups "$g" --units "$UNITS" --out "$OUT/real-$g.csv" >/dev/null
      real="$(acc "$OUT/real-$g.csv")"
    fi
    echo "| $g | $heard | $real |"
  done
  if [[ -f "$DATA/vowels/train.csv" && "$UNITS" == pat ]]; then
    echo
    echo "PAT reference split (women, ../shared/data/vowels/train.csv): $(acc "$DATA/vowels/train.csv")"
  fi
} | tee "$OUT/hearing.md"
