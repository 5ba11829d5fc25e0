#!/usr/bin/env bash
# Renders the WITHHELD set of synthesizer voices: the /hVd/ words (heed hid had hod hawed who'd heard -> iy ih ae ah
# aw uw er) spoken by SAM, the Software Automatic Mouth (1982 rule-based formant synthesizer; npm package sam-js) in
# 12 voices, and the Czech h+vowel+d words (5 vowels) by three Czech festival adults. Nothing in the project trains,
# tunes or chooses on these voices: they are measured once per bundle and reported (bench/run-withheld-voices.sh,
# BENCHMARKS.md "Hearing: a withheld set of synthesizer voices", audio.md). Voices: bench/withheld-voices.tsv;
# words: bench/withheld-words.tsv.
#
#   bench/render-withheld-voices.sh --out DIR
#
# Writes DIR/VOICE_word.wav (the naming `pnn data wavs` reads labels and talkers from) and DIR/voices.tsv (every
# voice of withheld-voices.tsv with a last column: ok, or why it is missing), which SpokenWordsTest reads with
# -Dspoken.wavs=DIR. SAM: 8-bit unsigned PCM at 22,050 Hz (its native output); festival: 16-bit PCM at the voice's
# rate (32 or 44.1 kHz). Deterministic: fixed settings, no random part.
# Needs: node and npm (SAM: `npm pack sam-js@0.3.1` into target/sam-js/, checked against its pinned sha512 and
# not committed; SAM's licence status is "abandonware", see its README), festival (the Czech voices:
#   sudo apt-get install festival festvox-czech-dita festvox-czech-machac festvox-czech-ph
# a voice whose package is missing is left out with a message), iconv (festival's Czech reads ISO-8859-2).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SAM_VERSION=0.3.1
SAM_INTEGRITY="sha512-X4GUr8Q/T8RgtjnPOssSwYDknxot69PgEAVvwsJ4kB8Lz8wytuHB6n1JqsXLmpdKGD8YR9tqKptm07jmw83eWQ=="
die() { echo "render-withheld-voices: $*" >&2; exit 1; }

OUT=""
while (( $# )); do
  case "$1" in
    --out) (( $# >= 2 )) || { echo "render-withheld-voices: --out needs a folder" >&2; exit 2; }; OUT="$2"; shift 2 ;;
    -h|--help) sed -n '2,20p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "render-withheld-voices: unknown option $1 (try --help)" >&2; exit 2 ;;
  esac
done
[[ -n "$OUT" ]] || { echo "render-withheld-voices: --out DIR is required" >&2; exit 2; }
for tool in node npm festival iconv; do
  command -v "$tool" >/dev/null 2>&1 || die "$tool is not installed (node, npm: Debian packages nodejs npm; festival:" \
    "festival festvox-czech-dita festvox-czech-machac festvox-czech-ph; iconv: libc-bin)"
done
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"
rm -f "$OUT"/*.wav "$OUT/voices.tsv"

# the words of a set, as FILE=TEXT lines, from withheld-words.tsv
words() { awk -F'\t' -v set="$1" '!/^#/ && $1 == set { print $3 "=" $4 }' "$ROOT/bench/withheld-words.tsv"; }

# SAM, fetched once into target/sam-js (npm pack: the registry's tarball, no install scripts run), integrity checked
SAM_DIR="$ROOT/target/sam-js"
SAM_JS="$SAM_DIR/package/dist/samjs.common.min.js"
if [[ ! -f "$SAM_JS" ]]; then
  command -v openssl >/dev/null 2>&1 || die "openssl is not installed (it checks the sam-js tarball's sha512)"
  mkdir -p "$SAM_DIR"
  (cd "$SAM_DIR" && timeout 300 npm pack "sam-js@$SAM_VERSION" --silent >/dev/null) \
    || die "npm pack sam-js@$SAM_VERSION failed (is the npm registry reachable?)"
  tgz="$SAM_DIR/sam-js-$SAM_VERSION.tgz"
  got="sha512-$(openssl dgst -sha512 -binary "$tgz" | base64 -w0)"
  [[ "$got" == "$SAM_INTEGRITY" ]] || { rm -f "$tgz"; die "sam-js-$SAM_VERSION.tgz has integrity $got, expected $SAM_INTEGRITY"; }
  tar -xzf "$tgz" -C "$SAM_DIR"
  [[ -f "$SAM_JS" ]] || die "sam-js $SAM_VERSION has no $SAM_JS"
fi

# festival VOICE_ID VOICE_FUNCTION: one batch script per voice (as SpokenVoices does), ISO-8859-2 for Czech
festival_voice() {
  local id="$1" fn="$2" scm="$OUT/$1.scm" file text
  echo "($fn)" > "$scm.utf8"
  while IFS='=' read -r file text; do
    printf '(utt.save.wave (SynthText "%s") "%s" (quote riff))\n' "$text" "$OUT/${id}_$file.wav" >> "$scm.utf8"
  done < <(words czech)
  iconv -f UTF-8 -t ISO-8859-2 "$scm.utf8" > "$scm" && rm -f "$scm.utf8"
  timeout 120 festival --batch "$scm" > "$OUT/$id.log" 2>&1 || return 1
  rm -f "$scm" "$OUT/$id.log"
}

ok=0
while IFS=$'\t' read -r id speaker kind engine set settings package about; do
  [[ -z "$id" || "$id" == \#* ]] && continue
  status=ok
  case "$engine" in
    sam)
      read -r speed pitch mouth throat <<< "$settings"
      mapfile -t w < <(words "$set")
      node "$ROOT/bench/render-sam.cjs" "$SAM_JS" "$OUT" "$id" "$speed" "$pitch" "$mouth" "$throat" "${w[@]}" \
        || status="sam-js failed" ;;
    festival)
      if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
        status="$package is not installed"
      elif ! festival_voice "$id" "$settings"; then
        status="festival failed (log: $OUT/$id.log)"
      fi ;;
    *) die "withheld-voices.tsv: unknown engine $engine" ;;
  esac
  if [[ "$status" != ok ]]; then
    echo "render-withheld-voices: $id left out: $status" >&2
    rm -f "$OUT/${id}"_*.wav
  else
    ok=$(( ok + 1 ))
  fi
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$id" "$speaker" "$kind" "$engine" "$set" "$settings" "$package" \
    "$about" "$status" >> "$OUT/voices.tsv"
done < "$ROOT/bench/withheld-voices.tsv"
(( ok > 0 )) || die "no voice rendered"
echo "render-withheld-voices: $ok voices, $(ls "$OUT" | grep -c '\.wav$') WAVs in $OUT" >&2
