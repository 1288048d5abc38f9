# javaland.service run the way its unit file says, by hand: the guest has no systemd. Sourced by
# smoke.sh when the package's tree is in the guest's root (./javaland vm --package TARBALL, which
# ./javaland test passes); lib.sh is loaded. Only what this unit uses is done as systemd would:
# StateDirectory=/RuntimeDirectory= made, each ExecStartPre= line run in order (a failing one stops
# the start), then ExecStart= as the main process, in a clean environment, and SIGTERM to stop.
JL_UNIT=/usr/lib/systemd/system/javaland.service
# systemd's default PATH for services. LD_LIBRARY_PATH stands in for the ld.so.cache a Debian
# system has and this initramfs has not; it leaves out /opt/libbpf, so the package's own libbpf is used.
JL_UNIT_ENV="PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu:/lib/x86_64-linux-gnu LANG=C.UTF-8"

# unit_values KEY: the values of KEY= in the unit's [Service] section, one a line, in order
unit_values() {
  sed -n '/^\[Service\]/,/^\[/p' "$JL_UNIT" | grep "^$1=" | cut -d= -f2-
}

# unit_plain LINE: 0 when LINE needs none of systemd's own command-line syntax (a prefix such as
# '-' or '+', quotes, $VARIABLE, %specifier, backslash), which this stand-in does not implement
unit_plain() {
  case "$1" in [-@+!:]*|*'"'*|*"'"*|*'$'*|*%*|*'\'*) return 1 ;; esac
  return 0
}

# unit_exec LINE: runs one command line as the unit would, in the foreground
unit_exec() {
  # shellcheck disable=SC2086
  env -i $JL_UNIT_ENV $1 < /dev/null
}

# unit_start NAME: the directories, the ExecStartPre lines, then ExecStart in the background
# (SCHED_PID, SCHED_OUT, SCHED_ERR as start_scheduler sets them). 1 when a line is not plain or an
# ExecStartPre line failed: UNIT_FAILED says which, UNIT_FAILED_RC and /tmp/NAME.pre.err why.
unit_start() {
  local name=$1 d line rc
  UNIT_FAILED=
  UNIT_FAILED_RC=
  SCHED_OUT=/tmp/$name.sched.out
  SCHED_ERR=/tmp/$name.sched.err
  for d in $(unit_values StateDirectory); do mkdir -p "/var/lib/$d"; done
  for d in $(unit_values RuntimeDirectory); do mkdir -p "/run/$d"; done
  unit_values ExecStartPre > /tmp/$name.pre
  unit_values ExecStart > /tmp/$name.start
  : > /tmp/$name.pre.err
  while IFS= read -r line; do
    unit_plain "$line" || { UNIT_FAILED="not plain: $line"; return 1; }
    unit_exec "$line" >> /tmp/$name.pre.err 2>&1
    rc=$?
    if [ $rc -ne 0 ]; then UNIT_FAILED=$line; UNIT_FAILED_RC=$rc; return 1; fi
  done < /tmp/$name.pre
  line=$(cat /tmp/$name.start)
  [ "$(wc -l < /tmp/$name.start)" = 1 ] || { UNIT_FAILED="not one ExecStart line"; return 1; }
  unit_plain "$line" || { UNIT_FAILED="not plain: $line"; return 1; }
  SCHED_START_MS=$(now_ms)
  scx_dump_arm
  # shellcheck disable=SC2086
  env -i $JL_UNIT_ENV $line > "$SCHED_OUT" 2> "$SCHED_ERR" < /dev/null &
  SCHED_PID=$!
  return 0
}

# unit_scenario S: the package's javaland.service on the real kernel, with the installed
# /etc/javaland/javaland.yaml (one key set in it, as a person would: policy fifo, so that the
# result shows the file was read); sets UNIT_JSON
unit_scenario() {
  local S=$1 U=$1-unit state= ops= guard_rc= guard_err= ms_to_disabled= t rc= policy_line
  policy_line="policy: fifo"
  echo "$policy_line" >> /etc/javaland/javaland.yaml
  mark $S "javaland.service by hand: $(unit_values ExecStart)"
  if unit_start $U; then
    if wait_enabled "$jl_enable_s"; then
      state=$(scx_state)
      ops=$(scx_ops)
      mark $S "unit: enabled after $(fmt_s "$ENABLE_MS") s (ops=$ops)"
      # a second start while this one holds the slot: its first ExecStartPre (the slot check) refuses
      unit_exec "$(head -n1 /tmp/$U.pre)" > /tmp/$U.guard.err 2>&1
      guard_rc=$?
      guard_err=$(head -n1 /tmp/$U.guard.err)
      mark $S "unit: slot check while attached: exit $guard_rc: $guard_err"
      sleep 2
      t=$(now_ms)
      kill -TERM "$SCHED_PID"
      while [ $(( $(now_ms) - t )) -lt 10000 ]; do
        if [ "$(scx_state)" = disabled ]; then ms_to_disabled=$(( $(now_ms) - t )); break; fi
        sleep 0.05
      done
      mark $S "unit: SIGTERM: state disabled after ${ms_to_disabled:-?} ms"
      wait_exit "$SCHED_PID" "$jl_term_s" || kill -KILL "$SCHED_PID"
    else
      not_enabled $U
      state=$STATE_DURING
      ops=$OPS
      kill -TERM "$SCHED_PID" 2>/dev/null
      wait_exit "$SCHED_PID" "$jl_term_s" || kill -KILL "$SCHED_PID"
    fi
    wait "$SCHED_PID"
    rc=$?
    scx_dump_log $U
  else
    mark $S "unit: did not start: $UNIT_FAILED (exit $UNIT_FAILED_RC)"
    log_tail $U.pre.err /tmp/$U.pre.err 20
  fi
  log_tail $U.sched.out "$SCHED_OUT" 20
  log_tail $U.sched.err "$SCHED_ERR" 20
  UNIT_JSON="{\"installed\":true,\"exec_start\":$(js "$(cat /tmp/$U.start 2>/dev/null)"),\"config_edit\":$(js "$policy_line"),\
\"start_failed\":$(js "$UNIT_FAILED"),\"state_during\":$(js "$state"),\"ops\":$(js "$ops"),\
\"token_file_mode\":$(js "$(stat -c %a /run/javaland/api-token 2>/dev/null)"),\"registry_versions\":$(jn "$(ls /var/lib/javaland/versions 2>/dev/null | wc -l)"),\
\"guard_exit_code\":$(jn "$guard_rc"),\"guard_message\":$(js "$guard_err"),\"ms_to_disabled\":$(jn "$ms_to_disabled"),\
\"exit_code\":$(jn "$rc"),\"state_after\":$(js "$(scx_state)"),\"stats\":$(sched_stats)}"
}
