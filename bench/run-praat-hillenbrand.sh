#!/usr/bin/env bash
# Measures bundles on the WITHHELD set of real Hillenbrand talkers' /hVd/ words rendered by Praat's KlattGrid
# (bench/render-praat-hillenbrand.sh; BENCHMARKS.md "Hearing: real Hillenbrand talkers through Praat's KlattGrid",
# audio.md). Measured once per bundle and reported: never used to train, tune or choose a bundle.
#
#   bench/run-praat-hillenbrand.sh                       # both shipped bundles, the set rendered anew
#   bench/run-praat-hillenbrand.sh --wavs DIR            # a set rendered before (DIR/voices.tsv, DIR/params.tsv)
#   bench/run-praat-hillenbrand.sh --bundle B.pnnb --trust KEY.pub [--bundle ...]   # other bundles
#
# Written to runtime/target/praat-hillenbrand/ (summary.md), each measurement in a fresh process, on
# 'emulator:shg?seed=1&timing=zero':
#  0. the front end's formants against the rendered targets (bench/MeasureWavs.java, bench/praat_formant_errors.py):
#     per group and vowel, median / p90 relative error of F1 and F2 at steady state and at 20/50/80 %;
#  1. per bundle, words one at a time as `pnn classify --wav` answers them (SpokenWordsTest -Dspoken.wavs=DIR via
#     bench/run-spoken-words.sh --wavs; word k in emulator session k; talker13: G0(F0)): BUNDLE/report.md has
#     per talker, per group and per vowel;
#  2. per bundle, `pnn data wavs` features (talker13: talker13-running, G from at most the talker's 7 earlier words
#     in file-name order; hz12: pat) and `pnn eval --sessions 4 --repeats 3`, all words and per group; and the
#     same on the real talkers' formants of the same tokens (`pnn data hillenbrand`, no audio);
#  3. the digital reference, `pnn benchmark layouts --layouts hz12,bark13 --talker-layout --seeds 3`:
#     (a) trained on all real Hillenbrand tokens (pat7, all groups), i.e. on the very tokens that were rendered:
#         in-sample as to talker and token; per group;
#     (b) talker-held-out: trained on half of the real talkers (odd talker numbers, then even), tested on the other
#         half's renders; the two halves pooled (token-weighted mean of the two) and each on its own.
# Needs: praat and python3 (unless --wavs), Maven, a JDK >= 21.
set -euo pipefail
# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
BENCH_NAME=run-praat-hillenbrand

K="$ROOT/src/dist/keys/pnn-release.pub"
BUNDLES=()
TRUSTS=()
WAVS=""
DEVICE='emulator:shg?seed=1&timing=zero'
# existing OPTION VALUE...: VALUE as an absolute path, or a named error when it is missing or names nothing
existing() {
  (( $# >= 2 )) || bench_die "$1 needs a value"
  [[ -e "$2" ]] || bench_die "$1: no such file or folder: $2"
  echo "$(cd "$(dirname "$2")" && pwd)/$(basename "$2")"
}
while (( $# )); do
  case "$1" in
    --bundle) BUNDLES+=("$(existing "$@")"); shift 2 ;;
    --trust) TRUSTS+=("$(existing "$@")"); shift 2 ;;
    --wavs) WAVS="$(existing "$@")"; shift 2 ;;
    -h|--help) sed -n '2,25p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) bench_die "unknown option $1 (try --help)" ;;
  esac
done
if (( ${#BUNDLES[@]} == 0 )); then
  BUNDLES=("$ROOT/src/dist/models/vowels7-talker13.pnnb" "$ROOT/src/dist/models/vowels7.pnnb")
  TRUSTS=("$K" "$K")
fi
(( ${#TRUSTS[@]} == ${#BUNDLES[@]} )) || bench_die "give one --trust per --bundle"
command -v mvn >/dev/null 2>&1 || bench_die "Maven (mvn) is needed"
JAVA="$(find_java)" || bench_die "no Java 21 or newer found (tried JAVA_HOME, PATH, /usr/lib/jvm)"

OUT_REL=runtime/target/praat-hillenbrand
OUT="$ROOT/$OUT_REL"
mkdir -p "$OUT"
if [[ -z "$WAVS" ]]; then
  WAVS="$OUT/wav-set"
  "$ROOT/bench/render-praat-hillenbrand.sh" --out "$WAVS"
fi
[[ -f "$WAVS/voices.tsv" && -f "$WAVS/params.tsv" ]] \
  || bench_die "$WAVS has no voices.tsv / params.tsv (render it with bench/render-praat-hillenbrand.sh)"
P="$ROOT/pnn"
"$P" --version > /dev/null   # builds the jars when missing or stale
SUMMARY="$OUT/summary.md"
FEAT="$OUT/features"
rm -rf "$FEAT" && mkdir -p "$FEAT"

# links to the WAVs of a group (all, man, woman, boy, girl) or talker half (odd, even), one folder each
subset() {
  local name="$1" dir="$FEAT/$1-wav"
  mkdir -p "$dir"
  awk -F'\t' -v s="$name" 'NR > 1 { n = substr($1, 2) + 0
    if (s == "all" || s == $3 || (s == "odd" && n % 2 == 1) || (s == "even" && n % 2 == 0)) print $1 "_" $2 ".wav" }' \
    "$WAVS/params.tsv" | while read -r f; do ln -s "$WAVS/$f" "$dir/$f"; done
  echo "$dir"
}
GROUPS_=(all man woman boy girl)
for s in "${GROUPS_[@]}" odd even; do subset "$s" > /dev/null; done

{
  echo "# Real Hillenbrand talkers through Praat's KlattGrid"
  echo
  echo "Measured $(date -u +%Y-%m-%dT%H:%MZ) on $(nproc) CPUs; set: $WAVS ($(find "$WAVS" -maxdepth 1 -name '*.wav' | wc -l) WAVs)."
  echo "Withheld: never used to train, tune or choose a bundle."
  echo
  echo "## 0. The front end's formants against the rendered targets"
  echo
} > "$SUMMARY"
echo "$BENCH_NAME: the front end's formants against the rendered targets" >&2
nice -n 19 "$JAVA" -cp "$ROOT/runtime/target/pnn-runtime.jar:$ROOT/runtime/target/lib/*" "$ROOT/bench/MeasureWavs.java" \
  "$WAVS" > "$OUT/measured.csv"
python3 "$ROOT/bench/praat_formant_errors.py" "$WAVS/params.tsv" "$OUT/measured.csv" >> "$SUMMARY"

# eval_row NAME CSV: `pnn eval` of $BUNDLE in sessions 1-4 x 3 passes, as one table row
eval_row() {
  local json
  json="$("$P" eval --bundle "$BUNDLE" --trust "$TRUST" --device "$DEVICE&session=1" --sessions 4 --repeats 3 \
    --data "$2" --json)"
  bench_eval_row "$1" "$json"
}
real_group() { case "$1" in man) echo men ;; woman) echo women ;; boy) echo boys ;; girl) echo girls ;; *) echo all ;; esac; }

for b in "${!BUNDLES[@]}"; do
  BUNDLE="${BUNDLES[$b]}" TRUST="${TRUSTS[$b]}"
  NAME="$(basename "$BUNDLE" .pnnb)"
  bench_layout_units "$P" "$BUNDLE" "$TRUST"

  echo "$BENCH_NAME: $NAME: words one at a time (SpokenWordsTest --wavs $WAVS)" >&2
  "$ROOT/bench/run-spoken-words.sh" --wavs "$WAVS" --out "$OUT_REL/$NAME" --bundle "$BUNDLE" --trust "$TRUST" \
    --floor 0 > "$OUT/$NAME-classify.txt"
  {
    echo
    echo "## 1. $NAME ($layout): words one at a time (\`pnn classify --wav\`, word k in emulator session k)"
    echo
    # the overall line, per group and per vowel (one engine; per talker is in report.md)
    sed -n '/^\*\*Overall/,/^report:/p' "$OUT/$NAME-classify.txt" | sed '$d' \
      | awk '/^## Per (voice|engine)/ { skip = 1; next } /^## / { skip = 0 } !skip'
    echo "(per talker: $OUT_REL/$NAME/report.md)"
    echo
    echo "## 2. $NAME: \`pnn eval\` on $units features, sessions 1–4 × 3 passes"
    echo
    echo "| words | n | accuracy (mean ± SD of 12 passes) | per session |"
    echo "|---|---:|---:|---:|"
  } >> "$SUMMARY"
  echo "$BENCH_NAME: $NAME: pnn eval, $units features, sessions 1-4" >&2
  for g in "${GROUPS_[@]}"; do
    csv="$FEAT/$g-$units.csv"
    [[ -f "$csv" ]] || "$P" data wavs --dir "$FEAT/$g-wav" --units "$units" --out "$csv" >&2
    eval_row "$g" "$csv" >> "$SUMMARY"
  done
  # the same bundle on the real talkers' formants (no synthesis, no front end): what the classifier alone loses
  {
    echo
    echo "The same bundle on the real Hillenbrand formants of the same 870 tokens (\`pnn data hillenbrand --units"
    echo "$units\`, no audio: what the classifier alone loses):"
    echo
    echo "| words | n | accuracy (mean ± SD of 12 passes) | per session |"
    echo "|---|---:|---:|---:|"
  } >> "$SUMMARY"
  for g in "${GROUPS_[@]}"; do
    csv="$FEAT/real-$g-$units.csv"
    [[ -f "$csv" ]] || "$P" data hillenbrand --groups "$(real_group "$g")" --units "$units" --out "$csv" >&2
    eval_row "$g" "$csv" >> "$SUMMARY"
  done
done

echo "$BENCH_NAME: digital reference (pnn benchmark layouts, real Hillenbrand training)" >&2
D="$OUT/digital"
rm -rf "$D" && mkdir -p "$D"
real() { # real() NAME [talker parity]: the real Hillenbrand tokens (pat7), all talkers or one half, as CSVs
  local data="$ROOT/../shared/data/hillenbrand/vowdata.dat"
  if [[ -n "${2:-}" ]]; then
    awk -v p="$2" '!($1 ~ /^[mwbg][0-9][0-9]..$/) || (substr($1, 2, 2) + 0) % 2 == p' "$data" > "$D/$1.dat"
    data="$D/$1.dat"
  fi
  "$P" data hillenbrand --file "$data" --groups all --units hz-f0 --out "$D/$1.csv" >&2
  "$P" data hillenbrand --file "$data" --groups all --units talker13 --out "$D/$1-talker13.csv" >&2
  "$P" data hillenbrand --file "$data" --groups all --units talker13-running --out "$D/$1-talker13-running.csv" >&2
}
rendered() { # rendered() SUBSET: the renders of a subset measured by the front end, in the three units
  local u suffix
  for u in hz-f0 talker13 talker13-running; do
    suffix=$([[ "$u" == hz-f0 ]] && echo "" || echo "-$u")
    "$P" data wavs --dir "$FEAT/$1-wav" --units "$u" --out "$D/$1$suffix.csv" >&2
  done
}
real real
real real-odd 1
real real-even 0
for s in "${GROUPS_[@]}" odd even; do rendered "$s"; done
tests=()
for g in "${GROUPS_[@]}"; do tests+=(--test-set "$g=$D/$g.csv"); done
{
  echo
  echo "## 3. Digital reference on the same measured words (\`pnn benchmark layouts\`, 3 seeds)"
  echo
  echo "### (a) Trained on all 870 real tokens, i.e. on the very tokens that were rendered (in-sample)"
  echo
  "$P" benchmark layouts --train "$D/real.csv" --layouts hz12,bark13 --talker-layout --seeds 3 "${tests[@]}"
  echo
  echo "### (b) Talker-held-out: trained on the real tokens of odd-numbered talkers, tested on the even ones' renders"
  echo "(and, for comparison, on the even ones' real formants: no synthesis, no front end)"
  echo
  "$P" benchmark layouts --train "$D/real-odd.csv" --layouts hz12,bark13 --talker-layout --seeds 3 \
    --test-set "even=$D/even.csv" --test-set "even-real=$D/real-even.csv" | tee "$D/held-out-1.md"
  echo
  echo "### (b) Talker-held-out: trained on the real tokens of even-numbered talkers, tested on the odd ones' renders"
  echo
  "$P" benchmark layouts --train "$D/real-even.csv" --layouts hz12,bark13 --talker-layout --seeds 3 \
    --test-set "odd=$D/odd.csv" --test-set "odd-real=$D/real-odd.csv" | tee "$D/held-out-2.md"
  echo
  echo "### (b) Talker-held-out, both halves pooled (each talker's renders tested once; token-weighted mean)"
  echo
  python3 - "$D/held-out-1.md" "$D/held-out-2.md" <<'PY'
import re, sys
def table(path):
    rows = {}
    for line in open(path):
        c = [x.strip() for x in line.strip().strip("|").split("|")]
        if len(c) == 4 and c[2].endswith("%"):
            rows[(c[0], c[1])] = (float(c[2].rstrip(" %")), float(c[3].rstrip(" %")))
        elif len(c) == 4 and c[0] == "layout":
            n = [int(re.search(r"n=(\d+)", x).group(1)) for x in c[2:]]
    return rows, n
(a, na), (b, nb) = table(sys.argv[1]), table(sys.argv[2])
print("| layout | classifier | renders (n=%d) | real formants (n=%d) |" % (na[0] + nb[0], na[1] + nb[1]))
print("|---|---|---:|---:|")
for k in a:
    r = [(a[k][i] * na[i] + b[k][i] * nb[i]) / (na[i] + nb[i]) for i in (0, 1)]
    print("| %s | %s | %.1f %% | %.1f %% |" % (k[0], k[1], r[0], r[1]))
PY
} > "$OUT/digital.md"
cat "$OUT/digital.md" >> "$SUMMARY"
cat "$SUMMARY"
echo "$BENCH_NAME: summary $SUMMARY" >&2
