#!/usr/bin/env bash
# Functional check "does PNN Edge run on arm64" without a Raspberry Pi (BENCHMARKS.md, "arm64 under qemu-user:
# functional check"). Builds the jars natively, then runs ./pnn on Debian's arm64 OpenJDK under qemu-user:
#   jre          fetch openjdk-N-jre-headless:arm64 and the few libraries it links (Debian trixie, deb.debian.org)
#                into a private root file system and check the JVM reports os.arch aarch64
#   build        mvn package of runtime, fleet-sim, fleet-controller with the host JDK (what ./pnn needs)
#   version      ./pnn --version
#   verify       ./pnn verify of the shipped bundle with the release key
#   classify     ./pnn classify --formants-hz … --device emulator:shg?seed=1: the same answer as the host JVM's
#   service      ./pnn run with the systemd unit's JVM options on the emulated device; classify and status on its
#                control socket; SIGTERM
#   native-libs  bench/NativeLibsProbe.java: Pi4J's gpiod and linuxfs libraries and JNA load and answer on aarch64
#   spi-missing  ./pnn device identify --device spi:0.0?…: a one-line error naming /dev/spidev0.0, no stack trace
#   demo         ./pnn demo (MQTT broker, service, drift, OTA) within --demo-timeout
# Prints each command, PASS/FAIL/SKIP and the wall time per step, and exits 1 if a step failed.
#
#   bench/run-arm64.sh                       # everything, JDK 21 (about 25 minutes on 2 loaded x86-64 cores)
#   bench/run-arm64.sh --skip-demo           # everything but the demo (about 5 minutes)
#   bench/run-arm64.sh --jdk 25              # openjdk-25-jre-headless instead
#   bench/run-arm64.sh --cache DIR           # where the .debs, the root file system and the logs go
#   bench/run-arm64.sh --demo-timeout 3600   # seconds (default 2400)
#
# Needs: a Debian or Ubuntu host (apt-get, dpkg-deb, /usr/share/keyrings/debian-archive-keyring.gpg), qemu-user-static
# (apt-get install qemu-user-static; binfmt_misc is not needed, the emulator is run explicitly), Maven and a JDK >= 21
# for the build, and deb.debian.org (plus Maven Central on a first build). Nothing is installed on the host: the arm64
# packages are unpacked with dpkg-deb -x into the cache (default target/arm64, removed by mvn clean). Emulated
# timings say nothing about a Pi's speed: qemu-user translates every arm64 instruction, JIT-compiled code included.
set -uo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$HERE")"
CACHE="$ROOT/target/arm64"
JDK=21
DEMO=1
DEMO_TIMEOUT=2400
while (( $# )); do
  case "$1" in
    --jdk) JDK="$2"; shift 2;;
    --cache) CACHE="$2"; shift 2;;
    --skip-demo) DEMO=0; shift;;
    --demo-timeout) DEMO_TIMEOUT="$2"; shift 2;;
    -h|--help) sed -n '2,26p' "${BASH_SOURCE[0]}"; exit 0;;
    *) echo "run-arm64: unknown option $1 (see --help)" >&2; exit 2;;
  esac
done
[[ "$JDK" =~ ^[0-9]+$ ]] && (( JDK >= 21 )) || { echo "run-arm64: --jdk needs 21 or newer, not $JDK" >&2; exit 2; }

die() { echo "run-arm64: $*" >&2; exit 1; }
# shellcheck source=../src/dist/bin/pnn-java.sh
source "$ROOT/src/dist/bin/pnn-java.sh"   # find_java for the host JDK of the build and the reference answers
HOST_JAVA="$(find_java)" || die "no host Java 21 or newer found (tried JAVA_HOME, PATH, /usr/lib/jvm)"
HOST_JAVA_HOME="$(dirname "$(dirname "$(readlink -f "$HOST_JAVA")")")"
QEMU="$(command -v qemu-aarch64-static || command -v qemu-aarch64)" \
  || die "qemu-aarch64-static is needed: apt-get install qemu-user-static"
for tool in apt-get dpkg-deb mvn timeout; do
  command -v "$tool" >/dev/null 2>&1 || die "$tool is needed"
done
KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg
[[ -f "$KEYRING" ]] || die "$KEYRING is needed to check Debian's packages: apt-get install debian-archive-keyring"

mkdir -p "$CACHE/logs" || die "cannot create $CACHE"
CACHE="$(cd "$CACHE" && pwd)"
ROOTFS="$CACHE/rootfs"
JHOME="$CACHE/jhome-$JDK"          # JAVA_HOME for ./pnn: bin/java runs the arm64 java under qemu
ARM_JAVA_DIR="/usr/lib/jvm/java-$JDK-openjdk-arm64"
BUNDLE=src/dist/models/vowels7-talker13.pnnb
KEY=src/dist/keys/pnn-release.pub
FORMANTS=588,1952,2601,580,1980,2610,600,1940,2590,620,1800,2580   # README's /ae/, F1-F3 at 4 points
SPI_URI='spi:0.0?baud=10000000&ready=24&reset=25'
export PNN_CDS_DIR="$CACHE/cds"    # class-data sharing archives of the arm64 JVM stay in the cache

RESULTS=()
FAILED=0
# step NAME FUNCTION: runs FUNCTION with its output to the terminal and $CACHE/logs/NAME.log; records PASS/FAIL
# (FUNCTION's status; 3 means SKIP) and the wall time
step() {
  local name="$1" fn="$2" start end rc verdict
  echo
  echo "=== $name"
  start=$(date +%s.%N)
  "$fn" 2>&1 | tee "$CACHE/logs/$name.log"
  rc=${PIPESTATUS[0]}
  end=$(date +%s.%N)
  case "$rc" in 0) verdict=PASS;; 3) verdict=SKIP;; *) verdict=FAIL; FAILED=1;; esac
  echo   # the step's output may end without a line break (mvn -q)
  local secs
  secs=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", b - a }')
  echo "--- $verdict $name (${secs} s)"
  RESULTS+=("$(printf '%-12s %-5s %8s s' "$name" "$verdict" "$secs")")
}
# show COMMAND...: prints the command, then runs it
show() {
  echo "\$ $*"
  "$@"
}
# arm COMMAND...: runs a ./pnn command with the arm64 JVM
arm() {
  echo "\$ JAVA_HOME=$JHOME nice -n 19 ./pnn $*"
  (cd "$ROOT" && JAVA_HOME="$JHOME" nice -n 19 ./pnn "$@")
}
# host COMMAND...: the same with the host JVM (reference answers)
host() {
  echo "\$ JAVA_HOME=$HOST_JAVA_HOME ./pnn $*"
  (cd "$ROOT" && JAVA_HOME="$HOST_JAVA_HOME" ./pnn "$@")
}

step_jre() {
  local apt="$CACHE/apt" marker="$ROOTFS/.openjdk-$JDK-jre-headless"
  if [[ ! -f "$marker" ]]; then
    # a private apt configuration: arm64 only, trixie (openjdk-21 and -25), its own lists and an empty dpkg status
    mkdir -p "$apt/etc/apt/sources.list.d" "$apt/etc/apt/preferences.d" "$apt/etc/apt/apt.conf.d" \
      "$apt/lists/partial" "$apt/archives/partial" "$CACHE/debs" || return 1
    : > "$apt/status"
    cat > "$apt/etc/apt/sources.list.d/trixie.sources" <<EOF
Types: deb
URIs: http://deb.debian.org/debian
Suites: trixie trixie-updates
Components: main
Architectures: arm64
Signed-By: $KEYRING

Types: deb
URIs: http://deb.debian.org/debian-security
Suites: trixie-security
Components: main
Architectures: arm64
Signed-By: $KEYRING
EOF
    cat > "$apt/apt.conf" <<EOF
Dir "$apt/";
Dir::State::status "$apt/status";
Dir::State::Lists "$apt/lists/";
Dir::Cache::Archives "$apt/archives/";
APT::Architecture "arm64";
APT::Architectures { "arm64"; };
APT::Sandbox::User "$(id -un)";
Acquire::Languages "none";
EOF
    export APT_CONFIG="$apt/apt.conf"
    show apt-get -q update || return 1
    # the JVM links only these (readelf -d of bin/java and lib/**/*.so); AWT, sound, PC/SC and font libraries are not
    # loaded by a headless CLI
    rm -f "$CACHE"/debs/*.deb   # only this download's versions get unpacked below
    (cd "$CACHE/debs" && show apt-get -q download "openjdk-$JDK-jre-headless" libc6 libgcc-s1 libstdc++6 zlib1g) \
      || return 1
    mkdir -p "$ROOTFS" || return 1
    local deb
    for deb in "$CACHE"/debs/{openjdk-"$JDK"-jre-headless,libc6,libgcc-s1,libstdc++6,zlib1g}_*_arm64.deb; do
      show dpkg-deb -x "$deb" "$ROOTFS" || return 1
    done
    # merged /usr: base-files would make /lib; the arm64 loader is looked up as /lib/ld-linux-aarch64.so.1
    [[ -e "$ROOTFS/lib" ]] || ln -s usr/lib "$ROOTFS/lib"
    # absolute links (conf/security/java.security -> /etc/java-N-openjdk/...) would resolve on the host: qemu's -L
    # prefix applies to the paths a program opens, not to link targets, so they become relative ones
    local link target
    while IFS= read -r -d '' link; do
      target="$(readlink "$link")"
      ln -sfn "$(realpath -m --relative-to="$(dirname "$link")" "$ROOTFS$target")" "$link"
    done < <(find "$ROOTFS" -type l -lname '/*' -print0)
    (cd "$CACHE/debs" && ls "openjdk-$JDK-jre-headless"_*_arm64.deb) > "$marker"
  fi
  [[ -x "$ROOTFS$ARM_JAVA_DIR/bin/java" ]] || { echo "no $ARM_JAVA_DIR/bin/java in $ROOTFS"; return 1; }
  mkdir -p "$JHOME/bin"
  cp "$ROOTFS$ARM_JAVA_DIR/release" "$JHOME/release"   # the launcher reads the version here (java_major)
  printf '#!/bin/sh\nexec %q -L %q %q "$@"\n' "$QEMU" "$ROOTFS" "$ROOTFS$ARM_JAVA_DIR/bin/java" > "$JHOME/bin/java"
  chmod +x "$JHOME/bin/java"
  echo "JRE: $(cat "$marker"); JAVA_HOME for ./pnn: $JHOME"
  local props
  props="$(show "$JHOME/bin/java" -XshowSettings:properties -version 2>&1)" || { echo "$props"; return 1; }
  grep -E 'os.arch|java.vm.version|java.vm.name' <<<"$props"
  grep -q 'os.arch = aarch64' <<<"$props" || { echo "the JVM does not report os.arch aarch64"; return 1; }
}

step_build() {
  local opts=(-B -q -DskipTests package -pl runtime,fleet-sim,fleet-controller -am)
  (cd "$ROOT" && export JAVA_HOME="$HOST_JAVA_HOME" && { show nice -n 19 mvn -o "${opts[@]}" \
    || { echo "(offline build failed; once more with the network)"; show nice -n 19 mvn "${opts[@]}"; }; }) \
    || return 1
  # ./pnn rebuilds when a source is newer than the jar; after a build it touches the jar the same way
  touch "$ROOT/runtime/target/pnn-runtime.jar"
}

step_version() {
  local out
  out="$(arm --version 2>&1)"; local rc=$?
  echo "$out"
  (( rc == 0 )) && grep -q "^Java $JDK\." <<<"$out"
}

step_verify() {
  local out
  out="$(arm verify --bundle "$BUNDLE" --trust "$KEY" 2>&1)"; local rc=$?
  echo "$out"
  (( rc == 0 )) && grep -q '^status *VALID' <<<"$out"
}

step_classify() {
  local args=(classify --formants-hz "$FORMANTS" --f0 120 --device 'emulator:shg?seed=1' --bundle "$BUNDLE" --json)
  local ref out
  ref="$(host "${args[@]}" 2>&1)" || { echo "$ref"; echo "the host JVM's run failed"; return 1; }
  out="$(arm "${args[@]}" 2>&1)" || { echo "$out"; return 1; }
  echo "$out"
  local label ref_label probs ref_probs
  label="$(sed -n 's/^ *"label" : "\(.*\)",$/\1/p' <<<"$out")"
  ref_label="$(sed -n 's/^ *"label" : "\(.*\)",$/\1/p' <<<"$ref")"
  probs="$(sed -n 's/^ *"probabilities" : \[ \(.*\) \],$/\1/p' <<<"$out")"
  ref_probs="$(sed -n 's/^ *"probabilities" : \[ \(.*\) \],$/\1/p' <<<"$ref")"
  echo "host JVM ($("$HOST_JAVA" -XshowSettings:properties -version 2>&1 | sed -n 's/ *os.arch = //p')): label" \
    "$ref_label, probabilities $ref_probs"
  if [[ -z "$label" || "$label" != "$ref_label" ]]; then
    echo "arm64 label '$label' is not the host's '$ref_label'"
    return 1
  fi
  if [[ "$probs" == "$ref_probs" ]]; then
    echo "same label, probabilities bit-identical to the host JVM's"
    return 0
  fi
  # Math.exp and friends may differ by an ulp between JITs and CPUs; anything larger is a defect
  awk -v a="$probs" -v b="$ref_probs" 'BEGIN { n = split(a, x, ", "); m = split(b, y, ", "); if (n != m) exit 1
    for (i = 1; i <= n; i++) { d = x[i] - y[i]; if (d < 0) d = -d; if (d > 1e-9) exit 1 } }' \
    && echo "same label, probabilities within 1e-9 of the host JVM's (not bit-identical)" \
    || { echo "probabilities differ from the host JVM's by more than 1e-9"; return 1; }
}

# the service as the Pi's systemd unit starts it (its PNN_JAVA_OPTS, read from src/dist/pnn-edge.service) on the
# emulated device: the control socket answers a classify and a status, and the service stops on SIGTERM
step_service() {
  local state="$CACHE/service-state" opts pid rc=0 waited=0
  opts="$(sed -n 's/^Environment="PNN_JAVA_OPTS=\(.*\)"$/\1/p' "$ROOT/src/dist/pnn-edge.service")"
  [[ -n "$opts" ]] || { echo "no PNN_JAVA_OPTS in src/dist/pnn-edge.service"; return 1; }
  rm -rf "$state"
  local args=(run --config src/dist/pnn-edge.conf --set 'device.uri=emulator:shg?seed=1' --set "state.dir=$state"
    --set bundle.trusted_keys=src/dist/keys --set "bundle.initial=$BUNDLE" --set log.file=)
  echo "\$ PNN_JAVA_OPTS='$opts' JAVA_HOME=$JHOME nice -n 19 ./pnn ${args[*]} &"
  (cd "$ROOT" && PNN_JAVA_OPTS="$opts" JAVA_HOME="$JHOME" exec nice -n 19 ./pnn "${args[@]}") &
  pid=$!
  while [[ ! -S "$state/control.sock" ]] && kill -0 "$pid" 2>/dev/null && (( waited < 600 )); do
    sleep 2
    waited=$((waited + 2))
  done
  if [[ -S "$state/control.sock" ]]; then
    echo "control socket after ${waited} s"
    local out
    out="$(arm classify --state-dir "$state" --formants-hz "$FORMANTS" --f0 120 --talker desk-1 --json 2>&1)" || rc=1
    echo "$out"
    grep -q '"label" : "ae"' <<<"$out" || { echo "the service did not answer /ae/"; rc=1; }
    arm status --state-dir "$state" || rc=1
  else
    echo "no control socket after ${waited} s"
    rc=1
  fi
  if kill -0 "$pid" 2>/dev/null; then
    local stop=$SECONDS
    kill -TERM "$pid"
    wait "$pid"
    # 143 = ended by SIGTERM; the first run of a command also writes its class-data sharing archive at exit
    echo "service exit status after SIGTERM: $? ($((SECONDS - stop)) s to stop)"
  else
    wait "$pid"
    echo "the service ended by itself (exit status $?)"
    rc=1
  fi
  return "$rc"
}

step_native_libs() {
  local probe="$CACHE/probe" lib="$ROOT/runtime/target/lib"
  show "$HOST_JAVA_HOME/bin/javac" --release 21 -d "$probe" "$HERE/NativeLibsProbe.java" || return 1
  show nice -n 19 "$JHOME/bin/java" --enable-native-access=ALL-UNNAMED -Dtinylog.writer.level=warn \
    -cp "$probe:$lib/*" NativeLibsProbe
}

step_spi_missing() {
  if [[ -e /dev/spidev0.0 ]]; then
    echo "/dev/spidev0.0 exists here: this step checks the error without it"
    return 3
  fi
  local out rc
  out="$(arm device identify --device "$SPI_URI" 2>&1)"; rc=$?
  echo "$out"
  echo "(exit status $rc)"
  # a refusal, not a crash: exit status 1-127, no Java stack trace, no JVM fatal error, the device node named
  (( rc > 0 && rc < 128 )) || { echo "expected a failing exit status below 128"; return 1; }
  if grep -qE '^[[:space:]]+at [a-zA-Z]|A fatal error has been detected|hs_err_pid' <<<"$out"; then
    echo "a stack trace or a JVM crash instead of an error message"
    return 1
  fi
  grep -q '^pnn: device error: .*/dev/spidev0\.0' <<<"$out" \
    || { echo "the error does not name /dev/spidev0.0"; return 1; }
}

step_demo() {
  (( DEMO )) || { echo "--skip-demo"; return 3; }
  local out="$CACHE/demo-summary.json" rc
  # C1 only, as the Pi's unit runs (C2's compiles cost most under emulation); the embedded broker needs minutes
  # here, not the 60 s it gets by default
  local opts="-XX:TieredStopAtLevel=1 -Dpnn.demo.broker_start_seconds=$DEMO_TIMEOUT"
  echo "\$ PNN_JAVA_OPTS='$opts' JAVA_HOME=$JHOME timeout $DEMO_TIMEOUT nice -n 19 ./pnn demo --json-summary $out"
  (cd "$ROOT" && PNN_JAVA_OPTS="$opts" JAVA_HOME="$JHOME" timeout "$DEMO_TIMEOUT" nice -n 19 ./pnn demo \
    --json-summary "$out")
  rc=$?
  (( rc == 124 )) && echo "timed out after $DEMO_TIMEOUT s (--demo-timeout)"
  return "$rc"
}

echo "run-arm64: host $(uname -m), $(nproc) cores, $("$QEMU" --version | head -n 1); host JDK $HOST_JAVA_HOME"
echo "run-arm64: cache $CACHE (logs in logs/)"
step jre step_jre
if [[ "${RESULTS[-1]}" == *PASS* ]]; then
  step build step_build
  if [[ "${RESULTS[-1]}" == *PASS* ]]; then
    step version step_version
    step verify step_verify
    step classify step_classify
    step service step_service
    step native-libs step_native_libs
    step spi-missing step_spi_missing
    step demo step_demo
  fi
fi
echo
echo "=== run-arm64 summary (openjdk-$JDK-jre-headless:arm64 under $(basename "$QEMU"); emulated times, not a Pi's)"
printf '%s\n' "${RESULTS[@]}" | tee "$CACHE/summary.txt"
exit "$FAILED"
