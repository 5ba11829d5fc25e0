#!/usr/bin/env bash
# Measures a bundle on the WITHHELD set of synthesizer voices (SAM in 12 voices, three Czech festival adults; see
# bench/render-withheld-voices.sh, BENCHMARKS.md "Hearing: a withheld set of synthesizer voices", audio.md). The set
# is measured once per bundle and reported: never use it to train, tune or choose a bundle (the TTS dev voices of
# bench/render-tts-pool.sh --set dev are for choosing).
#
#   bench/run-withheld-voices.sh                                  # the shipped hearing bundle vowels7-talker13.pnnb
#   bench/run-withheld-voices.sh --bundle B.pnnb --trust KEY.pub  # another bundle (and the key it is signed with)
#   bench/run-withheld-voices.sh --wavs DIR                       # a set rendered before (default: render it anew)
#   bench/run-withheld-voices.sh --digital                        # also the digital reference (about a minute)
#
# Four measurements, each in a fresh process, written to runtime/target/withheld-voices/:
#  1. words one at a time, as `pnn classify --wav` answers them: SpokenWordsTest on the rendered folder (through
#     bench/run-spoken-words.sh --wavs), word k in emulator session k, the device 'emulator:shg?seed=1&timing=zero';
#     a talker13 bundle gets a word's G from its own F0 (G0(F0)), as classify --wav does for one file.
#     Report per voice, engine, speaker group and vowel: BUNDLE/report.md (results.csv, confusion.png, wav/).
#  2. G from a talker's earlier words: `pnn data wavs` features (talker13 bundles: talker13-running, G from at most
#     the 7 earlier words in file-name order had, hawed, heard, heed, hid, hod, who'd, as the TTS test set; hz12
#     bundles: pat), `pnn eval --sessions 4 --repeats 3` in emulator sessions 1-4, all words and per engine.
#  3. through `pnn listen --wav`: each voice's words in one recording (bench/run-listen-words.sh --orders 7: the
#     words in 7 rotated orders, a fresh device per recording), so a talker13 bundle takes G from its own earlier
#     answers, as for a user; per speaker group and per engine.
#  4. with --digital: logistic regression and the MLP [32, 32] trained on the real Hillenbrand formants (all
#     groups, 7 vowels; ../shared/data/hillenbrand/vowdata.dat) and tested on the same words, hz12, bark13 and
#     talker13 layouts (`pnn benchmark layouts`, 3 seeds), and on the formants SAM was asked to make (its phoneme
#     table with the voice's mouth/throat: bench/withheld_sam_formants.py), to tell the front end's errors from
#     SAM's vowels: digital.md.
# Summary (tables 1-4): BUNDLE-summary.md. Needs what render-withheld-voices.sh needs (unless --wavs), Maven.
set -euo pipefail
# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
BENCH_NAME=run-withheld-voices

BUNDLE="$ROOT/src/dist/models/vowels7-talker13.pnnb"
TRUST="$ROOT/src/dist/keys/pnn-release.pub"
WAVS=""
DIGITAL=0
abs() { echo "$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"; }
while (( $# )); do
  case "$1" in
    --bundle|--trust|--wavs)
      (( $# >= 2 )) || bench_die "$1 needs a value"
      [[ -e "$2" ]] || bench_die "$1: no such file or folder: $2"
      case "$1" in --bundle) BUNDLE="$(abs "$2")" ;; --trust) TRUST="$(abs "$2")" ;; --wavs) WAVS="$(abs "$2")" ;; esac
      shift 2 ;;
    --digital) DIGITAL=1; shift ;;
    -h|--help) sed -n '2,28p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) bench_die "unknown option $1 (try --help)" ;;
  esac
done
command -v mvn >/dev/null 2>&1 || bench_die "Maven (mvn) is needed"

OUT_REL="runtime/target/withheld-voices"
OUT="$ROOT/$OUT_REL"
mkdir -p "$OUT"
if [[ -z "$WAVS" ]]; then
  WAVS="$OUT/wav-set"
  "$ROOT/bench/render-withheld-voices.sh" --out "$WAVS"
fi
[[ -f "$WAVS/voices.tsv" ]] || bench_die "$WAVS/voices.tsv is missing (render the set with bench/render-withheld-voices.sh)"
NAME="$(basename "$BUNDLE" .pnnb)"
P="$ROOT/pnn"
SUMMARY="$OUT/$NAME-summary.md"
FEAT="$OUT/features"
mkdir -p "$FEAT"

bench_layout_units "$P" "$BUNDLE" "$TRUST"

# 1. one word at a time, word k in session k (SpokenWordsTest; floor 0: measured, not judged)
echo "$BENCH_NAME: $NAME: words one at a time (SpokenWordsTest --wavs $WAVS)" >&2
"$ROOT/bench/run-spoken-words.sh" --wavs "$WAVS" --out "$OUT_REL/$NAME" --bundle "$BUNDLE" --trust "$TRUST" \
  --floor 0 > "$OUT/$NAME-classify.txt"

# 2. pnn eval on the features, all words and per engine (a folder of links per engine: G is per voice either way)
echo "$BENCH_NAME: $NAME: pnn eval, $units features, sessions 1-4" >&2
eval_rows=()
for engine in all sam festival; do
  dir="$FEAT/$engine-wav"
  rm -rf "$dir" && mkdir -p "$dir"
  while IFS=$'\t' read -r id _ _ eng _ _ _ _ status; do
    [[ "$status" == ok && ( "$engine" == all || "$engine" == "$eng" ) ]] || continue
    ln -s "$WAVS/${id}"_*.wav "$dir/"
  done < "$WAVS/voices.tsv"
  [[ -n "$(ls "$dir")" ]] || continue
  csv="$FEAT/$engine-$units.csv"
  "$P" data wavs --dir "$dir" --units "$units" --out "$csv" >&2
  json="$("$P" eval --bundle "$BUNDLE" --trust "$TRUST" --device 'emulator:shg?seed=1&timing=zero&session=1' \
    --sessions 4 --repeats 3 --data "$csv" --json)"
  eval_rows+=("$(bench_eval_row "$engine" "$json")")
done

{
  echo "# Withheld voices: $NAME ($layout)"
  echo
  echo "Measured $(date -u +%Y-%m-%dT%H:%MZ) on $(nproc) CPUs; set: $WAVS. Withheld: never used to train, tune or"
  echo "choose a bundle."
  echo
  echo "## 1. Words one at a time (\`pnn classify --wav\`, word k in emulator session k)"
  echo
  sed -n '/^\*\*Overall/,/^report:/p' "$OUT/$NAME-classify.txt" | sed '$d'
  echo
  if [[ "$units" == talker13-running ]]; then how="G from the talker's earlier words"; else how="per token"; fi
  echo "## 2. \`pnn eval\` on $units features ($how), sessions 1–4 × 3 passes"
  echo
  echo "| words | n | accuracy (mean ± SD of 12 passes) | per session |"
  echo "|---|---:|---:|---:|"
  printf '%s\n' "${eval_rows[@]}"
} > "$SUMMARY"

# 3. through pnn listen, 7 word orders
echo "$BENCH_NAME: $NAME: pnn listen --wav, 7 word orders (bench/run-listen-words.sh)" >&2
"$ROOT/bench/run-listen-words.sh" --bundle "$BUNDLE" --trust "$TRUST" --device 'emulator:shg?seed=1&timing=zero' \
  --wavs "$WAVS" --out "$OUT/$NAME-listen" --orders 7 --no-classify > "$OUT/$NAME-listen.txt"
{
  echo
  echo "## 3. Through \`pnn listen --wav\` (a voice's words in one recording, 7 orders)"
  echo
  grep '^|' "$OUT/$NAME-listen.txt" | cut -d'|' -f1-3 | sed 's/$/|/'
  echo
  python3 - "$WAVS/voices.tsv" "$OUT/$NAME-listen/words.csv" <<'PY'
import csv, sys
engine = {r[0]: r[3] for r in (l.rstrip("\n").split("\t") for l in open(sys.argv[1], encoding="utf-8")) if len(r) > 3}
tally = {}
for row in csv.DictReader(open(sys.argv[2])):
    t = tally.setdefault(engine.get(row["voice"], "?"), [0, 0])
    t[0] += row["listen"] == row["vowel"]
    t[1] += 1
print("Per engine: " + "; ".join(f"{e} {a}/{n} = {100 * a / n:.1f} %" for e, (a, n) in tally.items()) + ".")
PY
} >> "$SUMMARY"

# 4. the digital reference (does not depend on the bundle)
if (( DIGITAL )); then
  echo "$BENCH_NAME: digital reference (pnn benchmark layouts, real Hillenbrand training)" >&2
  D="$OUT/digital"
  mkdir -p "$D"
  "$P" data hillenbrand --groups all --units hz-f0 --out "$D/real.csv" >&2
  "$P" data hillenbrand --groups all --units talker13 --out "$D/real-talker13.csv" >&2
  tests=()
  for engine in all sam festival; do
    [[ -d "$FEAT/$engine-wav" && -n "$(ls "$FEAT/$engine-wav")" ]] || continue
    for u in hz-f0 talker13 talker13-running; do
      suffix=$([[ "$u" == hz-f0 ]] && echo "" || echo "-$u")
      "$P" data wavs --dir "$FEAT/$engine-wav" --units "$u" --out "$D/$engine$suffix.csv" >&2
    done
    tests+=(--test-set "$engine=$D/$engine.csv")
  done
  { echo; echo "## 4. Digital reference on the same words"; echo
    echo "\`pnn benchmark layouts --train real.csv --layouts hz12,bark13 --talker-layout --seeds 3\` (real Hillenbrand,"
    echo "all groups, 7 vowels), $(date -u +%Y-%m-%dT%H:%MZ):"; echo
    "$P" benchmark layouts --train "$D/real.csv" --layouts hz12,bark13 --talker-layout --seeds 3 "${tests[@]}"
    # SAM's specified formants (its phoneme table and mouth/throat arithmetic) against the measured ones
    tables="$ROOT/target/sam-js/package/src/renderer/tables.es6"
    if [[ -f "$D/sam.csv" && -f "$tables" ]]; then
      echo
      python3 "$ROOT/bench/withheld_sam_formants.py" "$tables" "$WAVS/voices.tsv" "$FEAT/sam-wav" "$D/sam.csv" \
        "$D/sam-specified.csv"
      echo
      echo "The same classifiers on SAM's *specified* formants (a front end that measured them exactly; F0 as measured):"
      echo
      "$P" benchmark layouts --train "$D/real.csv" --layouts hz12,bark13 --seeds 3 \
        --test-set "sam-specified=$D/sam-specified.csv" --test-set "sam-measured=$D/sam.csv" | grep '^|'
    fi
  } > "$OUT/digital.md"
  cat "$OUT/digital.md" >> "$SUMMARY"
fi
cat "$SUMMARY"
echo "$BENCH_NAME: summary $SUMMARY; per-word report $OUT/$NAME/report.md" >&2
