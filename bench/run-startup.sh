#!/usr/bin/env bash
# Start-up and memory of the Pi runtime (BENCHMARKS.md, runtime, "Start-up, memory and the Pi's lib"):
#   1. the Pi's runtime lib: runtime/target/pnn-runtime.jar + runtime/target/lib, size per jar;
#   2. what the launcher itself costs before the JVM starts (one `java -XshowSettings -version` per JDK candidate);
#   3. `./pnn run` cold start to the first answered classify (wall and CPU seconds) and RSS after 300 inferences,
#      with default JVM flags, the Pi setting and the setting of the systemd unit (src/dist/pnn-edge.service), class-data
#      sharing off and on (RuntimeWallClock through bench/run-runtime.sh --wallclock; with CDS on, one priming launch
#      per setting first writes the archive and is reported apart); the load average is printed before each series;
#   4. with hyperfine installed (Debian: apt-get install hyperfine): a one-shot `./pnn classify --device emulator:shg
#      --bundle … --features …` (JVM start → bundle → device → one inference → exit), same four settings.
#
#   bench/run-startup.sh                     # all of it, 5 launches per setting (about 6 minutes on 2 loaded cores)
#   bench/run-startup.sh --runs 3 --cds off  # fewer launches; only CDS off (e.g. for a checkout without CDS)
#   bench/run-startup.sh --root DIR          # measure another checkout's ./pnn (its bench/run-runtime.sh)
#   bench/run-startup.sh --skip-service | --skip-cli
#   bench/run-startup.sh --setting "lean=-Xmx64m -Xint"   # replaces the settings below (repeatable)
#
# The Pi setting is what BENCHMARKS.md's runtime section has always used: -Xmx64m -XX:+UseSerialGC
# -XX:TieredStopAtLevel=1; PNN_PI_OPTS replaces it. "pi-unit" is what the systemd unit sets (PNN_UNIT_OPTS replaces
# it). Archives go to a temporary PNN_CDS_DIR, removed at the end.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$HERE")"
RUNS=5
CDS_MODES=(off on)
SERVICE=1
CLI=1
SETTINGS=()
while (( $# )); do
  case "$1" in
    --runs) RUNS="$2"; shift 2;;
    --cds) CDS_MODES=("$2"); shift 2;;
    --root) ROOT="$(cd "$2" && pwd)"; shift 2;;
    --skip-service) SERVICE=0; shift;;
    --skip-cli) CLI=0; shift;;
    --setting) SETTINGS+=("$2"); shift 2;;
    -h|--help) sed -n '2,20p' "${BASH_SOURCE[0]}"; exit 0;;
    *) echo "run-startup: unknown option $1 (see --help)" >&2; exit 2;;
  esac
done
PI_OPTS="${PNN_PI_OPTS:--Xmx64m -XX:+UseSerialGC -XX:TieredStopAtLevel=1}"
# the systemd unit's PNN_JAVA_OPTS (src/dist/pnn-edge.service): the Pi setting with a 4 MB young generation and a
# smaller code cache
UNIT_OPTS="${PNN_UNIT_OPTS:-$(sed -n 's/^Environment="PNN_JAVA_OPTS=\(.*\)"$/\1/p' "$ROOT/src/dist/pnn-edge.service")}"
(( ${#SETTINGS[@]} )) || SETTINGS=("default=" "pi=$PI_OPTS" "pi-unit=$UNIT_OPTS")
JVM_OPTS=()
for s in "${SETTINGS[@]}"; do JVM_OPTS+=(--jvm-opts "$s"); done
load() { echo "   load average $(cut -d' ' -f1-3 /proc/loadavg) at $(date -u +%T)"; }
CDS_TMP="$(mktemp -d)"
trap 'rm -rf "$CDS_TMP"' EXIT
cd "$ROOT"

echo "== run-startup: $(date -u +%FT%TZ), $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg), checkout $ROOT ($(git rev-parse --short HEAD 2>/dev/null || echo ?))"
./pnn --version >/dev/null # builds the jars when stale, so no timed start includes a build

echo "== 1. the Pi's runtime lib (what a deployed service loads)"
( cd runtime/target && du -b pnn-runtime.jar lib/*.jar | sort -n | awk '{printf "%10.1f kB  %s\n", $1/1000, $2; t+=$1} END {printf "%10.1f MB  total, %d files\n", t/1e6, NR}' )

echo "== 2. the launcher before the JVM: JDK discovery starts one JVM per candidate"
JAVA_BIN="$(source "$HERE/lib.sh"; find_java)" # the JDK ./pnn picks (same search)
t=()
for _ in 1 2 3 4 5; do
  s=$(date +%s%N); "$JAVA_BIN" -XshowSettings:properties -version >/dev/null 2>&1; e=$(date +%s%N)
  t+=($(( (e - s) / 1000000 )))
done
printf '   %s -XshowSettings:properties -version: ms per call %s (sorted)\n' "$JAVA_BIN" "$(printf '%s\n' "${t[@]}" | sort -n | tr '\n' ' ')"

if (( SERVICE )); then
  for cds in "${CDS_MODES[@]}"; do
    export PNN_CDS="$cds" PNN_CDS_DIR="$CDS_TMP/service-$cds"
    if [[ "$cds" == on ]]; then
      echo "== 3. ./pnn run, CDS on: priming launch per setting (writes the archive at exit; its cold start has no archive)"
      bench/run-runtime.sh --wallclock --skip-inprocess --cold-runs 1 --inferences 20 --cli-calls 0 \
        "${JVM_OPTS[@]}" | grep -E '^(run|summary)'
      ls -l "$PNN_CDS_DIR" | sed 's/^/   /'
    fi
    echo "== 3. ./pnn run, CDS $cds: $RUNS launches per setting"; load
    bench/run-runtime.sh --wallclock --skip-inprocess --cold-runs "$RUNS" --cli-calls 0 \
      "${JVM_OPTS[@]}" | grep -E '^(run|summary|==)'
    load
  done
fi

if (( CLI )); then
  if ! command -v hyperfine >/dev/null; then
    echo "== 4. skipped: hyperfine not installed (Debian: apt-get install hyperfine)"
  else
    FEATURES="$(python3 -c 'print(",".join(["0.5"]*12))')"
    for cds in "${CDS_MODES[@]}"; do
      for s in "${SETTINGS[@]}"; do
        setting="${s%%=*}"; opts="${s#*=}"
        echo "== 4. one-shot ./pnn classify, $setting, CDS $cds ($RUNS runs after 1 warm-up launch that also writes the archive)"; load
        PNN_CDS="$cds" PNN_CDS_DIR="$CDS_TMP/cli-$cds" PNN_JAVA_OPTS="$opts" hyperfine -N -w 1 -r "$RUNS" --style basic \
          --export-json "$CDS_TMP/h.json" \
          "./pnn classify --device emulator:shg?seed=1 --bundle src/dist/models/vowels7.pnnb --features $FEATURES" \
          | grep -E 'Time|Range' || true
        python3 -c "import json,statistics as s; j=json.load(open('$CDS_TMP/h.json'))['results'][0]; r=j['times']; print('   wall median %.3f s [%.3f-%.3f]; user+sys mean %.3f s' % (s.median(r), min(r), max(r), j['user'] + j['system']))"
      done
    done
  fi
fi
