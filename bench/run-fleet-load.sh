#!/usr/bin/env bash
# Fleet load test: N simulated devices (default 1,000) on a 3-node ejabberd cluster with the fleet database, RATE
# telemetry msg/s (default N/10) for DURATION seconds (default 60), WORKERS ingest workers (default 2) writing to
# PostgreSQL. Everything through the real CLI: pnn fleet up, pnn fleet account add, pnn fleet ingest, pnn fleet simulate.
# Measures over the telemetry window (from the simulator's "connected" line until DURATION later), from /proc:
# CPU of the three beam.smp nodes, of the ingest workers, of PostgreSQL (postmaster + backends) and of the simulator;
# RSS of each node; load average and free memory every SAMPLE seconds (the machine may be shared). After the run:
# telemetry sent (simulator) vs. delivered to the simulator's observer vs. stored in PostgreSQL, end-to-end latency
# (observer) and device -> ingest worker delay (received - ts: arrival at the worker, PostgreSQL) percentiles.
# Usage: bench/run-fleet-load.sh [--n N] [--rate R] [--duration S] [--workers W]      (or N= RATE= DURATION= WORKERS=)
#        N=10000 RATE=1000 DURATION=300 bench/run-fleet-load.sh
# The state directory $W/state (cluster CA, accounts.json, database) is kept between runs: `pnn fleet up` re-registers
# the accounts of accounts.json in the fresh broker spool and `account add --count N` only adds missing ones; FRESH=1
# starts from nothing. Everything started here is stopped on exit, failure or Ctrl-C.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
while (($#)); do
  case "$1" in
    --n) N="$2"; shift 2 ;;
    --rate) RATE="$2"; shift 2 ;;
    --duration) DURATION="$2"; shift 2 ;;
    --workers) WORKERS="$2"; shift 2 ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) echo "run-fleet-load.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
N="${N:-1000}"
RATE="${RATE:-$((N / 10))}"
DURATION="${DURATION:-60}"
WORKERS="${WORKERS:-2}"
SESSIONS="${SESSIONS:-64}"   # MQTT sessions per ingest worker
SAMPLE="${SAMPLE:-10}"
W="${W:-/tmp/pnn-fleet-load}"
S="$W/state"
NAME="${NAME:-pnnld}"
MQTT="${MQTT_PORT:-23891}"
PORTS=(--state-dir "$S" --name "$NAME" --mqtt-port "$MQTT" --tls-port "${TLS_PORT:-23991}")
DB=(--db-port "${DB_PORT:-23591}")
SERVERS="tcp://127.0.0.1:$MQTT,tcp://127.0.0.1:$((MQTT + 1)),tcp://127.0.0.1:$((MQTT + 2))"
for v in N RATE DURATION WORKERS SESSIONS; do
  [[ "${!v}" =~ ^[1-9][0-9]*$ ]] || { echo "run-fleet-load.sh: $v must be a positive integer, not '${!v}'" >&2; exit 2; }
done
(( N <= 19000 )) || { echo "run-fleet-load.sh: N=$N: one simulator process holds at most ~19,000 devices (open-file limit)" >&2; exit 2; }

[[ "${FRESH:-0}" == 1 ]] && rm -rf "$W"
mkdir -p "$S" "$W/run"; chmod 0711 "$W" "$S"
R="$W/run"; rm -f "$R"/*
HZ="$(getconf CLK_TCK)"
EPMD_BEFORE="$(pgrep -x epmd || true)"
PIDS=()   # simulator, ingest workers, sampler: stopped in reverse order
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  for ((k = ${#PIDS[@]} - 1; k >= 0; k--)); do kill "${PIDS[k]}" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do for _ in $(seq 1 60); do kill -0 "$p" 2>/dev/null || break; sleep 1; done
    kill -9 "$p" 2>/dev/null || true; done
  ./pnn fleet down "${PORTS[@]}" "${DB[@]}" >"$R/down.log" 2>&1 || cat "$R/down.log" >&2
  # epmd: ours only if none ran before and no Erlang node (another helper's) is registered with it any more
  local e; e="$(pgrep -x epmd || true)"
  if [[ -z "$EPMD_BEFORE" && -n "$e" ]] && ! epmd -names 2>/dev/null | grep -q '^name '; then kill "$e" 2>/dev/null || true; fi
  echo "cleaned up (exit $rc)"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

ticks() { # utime+stime(+children's) of a pid in clock ticks; 0 when gone
  [[ -r "/proc/$1/stat" ]] || { echo 0; return; }
  awk '{ sub(/^.*\) /, ""); print $12 + $13 + $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0
}
since() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }'; }
rss_mib() { awk '/^VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$1/status" 2>/dev/null || echo 0; }
beam_pids() { # the node's beam.smp: os.pid is the start chain (setsid/prlimit/setpriv exec into erl -> beam.smp)
  for i in 1 2 3; do
    local p; p="$(cat "$S/nodes/node$i/os.pid")"
    [[ "$(cat "/proc/$p/comm" 2>/dev/null)" == beam.smp ]] || p="$(pgrep -f -- "-sname $NAME$i@localhost" | head -1)"
    echo "$p"
  done
}
pg_ticks() { # postmaster incl. its reaped children + live backends
  local pm t; pm="$(head -1 "$S/postgres/data/postmaster.pid")"; t="$(ticks "$pm")"
  for c in $(pgrep -P "$pm"); do t=$((t + $(ticks "$c"))); done
  echo "$t"
}
snapshot() { # label: one line of CPU ticks per group
  local b=0 i=0 p
  for p in "${BEAMS[@]}"; do b=$((b + $(ticks "$p"))); done
  for p in "${INGEST[@]}"; do i=$((i + $(ticks "$p"))); done
  echo "$1 $(date +%s.%N) beam=$b ingest=$i pg=$(pg_ticks) sim=$(ticks "$SIM")" >> "$R/cpu.txt"
}
sampler() { # load average, available memory, node RSS every SAMPLE s
  echo -e "time\tload1\tmem_avail_mib\trss_node1_mib\trss_node2_mib\trss_node3_mib\trss_ingest_mib\trss_sim_mib" > "$R/samples.tsv"
  while :; do
    local ing=0 p; for p in "${INGEST[@]}"; do ing=$((ing + $(rss_mib "$p"))); done
    echo -e "$(date -u +%T)\t$(cut -d' ' -f1 /proc/loadavg)\t$(awk '/^MemAvailable/ { printf "%.0f", $2 / 1024 }' /proc/meminfo)\t$(rss_mib "${BEAMS[0]}")\t$(rss_mib "${BEAMS[1]}")\t$(rss_mib "${BEAMS[2]}")\t$ing\t$(rss_mib "$SIM")" >> "$R/samples.tsv"
    sleep "$SAMPLE"
  done
}

echo "fleet load: N=$N RATE=$RATE msg/s DURATION=$DURATION s WORKERS=$WORKERS x $SESSIONS sessions; state $S; $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $(awk '/^MemAvailable/ { printf "%.1f", $2 / 1048576 }' /proc/meminfo) GiB available"
t0=$(date +%s.%N)
# --no-controller: this script starts (and measures) its own ingest workers
./pnn fleet up "${PORTS[@]}" "${DB[@]}" --timeout PT600S --no-controller | tee "$R/up.log"
echo "fleet up (incl. re-registering the accounts kept in accounts.json): $(since "$t0") s"
t0=$(date +%s.%N)
./pnn fleet account add --count "$N" --prefix sim- --fleet sim "${PORTS[@]}" >/dev/null
echo "accounts: $N sim- devices ($(since "$t0") s for the missing ones)"
mapfile -t BEAMS < <(beam_pids)
START="$(date -u +%Y-%m-%dT%H:%M:%S.%6NZ)"   # rows of earlier runs in the kept database are older

INGEST=()
for ((k = 0; k < WORKERS; k++)); do
  ./pnn fleet ingest --workers "$WORKERS" --worker "$k" --sessions "$SESSIONS" --state-dir "$S" "${DB[@]}" \
    --servers "$SERVERS" --report PT30S > "$R/ingest-$k.log" 2>&1 &
  INGEST+=($!); PIDS+=($!)
done
for ((k = 0; k < WORKERS; k++)); do
  for _ in $(seq 1 300); do grep -q "^ingest worker" "$R/ingest-$k.log" && break
    kill -0 "${INGEST[k]}" 2>/dev/null || { cat "$R/ingest-$k.log" >&2; echo "ingest worker $k died" >&2; exit 1; }; sleep 1; done
  grep "^ingest worker" "$R/ingest-$k.log" || { cat "$R/ingest-$k.log" >&2; echo "ingest worker $k not up in 300 s" >&2; exit 1; }
done

ulimit -n "$(ulimit -Hn)"
./pnn fleet simulate --devices "$N" --fleet sim --telemetry-rate "$RATE" --duration "PT${DURATION}S" \
  --servers "$SERVERS" --state-dir "$S" --work-dir "$W/agents" --connect-timeout PT600S --json > "$R/sim.log" 2>&1 &
SIM=$!; PIDS+=($SIM)
sampler & PIDS+=($!)
for _ in $(seq 1 3100); do grep -q "^connected" "$R/sim.log" && break
  kill -0 "$SIM" 2>/dev/null || { cat "$R/sim.log" >&2; echo "simulator died" >&2; exit 1; }; sleep 0.2; done
grep "^connected" "$R/sim.log" || { cat "$R/sim.log" >&2; exit 1; }
snapshot start
sleep "$DURATION"
snapshot end
for _ in $(seq 1 120); do kill -0 "$SIM" 2>/dev/null || break; sleep 1; done
wait "$SIM" || echo "(simulator exit $?)"
grep '^{' "$R/sim.log" | tail -1 > "$R/sim.json"

export PGPASSWORD; PGPASSWORD="$(cat "$S/postgres/password")"
sql() { psql -X -A -t -F ' ' -h 127.0.0.1 -p "${DB[1]}" -U pnn_fleet pnn_fleet -c "$1"; }
SENT="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["telemetry_sent"])' "$R/sim.json")"
# drain: wait until the workers have stored everything sent, or nothing more arrives for 30 s (at most 10 min)
last=-1; still=0
for _ in $(seq 1 120); do
  n="$(sql "SELECT count(*) FROM telemetry WHERE ts >= '$START' AND device_id LIKE 'sim-%'")"
  (( n >= SENT )) && break
  if (( n == last )); then still=$((still + 1)); (( still >= 6 )) && break; else still=0; fi
  last=$n; sleep 5
done
WHERE="ts >= '$START' AND device_id LIKE 'sim-%'"
sql "SELECT count(*), count(DISTINCT (device_id, seq)), count(DISTINCT device_id),
       round(1000 * percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM received - ts)))::bigint,
       round(1000 * percentile_cont(0.95) WITHIN GROUP (ORDER BY extract(epoch FROM received - ts)))::bigint,
       round(1000 * percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM received - ts)))::bigint,
       round(1000 * max(extract(epoch FROM received - ts)))::bigint,
       round(extract(epoch FROM max(received) - min(received))::numeric, 1)
     FROM telemetry WHERE $WHERE" > "$R/db.txt" || true
# per device, seq counts 1, 2, ...: the sum of the spans is what the devices sent that the table should hold
sql "SELECT sum(n) FROM (SELECT max(seq) - min(seq) + 1 AS n FROM telemetry WHERE $WHERE GROUP BY device_id) x" > "$R/db-seq.txt" || true
# stop the workers (SIGTERM: they commit, acknowledge and print their final counters)
for p in "${INGEST[@]}"; do kill "$p" 2>/dev/null || true; done
for p in "${INGEST[@]}"; do for _ in $(seq 1 90); do kill -0 "$p" 2>/dev/null || break; sleep 1; done; done
for k in "${!INGEST[@]}"; do grep "^ingest:" "$R/ingest-$k.log" | tail -1 | sed "s/^/worker $k /"; done > "$R/ingest-last.txt"

python3 - "$R" "$N" "$RATE" "$DURATION" "$WORKERS" "$HZ" <<'EOF'
import json, sys, statistics
r, n, rate, dur, workers, hz = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6])
sim = json.load(open(f"{r}/sim.json"))
cpu = {}
for line in open(f"{r}/cpu.txt"):
    f = line.split(); cpu[f[0]] = {"t": float(f[1]), **{k: int(v) for k, v in (x.split("=") for x in f[2:])}}
win = cpu["end"]["t"] - cpu["start"]["t"]
d = {k: (cpu["end"][k] - cpu["start"][k]) / hz for k in ("beam", "ingest", "pg", "sim")}
per_k = lambda s: s / win / (n / 1000)
db = open(f"{r}/db.txt").read().split()
seq_sum = open(f"{r}/db-seq.txt").read().strip()
rows = [l.rstrip("\n").split("\t") for l in open(f"{r}/samples.tsv")][1:]
rows = [x for x in rows if len(x) == 8]
col = lambda i: [float(x[i]) for x in rows if x[i] not in ("", "0")]
sent = sim["telemetry_sent"]
print(f"\n== fleet load summary: {n} devices, {rate:.0f} msg/s for {dur:.0f} s, {workers} ingest workers ==")
print(f"connect     {sim['connected']} of {n} devices in {sim['connect_s']:.1f} s")
print(f"telemetry   sent {sent}; observer (1 operator session, node 1) {sim['telemetry_delivered']} ({100*sim['telemetry_delivered']/max(1,sent):.2f} %), "
      f"end to end p50/p95/p99 {sim['latency_ms_p50']}/{sim['latency_ms_p95']}/{sim['latency_ms_p99']} ms; skipped (back-pressure) {sim['telemetry_skipped_backpressure']}")
if len(db) >= 8:
    stored, distinct, devs = int(db[0]), int(db[1]), int(db[2])
    print(f"postgres    stored {stored} ({100*stored/max(1,sent):.2f} % of sent), distinct (device, seq) {distinct}, devices {devs}, "
          f"per-device seq span sum {seq_sum}; delay to the ingest worker (received - ts) p50/p95/p99/max {db[3]}/{db[4]}/{db[5]}/{db[6]} ms; first to last row {db[7]} s")
else:
    print("postgres    query failed:", " ".join(db))
print(f"window      {win:.1f} s (from 'connected' to +DURATION)")
print(f"cpu         brokers (3 beam.smp) {d['beam']:.1f} s = {d['beam']/win:.2f} cores = {per_k(d['beam']):.3f} cores per 1,000 devices")
print(f"            ingest workers {d['ingest']:.1f} s = {d['ingest']/win:.2f} cores = {per_k(d['ingest']):.3f} per 1,000; PostgreSQL {d['pg']:.1f} s = {d['pg']/win:.2f} cores = {per_k(d['pg']):.3f} per 1,000")
print(f"            simulator (incl. observer) {d['sim']:.1f} s = {d['sim']/win:.2f} cores; whole simulator run {sim['cpu_s']:.1f} s over {sim['wall_s']:.1f} s, peak rss {sim['rss_peak_mib']:.0f} MiB")
for i in (3, 4, 5):
    c = col(i)
    if c: print(f"rss node {i-2}  {c[-1]:.0f} MiB at the end (max {max(c):.0f})")
c = col(6)
if c: print(f"rss ingest  {c[-1]:.0f} MiB (all workers, max {max(c):.0f})")
l, m = col(1), col(2)
if l: print(f"machine     load average (1 min) {min(l):.1f}-{max(l):.1f} (median {statistics.median(l):.1f}); available memory {min(m)/1024:.1f}-{max(m)/1024:.1f} GiB ({len(rows)} samples)")
print(open(f"{r}/ingest-last.txt").read().rstrip())
EOF
