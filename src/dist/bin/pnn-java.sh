# Finds a Java >= 21 for the pnn launchers (sourced by ./pnn in a checkout and by bin/pnn in a release).
# Tries JAVA_HOME, then java on PATH, then /usr/lib/jvm/* newest first; prints the java binary or fails.

java_major() { # prints the feature version of the java binary $1, or 0
  # the JDK's release file tells without starting a JVM (~0.2 s of every command otherwise)
  local home v
  home="$(dirname "$(dirname "$(readlink -f "$1")")")"
  if [[ -f "$home/release" ]]; then
    v="$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$home/release")"
    [[ "$v" =~ ^[0-9]+$ ]] && { echo "$v"; return 0; }
  fi
  "$1" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2; exit}' | cut -d. -f1 || echo 0
}

find_java() {
  local c v
  local candidates=()
  [[ -n "${JAVA_HOME:-}" ]] && candidates+=("$JAVA_HOME/bin/java")
  command -v java >/dev/null 2>&1 && candidates+=("$(command -v java)")
  for d in $(ls -d /usr/lib/jvm/*/ 2>/dev/null | sort -rV); do candidates+=("${d%/}/bin/java"); done
  for c in "${candidates[@]}"; do
    [[ -x "$c" ]] || continue
    v="$(java_major "$c")"
    if [[ "$v" =~ ^[0-9]+$ ]] && (( v >= 21 )); then echo "$c"; return 0; fi
  done
  return 1
}

# cds_flags COMMAND CLASSPATH: prints, one per line, the JVM options for class-data sharing (AppCDS) of the commands a
# Pi runs: the first start writes an archive of the classes it loaded (JDK 19+: -XX:+AutoCreateSharedArchive, dumped
# when the JVM exits), later starts map it instead of parsing and verifying those classes again. One archive per
# command, JVM and options (the key), in a writable cache directory; the JVM re-creates an archive that no longer
# matches (new jars, new JDK). PNN_CDS=off disables it; PNN_CDS_DIR chooses the directory (else systemd's
# $CACHE_DIRECTORY, $XDG_CACHE_HOME/pnn-edge or ~/.cache/pnn-edge; none writable: no archive, nothing else changes).
# Needs JAVA set. runtime.md, "Start-up and memory".
cds_flags() {
  case "$1" in run|classify|status) ;; *) return 0 ;; esac
  [[ "${PNN_CDS:-on}" == "off" ]] && return 0
  local dir="${PNN_CDS_DIR:-${CACHE_DIRECTORY:-${XDG_CACHE_HOME:-${HOME:-/nonexistent}/.cache}/pnn-edge}}" key
  { mkdir -p -m 0700 "$dir" 2>/dev/null && [[ -w "$dir" ]]; } || return 0
  key="$(printf '%s\n' "$JAVA" "$2" "${PNN_JAVA_OPTS:-}" | cksum | cut -d' ' -f1)"
  printf '%s\n' -XX:+AutoCreateSharedArchive "-XX:SharedArchiveFile=$dir/pnn-$1-$key.jsa" -Xlog:cds=off \
    -Xlog:cds+dynamic=off
}
