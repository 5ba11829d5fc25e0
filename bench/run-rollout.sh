#!/usr/bin/env bash
# Staged rollouts to N simulated devices (default 1,000) through the CLI, on a throwaway 3-node cluster and fleet
# database under $W (default /tmp/pnn-rollout-bench), loopback only. Two rollouts of the shipped vowels7 payload
# re-versioned and signed with a fresh key: 1.1.0 with threshold 2 % (1 % bad units: halts where they cross it),
# then 1.2.0 with threshold 10 % (completes). Prints each stage's verdict time and the status tables.
# Usage: bench/run-rollout.sh            (N=10000 T1=0.5% bench/run-rollout.sh for a large fleet: registration takes
# minutes; T1 is the first rollout's threshold)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
N="${N:-1000}"
W="${W:-/tmp/pnn-rollout-bench}"
S="$W/state"
PORTS=(--mqtt-port 21891 --tls-port 28891)
SERVERS=tcp://127.0.0.1:21891,tcp://127.0.0.1:21892,tcp://127.0.0.1:21893
DB=(--state-dir "$S" --db-port 25491)
rm -rf "$W"; mkdir -p "$S"; chmod 0711 "$W" "$S"
cleanup() {
  [[ -f "$W/sim.pid" ]] && kill "$(cat "$W/sim.pid")" 2>/dev/null || true
  sleep 3
  ./pnn fleet db down "${DB[@]}" || true
  ./pnn fleet cluster down --state-dir "$S" --name pnnrb "${PORTS[@]}" || true
}
trap cleanup EXIT

nice -n 10 ./pnn fleet cluster up --state-dir "$S" --name pnnrb "${PORTS[@]}"
/usr/bin/time -f "accounts: %e s" nice -n 10 ./pnn fleet account add --count "$N" --prefix sim- --fleet sim \
  --state-dir "$S" --name pnnrb "${PORTS[@]}" >/dev/null
nice -n 10 ./pnn fleet db up "${DB[@]}"
./pnn keygen --out "$W/keys" --name bench --force >/dev/null
for v in 1.1.0 1.2.0; do
  python3 -c 'import json, base64, sys
j = json.load(open("src/dist/models/vowels7.pnnb"))
m = json.loads(base64.b64decode(j["payload"])); m["version"] = sys.argv[1]
json.dump(m, open(sys.argv[2], "w"))' "$v" "$W/manifest-$v.json"
  ./pnn sign --manifest "$W/manifest-$v.json" --key "$W/keys/bench.key" --out "$W/vowels7-$v.pnnb" >/dev/null
done
nice -n 10 ./pnn fleet simulate --devices "$N" --fleet sim --bad-share 0.01 --seed 1 --telemetry-rate 100 \
  --servers "$SERVERS" --duration PT3600S --state-dir "$S" --work-dir "$W/agents" \
  --trusted-keys "src/dist/keys/pnn-release.pub,$W/keys/bench.pub" --no-observe > "$W/sim.log" 2>&1 &
echo $! > "$W/sim.pid"
for _ in $(seq 1 600); do grep -q "^connected" "$W/sim.log" && break; sleep 1; done
cat "$W/sim.log"
rollout() { # version threshold seed
  /usr/bin/time -f "rollout wall: %e s" ./pnn fleet rollout start "${DB[@]}" --servers "$SERVERS" \
    --bundle "$W/vowels7-$1.pnnb" --fleet sim --stages 1,5%,25%,100% --threshold "$2" --soak PT10S \
    --verdict-timeout PT5M --seed "$3" --trusted-keys "$W/keys/bench.pub" || echo "(exit $?)"
  ./pnn fleet rollout status "${DB[@]}"
}
rollout 1.1.0 "${T1:-2%}" 1   # T1=0.5% for 10,000 devices: 1 % bad units cross it at the first large stage
rollout 1.2.0 10% 2
