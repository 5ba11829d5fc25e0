#!/usr/bin/env bash
# Renders the seven /hVd/ words (heed hid had hod hawed who'd heard) with a pool of text-to-speech voices that are
# NOT the withheld test voices of SpokenWordsTest (runtime/.../SpokenVoices.java), for training (--set pool) or for
# choosing settings (--set dev); see BENCHMARKS.md "Hearing: training on more synthesizer voices" and audio.md.
#
#   bench/render-tts-pool.sh --set pool --out DIR   # training pool: espeak-ng accents x unused variants x pitch/speed,
#                                                   # flite awb and rms with F0/duration changes, child-like proxies
#   bench/render-tts-pool.sh --set dev --out DIR    # the 23 dev voices of BENCHMARKS.md ("where the TTS gap comes from")
#   bench/render-tts-pool.sh --set pool --accents en-us --out DIR   # only these espeak-ng accents of the pool (comma-
#                                                   # separated; flite's voices stay): the shipped hearing bundle's rows
#   bench/render-tts-pool.sh --set pool --words all12 --out DIR   # all 12 /hVd/ words (+ hayed head hoed hood hud),
#                                                   # for 12-vowel models; default pat7, the seven words above
#
# Files are VOICE_word.wav (VOICE has no '_'), the naming `pnn data wavs` reads labels and talkers from, e.g.
#   ./pnn data wavs --dir DIR --units hz-f0 --out pool.csv
# Deterministic: every voice is a fixed command line; a proxy is another pool voice's WAV with its sample rate
# relabelled (every frequency x the factor, as SpokenVoices' child proxies). Nothing is written into the repository.
# The split is by voice: no test voice (festival kal, ked, slt, krb; espeak-ng en-us+m1,m3,m5,m7,f1..f5; their x1.18
# proxies) and no dev voice is in the pool, and the pool leaves out flite's kal, kal16 and slt, which are recordings of
# the same speakers as the festival test voices kal and slt.
# Needs: espeak-ng (both sets), flite (pool: Debian package flite; its voices are left out, with a message, without
# it), python3 (the rate relabelling).
set -euo pipefail
SET=""; OUT=""; ONLY_ACCENTS=""; WORD_SET=pat7
while (( $# )); do
  case "$1" in
    --accents) ONLY_ACCENTS="${2:?--accents needs a comma-separated list, e.g. en-us}"; shift 2 ;;
    --set) SET="${2:?--set needs pool or dev}"; shift 2 ;;
    --words) WORD_SET="${2:?--words needs pat7 or all12}"; shift 2 ;;
    --out) OUT="${2:?--out needs a folder}"; shift 2 ;;
    -h|--help) sed -n '2,22p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "render-tts-pool: unknown option $1 (try --help)" >&2; exit 2 ;;
  esac
done
[[ "$SET" == pool || "$SET" == dev ]] || { echo "render-tts-pool: --set pool|dev is required" >&2; exit 2; }
[[ -n "$OUT" ]] || { echo "render-tts-pool: --out DIR is required" >&2; exit 2; }
command -v espeak-ng >/dev/null || { echo "render-tts-pool: espeak-ng is not installed" >&2; exit 1; }
mkdir -p "$OUT"

WORDS=(heed hid had hod hawed whod heard)
case "$WORD_SET" in
  pat7) ;;
  all12) WORDS+=(hayed head hoed hood hud) ;; # the seven WAVs stay byte-identical: each word is its own command
  *) echo "render-tts-pool: --words must be pat7 or all12, got $WORD_SET" >&2; exit 2 ;;
esac
text() { [[ "$1" == whod ]] && echo "who'd" || echo "$1"; }

# espeak VOICE_ID ESPEAK_VOICE [espeak-ng options...]
espeak() {
  local id="$1" voice="$2"; shift 2
  for w in "${WORDS[@]}"; do
    timeout 60 espeak-ng -v "$voice" "$@" -w "$OUT/${id}_$w.wav" "$(text "$w")"
  done
}

# flite VOICE_ID FLITE_VOICE [flite options...]
flite_voice() {
  local id="$1" voice="$2"; shift 2
  for w in "${WORDS[@]}"; do
    timeout 60 flite -voice "$voice" "$@" -t "$(text "$w")" -o "$OUT/${id}_$w.wav"
  done
}

# proxy NEW_ID SOURCE_ID FACTOR: the source voice's WAVs with the sample rate relabelled x FACTOR
proxy() {
  local id="$1" src="$2" factor="$3"
  for w in "${WORDS[@]}"; do
    python3 - "$OUT/${src}_$w.wav" "$OUT/${id}_$w.wav" "$factor" <<'EOF'
import sys, wave
src, dst, factor = sys.argv[1], sys.argv[2], float(sys.argv[3])
with wave.open(src, "rb") as r:
    params, frames = r.getparams(), r.readframes(r.getnframes())
with wave.open(dst, "wb") as w:
    w.setparams(params._replace(framerate=round(params.framerate * factor)))
    w.writeframes(frames)
EOF
  done
}

if [[ "$SET" == dev ]]; then
  for v in m2 m4 m6 klatt klatt2 klatt3 Andy annie Alicia belinda steph linda john david edward robert max aunty \
           grandpa Michael; do
    espeak "dev-$v" "en-us+$v"
  done
  proxy dev-annie-x1.18 dev-annie 1.18
  proxy dev-steph-x1.18 dev-steph 1.18
  proxy dev-m4-x1.25 dev-m4 1.25
  echo "render-tts-pool: dev: $(ls "$OUT" | grep -c '\.wav$') WAVs in $OUT" >&2
  exit 0
fi

# The pool. espeak-ng: 8 English accents x variants used by neither the test nor the dev voices; the pitch (-p,
# default 50) and speed (-s, default 175 words a minute) step through fixed values so each accent meets each.
ACCENTS=(en-us en-us-nyc en-gb en-gb-x-rp en-gb-scotland en-gb-x-gbclan en-gb-x-gbcwmd en-029)
if [[ -n "$ONLY_ACCENTS" ]]; then # a subset keeps each voice's pitch and speed: the same WAVs as in the whole pool
  [[ "$SET" == pool ]] || { echo "render-tts-pool: --accents is for --set pool" >&2; exit 2; }
  for a in ${ONLY_ACCENTS//,/ }; do
    [[ " ${ACCENTS[*]} " == *" $a "* ]] || { echo "render-tts-pool: --accents: $a is not a pool accent (${ACCENTS[*]})" >&2; exit 2; }
  done
fi
keep() { [[ -z "$ONLY_ACCENTS" || ",$ONLY_ACCENTS," == *",$1,"* ]]; }
MEN=(m8 klatt4 Gene Lee Mike ed iven norbert paul pablo antonio Denis victor boris)
WOMEN=(Andrea anika grandma shelby steph2 steph3 Alex zac)
PITCH=(35 50 65)
SPEED=(140 175 210)
declare -A ID
i=0
for a in "${ACCENTS[@]}"; do
  for v in "${MEN[@]}" "${WOMEN[@]}"; do
    p="${PITCH[$(( i % 3 ))]}"; s="${SPEED[$(( (i / 3) % 3 ))]}"
    ID["$a+$v"]="esp-$a+$v-p$p-s$s"
    keep "$a" && espeak "${ID["$a+$v"]}" "$a+$v" -p "$p" -s "$s"
    i=$(( i + 1 ))
  done
done
# child-like proxies: every accent's women once, x1.15 or x1.30 in turn
i=0
for a in "${ACCENTS[@]}"; do
  for v in "${WOMEN[@]}"; do
    src="${ID["$a+$v"]}"
    f=$([[ $(( i % 2 )) == 0 ]] && echo 1.15 || echo 1.30)
    keep "$a" && proxy "$src-x$f" "$src" "$f"
    i=$(( i + 1 ))
  done
done
# flite: CMU ARCTIC awb (Scottish English man) and rms (US English man), mean F0 and duration changed
if command -v flite >/dev/null; then
  for v in awb rms; do
    for f0 in 90 110 140; do
      for stretch in 1.0 1.3; do
        flite_voice "flite-$v-f$f0-d$stretch" "$v" --setf int_f0_target_mean="$f0" --setf duration_stretch="$stretch"
      done
    done
    proxy "flite-$v-f140-d1.0-x1.20" "flite-$v-f140-d1.0" 1.20
    proxy "flite-$v-f140-d1.3-x1.45" "flite-$v-f140-d1.3" 1.45
  done
else
  echo "render-tts-pool: flite is not installed (Debian package flite): its voices are left out" >&2
fi
echo "render-tts-pool: pool: $(ls "$OUT" | grep -c '\.wav$') WAVs in $OUT" >&2
