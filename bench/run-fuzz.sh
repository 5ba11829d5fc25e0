#!/usr/bin/env bash
# Long mode of the fuzz/property tests (SECURITY.md): every *FuzzTest of every module with TRIES tries per
# property instead of the build's 300, then a table of time and result per property from surefire's reports.
#
#   bench/run-fuzz.sh [TRIES] [TEST-PATTERN]     # defaults: 1000000 '*FuzzTest'
#   bench/run-fuzz.sh 20000                       # a few minutes on 2 cores
#   bench/run-fuzz.sh 1000000 'FrameCodecFuzzTest,WavFuzzTest'
#   PNN_FUZZ_NICE=15 bench/run-fuzz.sh            # niceness of the run (default 10), for a long run beside other work
#
# Every module runs even when one's properties fail. Writes target/fuzz-summary.md (also printed). Exit status 1 when
# a property failed (jqwik prints the failing sample and its seed in target/fuzz.log; the sample belongs in the
# parser's corpus under src/test/resources/fuzz/) or Maven failed otherwise.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TRIES="${1:-1000000}"
PATTERN="${2:-*FuzzTest}"
cd "$ROOT"
rm -f */target/surefire-reports/TEST-*FuzzTest.xml # the table lists this run's properties only
start=$(date +%s)
set +e
# a hang is a failure, but a slow machine under a long run should not be: 30 s per try
nice -n "${PNN_FUZZ_NICE:-10}" mvn -B -q -o test -Dmaven.test.failure.ignore=true -Dtest="$PATTERN" -Dsurefire.failIfNoSpecifiedTests=false -Dpnn.fuzz.tries="$TRIES" \
  -Dpnn.fuzz.timeout.ms=30000 2>&1 | grep -av '^INFO: Edge case generation\|logEdgeCasesOutnumberTriesIfApplicable' \
  | tail -200 > target-fuzz.log
status=${PIPESTATUS[0]}
set -e
elapsed=$(( $(date +%s) - start ))
mkdir -p target
{
  echo "# Fuzz long mode: $TRIES tries per property, pattern '$PATTERN'"
  echo
  echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, wall time ${elapsed} s (Maven included), exit status $status"
  echo
  echo "| module | test class | property | seconds | result |"
  echo "|---|---|---|---:|---|"
  for xml in */target/surefire-reports/TEST-*FuzzTest.xml; do
    module="${xml%%/*}"
    python3 - "$xml" "$module" <<'PY'
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
cls = root.get("name").rsplit(".", 1)[-1]
for tc in root.iter("testcase"):
    bad = tc.find("failure") if tc.find("failure") is not None else tc.find("error")
    result = "ok" if bad is None else "FAILED: " + (bad.get("message") or "")[:120].replace("|", "/").replace("\n", " ")
    print(f"| {sys.argv[2]} | {cls} | {tc.get('name')} | {float(tc.get('time')):.1f} | {result} |")
PY
  done
  echo
  echo "Properties named regression*/aGzipBomb*/deeplyNested*/aNul*/classifies* are examples (one run each)."
} > target/fuzz-summary.md
mv target-fuzz.log target/fuzz.log
cat target/fuzz-summary.md
if grep -q '| FAILED' target/fuzz-summary.md; then
  status=1
fi
[[ $status -ne 0 ]] && echo "failures: see target/fuzz.log" >&2
exit "$status"
