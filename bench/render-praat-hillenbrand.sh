#!/usr/bin/env bash
# Renders the real Hillenbrand talkers' vowels as /hVd/ words with Praat's KlattGrid: a second WITHHELD proxy set
# for issue 12 ("real talkers' vowel systems through an unfamiliar synthesizer"). The project's models never train
# on the Hillenbrand tokens and the project had never used Praat. Measured once per bundle and reported
# (bench/run-praat-hillenbrand.sh, BENCHMARKS.md "Hearing: real Hillenbrand talkers through Praat's KlattGrid",
# audio.md); never used to train, tune or choose a bundle.
#
#   bench/render-praat-hillenbrand.sh --out DIR [--vowels pat7|all12] [--data VOWDATA]
#
# One WAV per token of ../shared/data/hillenbrand/vowdata.dat (or --data) whose F0 and 12 formant features
# (F1-F3 at steady state, 20, 50, 80 %) are all measured, as HillenbrandReader keeps them: pat7 (default) the
# seven /hVd/ words heed hid had hod hawed who'd heard (870 tokens, 139 talkers), all12 Hillenbrand's 12.
# Writes DIR/TALKER_WORD.wav (TALKER = the file-name prefix m01, w12, b03, g07; WORD = heed, whod, ...: the naming
# `pnn data wavs` reads talker and label from), DIR/voices.tsv (one line a talker, for SpokenWordsTest
# -Dspoken.wavs=DIR; word set english or english12) and DIR/params.tsv (what each WAV was asked to be).
# 16 kHz 16-bit mono PCM (KlattGrid renders at 44.1 kHz; Praat's Resample to 16 kHz, precision 50; peak
# scaled to 0.9). Deterministic: Praat's noise generator is seeded per token (random_initializeWithSeed...), so
# every run writes the same bytes.
#
# Synthesis choices (fixed before any bundle was measured on the set; tuned only against the synthesis targets,
# i.e. the front end's formants against what was rendered, never against a classifier):
#  - word: 70 ms /h/ (aspiration only, 65 dB against the vowel's 90 dB voicing: about 17 dB below it, rising over
#    10 ms), the vowel (the table's duration), a 50 ms /d/ closure (voice bar at 62 dB, 28 dB below the vowel),
#    a 12 ms release burst, 30 ms of silence. Voicing rises over 25 ms at the vowel onset, where the aspiration
#    fades out over 20 ms; -2 dB over the vowel's last 20 ms.
#  - F0: the table's ("steady state") value at 30 % of the vowel, 1.06x at the onset, 0.9x at the vowel's end,
#    0.85x at the release (a small natural fall). Glottal source: KlattGrid's own (open phase 0.7, power1 3,
#    power2 4: Praat's defaults written out); no flutter, no jitter.
#  - F1-F3: piecewise-linear through the 20 %, 50 %, 80 % values and the steady-state values, placed at the time
#    (22-78 % of the vowel) where the 20/50/80 track comes closest to them (bench/praat_hillenbrand_params.py);
#    held at the 20 % values before (and through the /h/) and at the 80 % values after.
#  - F4 = median of the talker's measured F4 (column 7, all 12 vowels; its group's median talker value when the
#    talker has none), F5 = F4 x 9/7 (uniform tube: the vocal-tract length F4 implies); each kept at least
#    300 / 400 Hz above the formant below.
#  - bandwidths: 50 Hz + 4 % of the formant frequency (F1 500 Hz: 70 Hz; F2 2000 Hz: 130 Hz; F4 3500: 190 Hz).
#  - /d/: F1 falls to 60 % of its 80 % value (at least 180 Hz) over the closure, F2-F5 held (no locus); the burst
#    is frication noise through two frication formants at the talker's F4 and F5 (bandwidths 300, 400 Hz).
# Needs: praat (Debian package praat; 6.3.07 was used), python3.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
die() { echo "render-praat-hillenbrand: $*" >&2; exit 1; }
usage() { echo "render-praat-hillenbrand: $* (try --help)" >&2; exit 2; }

OUT=""
VOWELS=pat7
DATA="$ROOT/../shared/data/hillenbrand/vowdata.dat"
while (( $# )); do
  case "$1" in
    --out|--vowels|--data)
      (( $# >= 2 )) || usage "$1 needs a value"
      case "$1" in --out) OUT="$2" ;; --vowels) VOWELS="$2" ;; --data) DATA="$2" ;; esac
      shift 2 ;;
    -h|--help) sed -n '2,38p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) usage "unknown option $1" ;;
  esac
done
[[ -n "$OUT" ]] || usage "--out DIR is required"
[[ "$VOWELS" == pat7 || "$VOWELS" == all12 ]] || usage "--vowels must be pat7 or all12, not $VOWELS"
[[ -f "$DATA" ]] || die "no Hillenbrand data at $DATA (see ../shared/data/README.md, or give --data FILE)"
command -v praat >/dev/null 2>&1 || die "praat is not installed (Debian: apt-get install praat)"
command -v python3 >/dev/null 2>&1 || die "python3 is not installed"

mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"
rm -f "$OUT"/*.wav "$OUT/voices.tsv" "$OUT/params.tsv"
python3 "$ROOT/bench/praat_hillenbrand_params.py" "$DATA" "$VOWELS" "$OUT/params.tsv"
timeout 1800 praat --run "$ROOT/bench/render-praat-hillenbrand.praat" "$OUT/params.tsv" "$OUT" \
  || die "praat failed"
set_name=$([[ "$VOWELS" == pat7 ]] && echo english || echo english12)
version="$(praat --version | head -1)"
awk -F'\t' -v set="$set_name" -v ver="$version" 'NR > 1 && !seen[$1]++ {
  printf "%s\t%s\tRULES\tpraat\t%s\tKlattGrid\tpraat\tHillenbrand talker %s rendered by %s KlattGrid\tok\n",
    $1, $3, set, $1, ver }' "$OUT/params.tsv" > "$OUT/voices.tsv"
wavs=$(find "$OUT" -maxdepth 1 -name '*.wav' | wc -l)
tokens=$(( $(wc -l < "$OUT/params.tsv") - 1 ))
(( wavs == tokens )) || die "$wavs WAVs for $tokens tokens in $OUT"
echo "render-praat-hillenbrand: $wavs WAVs of $(wc -l < "$OUT/voices.tsv") talkers in $OUT" >&2
