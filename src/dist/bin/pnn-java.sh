# Finds a Java >= 21 for the pnn launchers (sourced by ./pnn in a checkout and by bin/pnn in a release).
# Tries JAVA_HOME, then java on PATH, then /usr/lib/jvm/* newest first; prints the java binary or fails.

java_major() { # prints the feature version of the java binary $1, or 0
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
