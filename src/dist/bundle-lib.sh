# What make-default-bundle.sh and make-vowels12-bundle.sh share (sourced, not run; developer scripts, not packaged).
# The caller sets SCRIPT (its name, for messages) and, from the environment, PROJECTION, EXTRA and EXTRA_TIMES.

# PROJECTION=K -> PROJECTION_OPT=(--input-projection K) (a hybrid network, models.md "Hybrid networks"), else empty
projection_opt() {
  PROJECTION_OPT=()
  if [[ -n "${PROJECTION:-}" ]]; then
    [[ "$PROJECTION" =~ ^[1-9][0-9]*$ ]] || { echo "$SCRIPT: PROJECTION must be a whole number 1-4096" >&2; exit 2; }
    PROJECTION_OPT=(--input-projection "$PROJECTION")
  fi
}

# EXTRA=CSV names a file and EXTRA_TIMES is 1-99 (nothing to check without EXTRA)
extra_check() {
  [[ -n "${EXTRA:-}" ]] || return 0
  [[ -f "$EXTRA" ]] || { echo "$SCRIPT: EXTRA: no such file: $EXTRA" >&2; exit 2; }
  [[ "${EXTRA_TIMES:-1}" =~ ^[1-9][0-9]?$ ]] || { echo "$SCRIPT: EXTRA_TIMES must be 1-99" >&2; exit 2; }
}

# DATA becomes $WORK/train-extra.csv: DATA's rows, then EXTRA's EXTRA_TIMES times, when EXTRA is set; EXTRA must
# have DATA's columns and labels
extra_append() {
  [[ -n "${EXTRA:-}" ]] || return 0
  extra_check
  if [[ "$(grep -v '^#' "$DATA" | head -1)" != "$(grep -v '^#' "$EXTRA" | head -1)" ]] \
     || [[ "$(grep '^# labels' "$DATA")" != "$(grep '^# labels' "$EXTRA")" ]]; then
    echo "$SCRIPT: EXTRA $EXTRA has other columns or labels than $DATA" >&2; exit 2
  fi
  cat "$DATA" > "$WORK/train-extra.csv"
  for (( i = 0; i < ${EXTRA_TIMES:-1}; i++ )); do grep -v '^#' "$EXTRA" | tail -n +2 >> "$WORK/train-extra.csv"; done
  DATA="$WORK/train-extra.csv"
}
