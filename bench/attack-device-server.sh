#!/usr/bin/env bash
# Reruns issue 13's resource attacks on a real `pnn emulate` process and prints what happened (SECURITY.md, "Device
# server"); the authentication, fairness and foreign-write attacks are unit tests. Exit 0 when the server survived
# every attack and served a fresh client after each, 1 otherwise.
#
#   bench/attack-device-server.sh            # both attacks (about 2 minutes)
#   bench/attack-device-server.sh fd         # 1. file descriptors: server under `ulimit -n 128` with
#                                            #    --max-clients 1000; 400 connections held for 20 s
#   bench/attack-device-server.sh memory     # 2. memory: server with -Xmx128m and --max-clients 800; 800 connections
#                                            #    each sending four largest frames, held for 20 s
#
# Reports: the server's log lines and CPU seconds during the hold, whether it stayed up, whether a new client
# (`pnn device identify`) is served after the attackers leave. Needs bash, python3 (the attacking client) and
# ./pnn's JDK and Maven.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PNN="$ROOT/pnn"
WORK="$(mktemp -d)"
SERVER=""
cleanup() {
  [[ -n "$SERVER" ]] && kill "$SERVER" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
"$PNN" --help >/dev/null # builds the jars first, outside the measurements

free_port() { # a port nobody listens on
  local p
  for p in $(shuf -i 20000-60000 -n 50); do
    (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return; }
  done
  return 1
}

cpu_seconds() { # user+system CPU seconds of process $1
  awk -v hz="$(getconf CLK_TCK)" '{print ($14 + $15) / hz}' "/proc/$1/stat"
}

wait_listening() { # waits up to 60 s for port $1
  local i
  for i in $(seq 600); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.1
  done
  return 1
}

identify() { # a fresh client: exit 0 when the server answers IDENTIFY
  timeout 60 "$PNN" device identify --device "tcp://127.0.0.1:$1" >/dev/null 2>&1
}

attack() { # name, ulimit -n, JVM options, max clients, connections, bytes file each connection sends
  local name=$1 nofile=$2 jvm=$3 max=$4 conns=$5 payload=$6 port log ok=0 c0 c1 lines opened
  port=$(free_port)
  log="$WORK/$name.log"
  (ulimit -n "$nofile"; PNN_JAVA_OPTS="$jvm" PNN_LOG_LEVEL=info exec "$PNN" emulate --physics shg --port "$port" \
    --timing zero --max-clients "$max" --idle-timeout 120 >"$log" 2>&1) &
  SERVER=$!
  wait_listening "$port" || { echo "$name: the server did not start"; cat "$log"; return 1; }
  identify "$port" || { echo "$name: not served before the attack"; return 1; }
  lines=$(wc -l <"$log")
  c0=$(cpu_seconds "$SERVER")
  opened=$(python3 - "$port" "$conns" "$payload" <<'PY'
import socket, sys, time
port, n, payload = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
data = open(payload, "rb").read() if payload else b""
held, failed = [], 0
for _ in range(n):
    if failed >= 20:
        break  # the server's backlog is full: it accepts no more
    try:
        s = socket.create_connection(("127.0.0.1", port), timeout=0.5)  # a full backlog would hang connect()
        failed = 0
        if data:
            s.settimeout(2)
            try:
                s.sendall(data)
            except OSError:
                pass
        held.append(s)
    except OSError:
        failed += 1
time.sleep(20)
print(len(held))
for s in held:
    s.close()
PY
)
  c1=$(cpu_seconds "$SERVER")
  echo "$name: $opened of $conns connections opened and held 20 s; server log +$(( $(wc -l <"$log") - lines )) lines" \
    "($(grep -c 'accept failed' "$log" || true) 'accept failed', $(grep -ci 'out of memory' "$log" || true) 'out of memory'," \
    "$(grep -c 'refused a connection' "$log" || true) 'refused a connection'), CPU $(awk -v a="$c0" -v b="$c1" 'BEGIN{printf "%.1f", b-a}') s"
  sleep 2
  if kill -0 "$SERVER" 2>/dev/null && identify "$port"; then
    echo "$name: server alive and serving a new client afterwards"
  else
    echo "$name: FAILED: server dead or not serving afterwards"; tail -n 20 "$log"; ok=1
  fi
  kill "$SERVER" 2>/dev/null || true
  wait "$SERVER" 2>/dev/null || true
  SERVER=""
  return $ok
}

frames="$WORK/frames.bin" # four frames of the largest size (16 384-byte payload, garbage CRC)
for i in 1 2 3 4; do
  printf '\xa5\x5a\x01\x04\x00\x01\x00\x00\x40\x00' >>"$frames"
  head -c 16388 /dev/zero >>"$frames"
done

status=0
what=${1:-all}
if [[ $what == all || $what == fd ]]; then
  attack fd 128 "" 1000 400 "" || status=1
fi
if [[ $what == all || $what == memory ]]; then
  attack memory 4096 "-Xmx128m" 800 800 "$frames" || status=1
fi
exit $status
