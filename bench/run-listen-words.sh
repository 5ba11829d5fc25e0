#!/usr/bin/env bash
# The spoken /hVd/ words through `pnn listen --wav`, as a user meets them: each text-to-speech voice's words
# (heed hid had hod hawed who'd heard, the Czech child voice its five) in one recording, 0.6 s of silence before,
# between and after them, one `pnn listen --wav VOICE.wav --json` per voice (a fresh device per voice, so a
# talker13 bundle's G comes from that voice's earlier answers). Each segment is matched to the word whose
# interval holds its midpoint; a word with no segment, or only rejected ones, counts as wrong. Compares every
# word with `pnn classify --wav` of the same word's file (a fresh device per word). See BENCHMARKS.md,
# "Hearing through `pnn listen`".
#
#   bench/run-listen-words.sh                                   # shipped bundle, emulator:shg?seed=1&timing=zero
#   bench/run-listen-words.sh --bundle B.pnnb --trust K.pub --device URI --wavs DIR --out DIR --no-classify
#
# Needs the WAVs of bench/run-spoken-words.sh (runtime/target/spoken-words/wav, or --wavs) and python3.
# Writes OUT (default runtime/target/listen-words/): VOICE.wav, VOICE.jsonl, words.csv (one row per word:
# voice, word, expected, listen answer, classify answer, both F1-F3) and prints per-group accuracy.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUNDLE="$ROOT/src/dist/models/vowels7.pnnb"
DEVICE='emulator:shg?seed=1&timing=zero'
WAVS="$ROOT/runtime/target/spoken-words/wav"
OUT="$ROOT/runtime/target/listen-words"
TRUST=()
CLASSIFY=1
while (( $# )); do
  case "$1" in
    --bundle) BUNDLE="$(realpath "$2")"; shift 2 ;;
    --trust) TRUST=(--trust "$(realpath "$2")"); shift 2 ;;
    --device) DEVICE="$2"; shift 2 ;;
    --wavs) WAVS="$(realpath "$2")"; shift 2 ;;
    --out) OUT="$(realpath -m "$2")"; shift 2 ;;
    --no-classify) CLASSIFY=0; shift ;;
    -h|--help) sed -n '2,15p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "run-listen-words: unknown option $1 (try --help)" >&2; exit 1 ;;
  esac
done
[[ -d "$WAVS" ]] || { echo "run-listen-words: no WAVs in $WAVS: run bench/run-spoken-words.sh first" >&2; exit 1; }
command -v python3 >/dev/null || { echo "run-listen-words: python3 is needed" >&2; exit 1; }
mkdir -p "$OUT"
python3 "$ROOT/bench/listen_words.py" concat "$WAVS" "$OUT"
for rec in "$OUT"/rec/*.wav; do
  v="$(basename "$rec" .wav)"
  "$ROOT/pnn" listen --wav "$rec" --device "$DEVICE" --bundle "$BUNDLE" ${TRUST[@]+"${TRUST[@]}"} --json \
    > "$OUT/$v.jsonl" 2> "$OUT/$v.err" || true
done
if (( CLASSIFY )); then
  : > "$OUT/classify.jsonl"
  for w in "$WAVS"/*.wav; do
    a="$("$ROOT/pnn" classify --wav "$w" --device "$DEVICE" --bundle "$BUNDLE" ${TRUST[@]+"${TRUST[@]}"} --json 2>/dev/null | tr -d '\n' || true)"
    printf '{"file":"%s","answer":%s}\n' "$(basename "$w")" "${a:-null}" >> "$OUT/classify.jsonl"
  done
fi
python3 "$ROOT/bench/listen_words.py" score "$WAVS" "$OUT"
