#!/usr/bin/env bash
# Speaks the seven /hVd/ words (heed hid had hod hawed who'd heard) with every installed text-to-speech voice,
# classifies each WAV as `pnn classify --wav` does (shipped bundle, emulated SHG device) and prints the accuracy
# tables; see BENCHMARKS.md, "Spoken /hVd/ words". About a minute on 2 cores (most of it the LPC analysis).
#
#   bench/run-spoken-words.sh                                  # shipped hearing bundle src/dist/models/vowels7-talker13.pnnb
#   bench/run-spoken-words.sh --bundle my.pnnb --trust my.pub  # another bundle (and the key it is signed with)
#   bench/run-spoken-words.sh --device 'emulator:shg?seed=2&timing=zero' --floor 0.5
#   bench/run-spoken-words.sh --sessions off   # every word in session 0 of a fresh device (the method before
#                                              # 2026-12-06 late); default per-word: word k meets session k
#   bench/run-spoken-words.sh --wavs DIR --out runtime/target/X   # WAVs rendered beforehand (DIR/voices.tsv, e.g.
#                                              # the withheld set: bench/run-withheld-voices.sh), report in X
#
# Test class: runtime/src/test/java/org/pnnedge/runtime/cli/SpokenWordsTest.java (voices: SpokenVoices.java).
# Writes runtime/target/spoken-words/: report.md (per voice, per speaker group, per vowel, every word),
# results.csv, confusion.png and the WAVs (wav/, replay one with ./pnn classify --wav). The Maven log goes to
# runtime/target/spoken-words.log.
# Needs Maven (it runs `mvn test` on the runtime module and the modules it needs) and the synthesizers:
#   sudo apt-get install festival festvox-kallpc16k festvox-kdlpc16k festvox-us-slt-hts festvox-czech-krb espeak-ng
# Without festival and espeak-ng the test is skipped; a missing voice package leaves that voice out.
set -euo pipefail
# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
BENCH_NAME=run-spoken-words

props=()
OUT_REL=runtime/target/spoken-words   # the report folder, relative to the checkout (SpokenWordsTest's spoken.out)
while (( $# )); do
  case "$1" in
    --bundle|--device|--trust|--floor|--sessions)
      (( $# >= 2 )) || bench_die "$1 needs a value"
      value="$2"
      # files relative to where the script was started, not to runtime/ where the tests run
      if [[ "$1" == --bundle || "$1" == --trust ]]; then
        [[ -f "$value" ]] || bench_die "$1: no such file: $value"
        value="$(cd "$(dirname "$value")" && pwd)/$(basename "$value")"
      fi
      props+=("-Dspoken.${1#--}=$value")
      shift 2 ;;
    --wavs|--out)
      (( $# >= 2 )) || bench_die "$1 needs a value"
      [[ "$1" == --out ]] && OUT_REL="$2"
      value="$2"
      [[ "$1" == --wavs ]] && { [[ -f "$value/voices.tsv" ]] || bench_die "--wavs: no $value/voices.tsv"; \
        value="$(cd "$value" && pwd)"; }
      props+=("-Dspoken.${1#--}=$value")
      shift 2 ;;
    -h|--help)
      sed -n '2,21p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
      exit 0 ;;
    *) bench_die "unknown option $1 (try --help)" ;;
  esac
done

command -v mvn >/dev/null 2>&1 || bench_die "Maven (mvn) is needed"
for tool in festival espeak-ng; do
  command -v "$tool" >/dev/null 2>&1 || echo "$BENCH_NAME: $tool is not installed: its voices are left out" >&2
done

OUT="$ROOT/$OUT_REL"
LOG="$OUT.log"
mkdir -p "$(dirname "$OUT")"
rm -f "$OUT/report.md"
echo "$BENCH_NAME: mvn test -Dtest=SpokenWordsTest (log: $LOG)..." >&2
status=0
(cd "$ROOT" && mvn -B -pl runtime -am test -Dtest=SpokenWordsTest -Dsurefire.failIfNoSpecifiedTests=false \
  ${props[@]+"${props[@]}"}) > "$LOG" 2>&1 || status=$?

if [[ -f "$OUT/report.md" ]]; then
  # the summary and the three tables; report.md also lists the voices and every word's answer
  sed -n '/^\*\*Overall/,/^## Voices/p' "$OUT/report.md" | sed '$d'
  echo "report: $OUT/report.md"
  echo "confusion matrix: $OUT/confusion.png; per-word CSV: $OUT/results.csv; WAVs: $OUT/wav/"
elif grep -q "SpokenWordsTest skipped" "$LOG"; then
  grep -o "SpokenWordsTest skipped.*" "$LOG" | head -1 >&2
fi
if (( status != 0 )); then
  echo "$BENCH_NAME: FAILED (exit $status); the end of $LOG:" >&2
  grep -E "^\[ERROR\]|AssertionFailed|FAIL" "$LOG" | head -20 >&2 || tail -40 "$LOG" >&2
  exit "$status"
fi
