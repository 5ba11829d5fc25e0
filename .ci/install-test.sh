#!/usr/bin/env bash
# Installs, runs, upgrades, removes and purges the release artifacts that `mvn -B package -Prelease` built
# (packaging/target/pnn-edge_*_all.deb, pnn-edge-*.tar.gz), as root on a Debian machine; then runs the tarball from a
# temporary directory with nothing but a Java runtime on PATH. Called by .ci/run; runnable alone (install.md).
# Needs: root, dpkg/apt, mosquitto, python3, a JDK >= 21 under /usr/lib/jvm (or JAVA_HOME). Leaves nothing behind.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT="$PWD"
source src/dist/bin/pnn-java.sh
say() { echo "install-test: $*"; }
fail() { echo "install-test: FAILED: $*" >&2; exit 1; }

DEB="$(ls packaging/target/pnn-edge_*_all.deb)"
TGZ="$(ls packaging/target/pnn-edge-*.tar.gz)"
[[ -f "$DEB" && -f "$TGZ" ]] || fail "build the release first: mvn -B package -Prelease"
JAVA="$(find_java)" || fail "no Java >= 21"
command -v mosquitto >/dev/null || fail "mosquitto (Debian package) is needed for the broker"
JDK="$(dirname "$(dirname "$(readlink -f "$JAVA")")")"
say "$(basename "$DEB") $(du -h "$DEB" | cut -f1), $(basename "$TGZ") $(du -h "$TGZ" | cut -f1); Java $JDK"
# ---- lintian, Debian's package checker (install.md, "lintian"): any error (E:) fails; warnings are shown. Skipped
# with a message only when lintian is not installed (.ci/run installs it; a mirror hiccup must not fail CI).
if command -v lintian >/dev/null; then
  rc=0; lintian --fail-on error --pedantic --display-info --show-overrides "$DEB" > "$ROOT/packaging/target/lintian.txt" 2>&1 || rc=$?
  grep -v 'running with root privileges' "$ROOT/packaging/target/lintian.txt" || true
  counts="$(grep -oE '^[EWIPO]:' "$ROOT/packaging/target/lintian.txt" | sort | uniq -c | tr -s ' \n' ' ' || true)"
  [[ $rc == 0 ]] || fail "lintian $(lintian --version | awk '{print $2}') exit $rc (an error tag, or lintian itself failed): ${counts:-no tags}"
  say "lintian $(lintian --version | awk '{print $2}'): no errors (${counts:-no tags}; O: = overridden, packaging/src/deb/lintian-overrides)"
else
  say "lintian not installed: package check SKIPPED (apt-get install lintian)"
fi
# the changelog's version is computed apart from jdeb's (DebianDocs): they must agree
CHANGELOG_VERSION="$(dpkg-deb --fsys-tarfile "$DEB" | tar -xO ./usr/share/doc/pnn-edge/changelog.gz | gzip -dc | head -1 | sed -E 's/^pnn-edge \(([^)]*)\).*/\1/')"
[[ "$CHANGELOG_VERSION" == "$(dpkg-deb -f "$DEB" Version)" ]] \
  || fail "changelog.gz says $CHANGELOG_VERSION, the control file $(dpkg-deb -f "$DEB" Version)"
FEATURES=0.43,0.35,0.73,0.45,0.37,0.75,0.45,0.35,0.74,0.47,0.37,0.74
# the 12-vowel bundle's features (bark13: Bark differences at four time points and Z0), a man's /ae/
FEATURES12=4.99,6.69,2.21,4.65,7.19,2.15,4.99,6.69,2.21,5.43,6.22,2.26,1.01
# an answer names the model that gave it: the 12-vowel bundle, its 12 classes, its feature layout
CHECK12='import json,sys; a=json.load(sys.stdin); assert a["modelId"] == "vowels12" and len(a["labels"]) == 12 and a["label"] in a["labels"] and a["featureLayout"] == "bark13", a; print("install-test: vowels12 answered", a["label"], a["model"])'
# a man's "had" in the hearing bundle's talker13 layout (ln F - G of his vowels; audio.md): it must answer "ae"
FEATURES13=-0.783,0.461,0.702,-0.769,0.489,0.715,-0.793,0.461,0.702,-0.689,0.323,0.703,-2.203
CHECK13='import json,sys; a=json.load(sys.stdin); assert a["modelId"] == "vowels7" and a["featureLayout"] == "talker13" and a["label"] == "ae", a; print("install-test: vowels7-talker13 answered", a["label"], a["model"])'
# a man's "had" as a front end measures it: F1-F3 at steady state, 20, 50 and 80 % (Hz; Hillenbrand's men's means)
FORMANTS_AE=588,1952,2601,580,1980,2610,600,1940,2590,620,1800,2580
WORK="$(mktemp -d /tmp/pnn-install-test.XXXXXX)"
chmod 755 "$WORK"
PIDS=()
PROVIDER=""
ASOUND=""   # an /etc/asound.conf this script set aside (listen_unit writes its own for a moment)
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  if [[ -n "$ASOUND" ]]; then mv -f "$ASOUND" /etc/asound.conf; elif [[ -f "$WORK/asound.ours" ]]; then rm -f /etc/asound.conf; fi
  if dpkg -s pnn-edge >/dev/null 2>&1; then dpkg --purge pnn-edge >/dev/null 2>&1 || true; fi
  [[ -n "$PROVIDER" ]] && { dpkg --purge pnn-ci-java21-runtime >/dev/null 2>&1 || true; }
  rm -rf "$WORK"
}
trap cleanup EXIT

# ---- a Java 21 runtime that dpkg knows about. Debian 12 has none (Debian 13 and Raspberry Pi OS do): register
# the machine's JDK with a local package that provides java21-runtime-headless, as a Temurin package would.
if ! dpkg -s openjdk-21-jre-headless >/dev/null 2>&1 \
    && ! apt-cache policy openjdk-21-jre-headless 2>/dev/null | grep -q 'Candidate: [0-9]'; then
  mkdir -p "$WORK/provider/DEBIAN"
  cat > "$WORK/provider/DEBIAN/control" <<CTL
Package: pnn-ci-java21-runtime
Version: 1
Architecture: all
Maintainer: PNN Edge CI <ci@localhost>
Provides: java21-runtime-headless
Description: CI only: registers the JDK at $JDK with dpkg
CTL
  dpkg-deb -b --root-owner-group "$WORK/provider" "$WORK/provider.deb" >/dev/null
  dpkg -i "$WORK/provider.deb" >/dev/null
  PROVIDER=yes
  say "registered $JDK as java21-runtime-headless (pnn-ci-java21-runtime)"
fi

# ---- a local broker on a free loopback port
PORT=$((18830 + RANDOM % 1000))
printf 'listener %s 127.0.0.1\nallow_anonymous true\npersistence false\n' "$PORT" > "$WORK/mosquitto.conf"
mosquitto -c "$WORK/mosquitto.conf" > "$WORK/mosquitto.log" 2>&1 &
PIDS+=($!)

# runs `pnn run` ($1: user or "-", the rest: the launcher and its arguments) until the service serves a
# classification over its control socket and has connected to the broker; then stops it with SIGTERM
serve_briefly() {
  local user="$1" state="$2"; shift 2
  local log="$WORK/run.log" pid
  if [[ "$user" == "-" ]]; then "$@" > "$log" 2>&1 & else runuser -u "$user" -- "$@" > "$log" 2>&1 & fi
  pid=$!
  local deadline=$((SECONDS + 90))
  until [[ -S "$state/control.sock" ]] && grep -q "MQTT: connected" "$log"; do
    kill -0 "$pid" 2>/dev/null || { cat "$log"; fail "pnn run exited"; }
    (( SECONDS < deadline )) || { cat "$log"; kill "$pid"; fail "pnn run did not serve with MQTT connected within 90 s"; }
    sleep 0.5
  done
  pnn_as "$user" status --state-dir "$state" | python3 -c \
    'import json,sys; s=json.load(sys.stdin); assert s["state"] == "serving" and s["bundle_key"] == "2ab577038e515691", s'
  # a measured vowel (formants in Hz, F0, who spoke): the service computes its model's features (mqtt.md)
  pnn_as "$user" classify --state-dir "$state" --formants-hz "$FORMANTS_AE" --f0 120 --talker install-test --json \
    | LAYOUT="$LAYOUT" python3 -c 'import json,os,sys; a=json.load(sys.stdin); assert a["label"] and a["model"].startswith("vowels7@") and a["featureLayout"] == os.environ["LAYOUT"] and a["talker"]["id"] == "install-test", a; print("install-test: served", a["label"], a["model"], a["featureLayout"])'
  [[ -z "${DURING:-}" ]] || "$DURING" "$user" "$state"
  kill -TERM "$pid"
  for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
  kill -0 "$pid" 2>/dev/null && fail "pnn run did not stop within 20 s of SIGTERM"
  wait "$pid" || true
  if grep -q '^WARNING: ' "$log"; then cat "$log"; fail "JVM warnings"; fi
}
pnn_as() { local user="$1"; shift; if [[ "$user" == "-" ]]; then "$PNN" "$@"; else runuser -u "$user" -- "$PNN" "$@"; fi; }

# the installed pnn-listen unit's pipeline as the unit runs it (its ExecStart and JVM options, as the service's
# user): arecord captures from an ALSA device -- here ALSA's file plugin playing three synthesized words, the null
# plugin standing in for a sound card -- into pnn listen --publish on the running service, connected to the broker
listen_unit() {
  local user="$1" state="$2" words="$WORK/words" line opts n
  command -v arecord >/dev/null || { say "no arecord (alsa-utils): the pnn-listen pipeline is not run"; return 0; }
  "$PNN" data synth --heard --groups women --talkers 1 --vowels pat7 --seed 3 --out "$words.csv" \
    --wav-dir "$words" >/dev/null 2>&1 || fail "pnn data synth --wav-dir"
  python3 - "$words" "$WORK/words.raw" <<'PY'
import glob, sys, wave
out = bytearray(32000)  # 1 s of silence, then heed, hid, who'd, each followed by 1 s
for v in ("iy", "ih", "uw"):
    (f,) = glob.glob(f"{sys.argv[1]}/*_{v}_*.wav")
    w = wave.open(f)
    assert (w.getframerate(), w.getnchannels(), w.getsampwidth()) == (16000, 1, 2), f
    out += w.readframes(w.getnframes()) + bytearray(32000)
open(sys.argv[2], "wb").write(out)
PY
  chmod 644 "$WORK/words.raw"
  [[ -e /etc/asound.conf ]] && { ASOUND="$WORK/asound.conf.saved"; mv /etc/asound.conf "$ASOUND"; }
  printf 'pcm.pnnci {\n type file\n slave.pcm "null"\n file "/dev/null"\n infile "%s"\n format "raw"\n}\n' \
    "$WORK/words.raw" > /etc/asound.conf
  touch "$WORK/asound.ours"
  # (systemd turns $$ into $)
  line="$(sed -n "s/^ExecStart=\/bin\/sh -c '\(.*\)'\$/\1/p" /lib/systemd/system/pnn-listen.service | sed 's/\$\$/$/g')"
  opts="$(sed -n 's/^Environment="PNN_JAVA_OPTS=\(.*\)"$/\1/p' /lib/systemd/system/pnn-listen.service)"
  [[ -n "$line" && -n "$opts" ]] || fail "pnn-listen.service: no ExecStart pipeline or PNN_JAVA_OPTS"
  runuser -u "$user" -- env PNN_LISTEN_DEVICE=pnnci "PNN_LISTEN_OPTS=--seconds 10 --json" "PNN_JAVA_OPTS=$opts" \
    /bin/sh -c "$line" > "$WORK/listen.log" 2>&1 || { cat "$WORK/listen.log"; fail "the pnn-listen pipeline"; }
  rm -f /etc/asound.conf "$WORK/asound.ours"
  [[ -n "$ASOUND" ]] && { mv "$ASOUND" /etc/asound.conf; ASOUND=""; }
  n="$(grep -c '"label"' "$WORK/listen.log" || true)"
  [[ "$n" == 3 ]] || { cat "$WORK/listen.log"; fail "the pnn-listen pipeline heard $n vowels, not 3"; }
  if grep -q '^WARNING: ' "$WORK/listen.log"; then cat "$WORK/listen.log"; fail "JVM warnings"; fi
  pnn_as "$user" status --state-dir "$state" | python3 -c 'import json,sys; h=json.load(sys.stdin)["heard"]; assert h["published"] == 3, h; print("install-test: the pnn-listen pipeline published", h)'
}

# ================================================================ the .deb
t0=$SECONDS
say "apt-get install ./$(basename "$DEB")"
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "./$DEB" > "$WORK/apt.log" 2>&1 \
  || { cat "$WORK/apt.log"; fail "apt-get install"; }
PNN=/usr/bin/pnn
getent passwd pnn >/dev/null || fail "no pnn user"
[[ "$(stat -c '%U %a' /var/lib/pnn-edge)" == "pnn 700" ]] || fail "/var/lib/pnn-edge: $(stat -c '%U %a' /var/lib/pnn-edge)"
[[ -f /etc/pnn-edge/pnn-edge.conf && -f /etc/pnn-edge/keys/pnn-release.pub ]] || fail "configuration missing"
[[ -f /lib/systemd/system/pnn-edge.service && -f /lib/systemd/system/pnn-listen.service ]] || fail "no unit"
for unit in pnn-edge pnn-listen; do
  [[ ! -e /etc/systemd/system/multi-user.target.wants/$unit.service ]] || fail "$unit was enabled before configuration"
done
[[ -f /usr/share/man/man1/pnn.1.gz && -f /usr/share/man/man1/pnn-classify.1.gz ]] || fail "no man pages"
[[ "$(readlink /usr/bin/pnn)" == ../share/pnn-edge/bin/pnn ]] || fail "/usr/bin/pnn -> $(readlink /usr/bin/pnn)"
bash -c 'source /usr/share/bash-completion/completions/pnn && complete -p pnn' >/dev/null || fail "no bash completion"
"$PNN" --version | tee "$WORK/version.txt"
grep -q "release build" "$WORK/version.txt" && grep -q "^commit " "$WORK/version.txt" || fail "--version"
"$PNN" classify --features "$FEATURES" --device emulator:shg --bundle /usr/share/pnn-edge/models/vowels7.pnnb
"$PNN" classify --features "$FEATURES13" --device emulator:shg --bundle /usr/share/pnn-edge/models/vowels7-talker13.pnnb --json \
  | python3 -c "$CHECK13"
"$PNN" classify --features "$FEATURES12" --device emulator:shg --bundle /usr/share/pnn-edge/models/vowels12.pnnb --json \
  | python3 -c "$CHECK12"
"$PNN" help classify | grep -q "Example:" || fail "pnn help classify has no example"

# the JVM options the installed unit gives the service (a JDK that refuses one would fail here, not on the Pi)
UNIT_OPTS="$(sed -n 's/^Environment="PNN_JAVA_OPTS=\(.*\)"$/\1/p' /lib/systemd/system/pnn-edge.service)"
[[ -n "$UNIT_OPTS" ]] || fail "the unit sets no PNN_JAVA_OPTS"
RUN=(env "PNN_JAVA_OPTS=$UNIT_OPTS" "$PNN" run --config /etc/pnn-edge/pnn-edge.conf --set "device.uri=emulator:shg?seed=1" \
  --set "mqtt.broker=tcp://127.0.0.1:$PORT" --set telemetry.interval=PT1S)
DURING=listen_unit LAYOUT=talker13 serve_briefly pnn /var/lib/pnn-edge "${RUN[@]}"   # the package's default: the hearing bundle
[[ "$(stat -c %U /var/lib/pnn-edge/bundles/active.pnnb)" == pnn ]] || fail "state not owned by pnn"
ACTIVE="$(sha256sum /var/lib/pnn-edge/bundles/active.pnnb | cut -d' ' -f1)"
[[ -d /var/lib/pnn-edge/outbox && -f /var/lib/pnn-edge/state-version.json ]] || fail "no outbox or state marker"
echo "# edited by install-test" >> /etc/pnn-edge/pnn-edge.conf

# ---- upgrade to a newer version of the same package: configuration, active bundle, state and outbox stay
mkdir -p "$WORK/v2"
dpkg-deb -R "$DEB" "$WORK/v2/root"
V1="$(dpkg-deb -f "$DEB" Version)"
sed -i "s/^Version: .*/Version: ${V1}+ci2/" "$WORK/v2/root/DEBIAN/control"
dpkg-deb -b --root-owner-group "$WORK/v2/root" "$WORK/v2/pnn-edge_v2_all.deb" >/dev/null
say "upgrade $V1 -> ${V1}+ci2"
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$WORK/v2/pnn-edge_v2_all.deb" > "$WORK/apt.log" 2>&1 \
  || { cat "$WORK/apt.log"; fail "upgrade"; }
[[ "$(dpkg-query -W -f '${Version}' pnn-edge)" == "${V1}+ci2" ]] || fail "not upgraded"
grep -q "# edited by install-test" /etc/pnn-edge/pnn-edge.conf || fail "the upgrade lost the configuration edit"
[[ "$(sha256sum /var/lib/pnn-edge/bundles/active.pnnb | cut -d' ' -f1)" == "$ACTIVE" ]] || fail "active bundle changed"
[[ -d /var/lib/pnn-edge/outbox && -d /var/lib/pnn-edge/bundles && -f /var/lib/pnn-edge/state-version.json ]] \
  || fail "state lost on upgrade"
LAYOUT=talker13 serve_briefly pnn /var/lib/pnn-edge "${RUN[@]}"
# ---- a downgrade: a state directory written by a newer version is refused, and left as it is
cp -p /var/lib/pnn-edge/state-version.json "$WORK/state-version.json"
printf '{"format":"pnn-edge-state","formatVersion":1,"writtenBy":"999.0.0"}\n' > /var/lib/pnn-edge/state-version.json
rc=0; runuser -u pnn -- "${RUN[@]}" > "$WORK/refused.log" 2>&1 || rc=$?
[[ $rc == 1 ]] && grep -q "written by PNN Edge 999.0.0" "$WORK/refused.log" \
  || { cat "$WORK/refused.log"; fail "a newer version's state directory was not refused (exit $rc)"; }
cp -p "$WORK/state-version.json" /var/lib/pnn-edge/state-version.json
say "refused a newer version's state: $(grep -o 'the state directory.*(state format 1);' "$WORK/refused.log" | head -1)"

# ---- remove keeps configuration and state; purge removes everything
dpkg -r pnn-edge >/dev/null
[[ ! -e /usr/bin/pnn && ! -e /usr/share/pnn-edge ]] || fail "dpkg -r left program files"
[[ -f /etc/pnn-edge/pnn-edge.conf && -d /var/lib/pnn-edge ]] || fail "dpkg -r removed configuration or state"
dpkg --purge pnn-edge >/dev/null
for p in /etc/pnn-edge /var/lib/pnn-edge /var/log/pnn-edge /usr/share/pnn-edge /usr/bin/pnn \
         /lib/systemd/system/pnn-edge.service /lib/systemd/system/pnn-listen.service \
         /usr/share/bash-completion/completions/pnn /usr/share/doc/pnn-edge; do
  [[ ! -e "$p" ]] || fail "left after purge: $p"
done
left="$(dpkg-deb -c "$DEB" | awk '{print $NF}' | sed 's|^\.||' | grep -v '/$' | while read -r f; do [[ -e "$f" || -L "$f" ]] && echo "$f"; done || true)"
[[ -z "$left" ]] || fail "files left after purge: $left"
! getent passwd pnn >/dev/null || fail "pnn user left after purge"
! getent group pnn >/dev/null || fail "pnn group left after purge"
! dpkg -s pnn-edge >/dev/null 2>&1 || fail "package still known to dpkg"
say ".deb: install, run, upgrade, remove, purge ok in $((SECONDS - t0)) s"

# ================================================================ the tarball, with only a Java runtime on PATH
t0=$SECONDS
T="$WORK/tar"
mkdir -p "$T/path"
tar -xzf "$TGZ" -C "$T"
H="$(ls -d "$T"/pnn-edge-*/)"; H="${H%/}"
# PATH: the JDK's bin and the few shell tools the launcher uses; no Maven, no git
for tool in bash env readlink dirname awk cut ls sort cat sed; do ln -s "$(command -v "$tool")" "$T/path/$tool"; done
PNN=(env -i "PATH=$JDK/bin:$T/path" "HOME=$T" "$H/bin/pnn")
"${PNN[@]}" --version > "$WORK/tar-version.txt" 2>&1 || { cat "$WORK/tar-version.txt"; fail "tarball --version"; }
grep -q "release build" "$WORK/tar-version.txt" || fail "tarball --version: $(cat "$WORK/tar-version.txt")"
# the launcher needs only the tools above: a missing one shows as "command not found"
if grep -q "command not found" "$WORK/tar-version.txt"; then cat "$WORK/tar-version.txt"; fail "the launcher used a tool not on PATH"; fi
"${PNN[@]}" classify --features "$FEATURES" --device emulator:shg --bundle "$H/models/vowels7.pnnb" --json \
  | python3 -c 'import json,sys; a=json.load(sys.stdin); assert a["label"], a'
"${PNN[@]}" classify --features "$FEATURES12" --device emulator:shg --bundle "$H/models/vowels12.pnnb" --json \
  | python3 -c "$CHECK12"
"${PNN[@]}" classify --features "$FEATURES13" --device emulator:shg --bundle "$H/models/vowels7-talker13.pnnb" --json \
  | python3 -c "$CHECK13"
PNN="${PNN[*]}"   # pnn_as runs "$PNN" unquoted words: env -i PATH=... HOME=... launcher
pnn_as() { shift; $PNN "$@"; }
LAYOUT=hz12 serve_briefly - "$T/state" $PNN run --config "$H/conf/pnn-edge.conf" --set "state.dir=$T/state" \
  --set "bundle.initial=$H/models/vowels7.pnnb" --set "bundle.trusted_keys=$H/keys" --set log.file= \
  --set "device.uri=emulator:shg?seed=1" --set "mqtt.broker=tcp://127.0.0.1:$PORT"
say "tarball: run ok in $((SECONDS - t0)) s"
say "all passed"
