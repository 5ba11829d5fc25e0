#!/usr/bin/env bash
# The spoken /hVd/ words through `pnn listen --wav`, as a user meets them: each text-to-speech voice's words
# (heed hid had hod hawed who'd heard, the Czech child voice its five) in one recording, 0.6 s of silence before,
# between and after them, one `pnn listen --wav VOICE.wav --json` per voice (a fresh device per voice, so a
# talker13 bundle's G comes from that voice's earlier answers). With --orders N the words are also said in N-1
# rotated orders (hid ... heard heed, had ... hid, ...): a fresh emulated device replays the same noise draws, so
# the k-th word of every recording meets the same draw, and only rotating the words spreads them over it.
# Each segment is matched to the word whose interval holds its midpoint; a word with no segment, or only rejected
# ones, counts as wrong. Compares with `pnn classify --wav` of each word's own file (a fresh device per word: every
# word meets the first draw). See BENCHMARKS.md, "Hearing through `pnn listen`".
#
#   bench/run-listen-words.sh            # shipped hearing bundle src/dist/models/vowels7-talker13.pnnb (as the
#                                        # service and pnn demo), emulator:shg?seed=1&timing=zero; the hz12
#                                        # bundle: --bundle src/dist/models/vowels7.pnnb
#   bench/run-listen-words.sh --bundle B.pnnb --trust K.pub --device URI --wavs DIR --out DIR --orders 7 \
#       --no-classify -- --talker-min-confidence 0                # after --: passed to pnn listen
#
# Needs the WAVs of bench/run-spoken-words.sh (runtime/target/spoken-words/wav, or --wavs) and python3.
# Writes OUT (default runtime/target/listen-words/): rNN/VOICE.wav and .jsonl per order, words.csv (one row per
# word: order, position, voice, word, listen answer, classify answer, both F1-F3); prints per-group accuracy.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUNDLE="$ROOT/src/dist/models/vowels7-talker13.pnnb"   # the service's and pnn demo's default
DEVICE='emulator:shg?seed=1&timing=zero'
WAVS="$ROOT/runtime/target/spoken-words/wav"
OUT="$ROOT/runtime/target/listen-words"
TRUST=()
CLASSIFY=1
ORDERS=1
EXTRA=()
while (( $# )); do
  case "$1" in
    --bundle) BUNDLE="$(realpath "$2")"; shift 2 ;;
    --trust) TRUST=(--trust "$(realpath "$2")"); shift 2 ;;
    --device) DEVICE="$2"; shift 2 ;;
    --wavs) WAVS="$(realpath "$2")"; shift 2 ;;
    --out) OUT="$(realpath -m "$2")"; shift 2 ;;
    --no-classify) CLASSIFY=0; shift ;;
    --orders) ORDERS="$2"; shift 2 ;;
    --) shift; EXTRA=("$@"); break ;;
    -h|--help) sed -n '2,20p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "run-listen-words: unknown option $1 (try --help)" >&2; exit 1 ;;
  esac
done
[[ -d "$WAVS" ]] || { echo "run-listen-words: no WAVs in $WAVS: run bench/run-spoken-words.sh first" >&2; exit 1; }
command -v python3 >/dev/null || { echo "run-listen-words: python3 is needed" >&2; exit 1; }
mkdir -p "$OUT"
PNN="${PNN:-$ROOT/pnn}" # another launcher, e.g. a frozen copy of the jars
for (( r = 0; r < ORDERS; r++ )); do
  python3 "$ROOT/bench/listen_words.py" concat "$WAVS" "$OUT" "$r"
  for rec in "$OUT/r$(printf %02d "$r")"/*.wav; do
    "$PNN" listen --wav "$rec" --device "$DEVICE" --bundle "$BUNDLE" ${TRUST[@]+"${TRUST[@]}"} --json \
      ${EXTRA[@]+"${EXTRA[@]}"} > "${rec%.wav}.jsonl" 2> "${rec%.wav}.err" || true
  done
done
if (( CLASSIFY )); then
  : > "$OUT/classify.jsonl"
  for w in "$WAVS"/*.wav; do
    a="$("$PNN" classify --wav "$w" --device "$DEVICE" --bundle "$BUNDLE" ${TRUST[@]+"${TRUST[@]}"} --json 2>/dev/null | tr -d '\n' || true)"
    printf '{"file":"%s","answer":%s}\n' "$(basename "$w")" "${a:-null}" >> "$OUT/classify.jsonl"
  done
fi
python3 "$ROOT/bench/listen_words.py" score "$WAVS" "$OUT" "$ORDERS"
