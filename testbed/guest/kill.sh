# Scenario "kill": kill -9 the scheduler under load; the kernel must fall back to the default
# scheduler (the struct_ops link dies with the process) and the workload must complete.
# Sourced by /init inside a subshell; lib.sh is loaded.
S=kill
mark $S "starting scheduler (policy $jl_policy)"
start_scheduler $S

state_during=
ops=
ms_to_disabled=
wl_rc=
wl_done=0
if wait_enabled "$jl_enable_s"; then
  state_during=$(scx_state)
  ops=$(scx_ops)
  mark $S "scheduler enabled after $(fmt_s "$ENABLE_MS") s (ops=$ops)"
  (cd /tmp && exec stress-ng --cpu 4 --timeout 15s --metrics-brief) > /tmp/$S.workload.log 2>&1 &
  wl_pid=$!
  sleep 5
  state_before_kill=$(scx_state)
  t=$(now_ms)
  kill -KILL "$SCHED_PID"
  deadline=$(( t + 30000 ))
  while [ "$(now_ms)" -lt "$deadline" ]; do
    if [ "$(scx_state)" = disabled ]; then ms_to_disabled=$(( $(now_ms) - t )); break; fi
    sleep 0.1
  done
  if [ -n "$ms_to_disabled" ]; then
    mark $S "kill -9: state disabled after $ms_to_disabled ms"
  else
    mark $S "kill -9: state still $(scx_state) after 30 s"
  fi
  # stress-ng runs 15 s; under emulation allow it plenty more to wind down.
  if wait_exit "$wl_pid" 180; then
    wl_done=1
    wait "$wl_pid"
    wl_rc=$?
    mark $S "workload completed with exit code $wl_rc"
  else
    mark $S "workload did not complete within 180 s"
    kill -KILL "$wl_pid" 2>/dev/null
  fi
else
  not_enabled $S
  state_during=$STATE_DURING
  ops=$OPS
  state_before_kill=$state_during
  kill -KILL "$SCHED_PID" 2>/dev/null
fi
wait_exit "$SCHED_PID" 10
wait "$SCHED_PID"
sched_rc=$?
state_after=$(scx_state)

log_tail $S.sched.out "$SCHED_OUT" 20
log_tail $S.sched.err "$SCHED_ERR" 20
log_tail $S.workload /tmp/$S.workload.log 20
scx_klog > /tmp/$S.dmesg
log_tail $S.dmesg /tmp/$S.dmesg 20

result $S "{\"scenario\":\"$S\",\"state_during\":$(js "$state_during"),\"ops\":$(js "$ops"),\
\"enable_ms\":$(jn "$ENABLE_MS"),\"was_enabled\":$(jb "$WAS_ENABLED"),\"state_before_kill\":$(js "$state_before_kill"),\
\"ms_to_disabled\":$(jn "$ms_to_disabled"),\"state_after\":$(js "$state_after"),\
\"workload_exit_code\":$(jn "$wl_rc"),\"workload_completed\":$(jb $wl_done),\"exit_code\":$(jn "$sched_rc"),\
\"kernel_log\":$(scx_klog_json),\"stats\":$(sched_stats)}"
