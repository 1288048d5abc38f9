# Scenario "faults": the kernel unloads the scheduler under load (SysRq-S, as a person or a
# watchdog would) and run attaches again by itself with its last-known-good values, until the
# third unload within the window: then it stays off (exit 4) and the machine runs on the default
# scheduler. Sourced by /init inside a subshell; lib.sh is loaded.
S=faults
JL_SCHED_ARGS="--registry /tmp/$S.registry --restart-backoff ${jl_faults_backoff:-1s} --unload-limit 3"
mark $S "starting scheduler (policy $jl_policy)"
start_scheduler $S

ops=
wl_rc=
results=
rounds=0
if wait_enabled "$jl_enable_s"; then
  ops=$(scx_ops)
  mark $S "scheduler enabled after $(fmt_s "$ENABLE_MS") s (ops=$ops)"
  (cd /tmp && exec timeout -s KILL 240 stress-ng --cpu 2 --sleep 2 --timeout 90s --metrics-brief) > /tmp/$S.workload.log 2>&1 &
  wl_pid=$!
  sleep 3
  for i in 1 2 3; do
    seq0=$(cat $JL_SCX/enable_seq 2>/dev/null || echo 0)
    before=$(scx_state)
    t=$(now_ms)
    echo S > /proc/sysrq-trigger
    off_ms=
    on_ms=
    deadline=$(( t + 10000 ))
    while [ "$(now_ms)" -lt "$deadline" ]; do
      if [ "$(scx_state)" = disabled ]; then off_ms=$(( $(now_ms) - t )); break; fi
      sleep 0.05
    done
    if [ "$i" -lt 3 ]; then
      # the restart: a new enable (enable_seq moves) of the same ops, within the backoff plus an attach
      deadline=$(( t + 60000 ))
      while [ "$(now_ms)" -lt "$deadline" ]; do
        seq=$(cat $JL_SCX/enable_seq 2>/dev/null || echo 0)
        if [ "$seq" != "$seq0" ] && [ "$(scx_state)" = enabled ] && [ "$(scx_ops)" = javaland ]; then
          on_ms=$(( $(now_ms) - t )); break
        fi
        alive "$SCHED_PID" || break
        sleep 0.1
      done
    fi
    mark $S "SysRq-S $i (state before $before): disabled after ${off_ms:-never} ms, enabled again after ${on_ms:-never} ms (ops $(scx_ops))"
    [ -n "$results" ] && results="$results,"
    results="$results{\"state_before\":$(js "$before"),\"ms_to_disabled\":$(jn "$off_ms"),\"ms_to_enabled\":$(jn "$on_ms"),\"ops_after\":$(js "$(scx_ops)")}"
    rounds=$i
    [ "$i" -lt 3 ] && [ -z "$on_ms" ] && break
    sleep 3 # the new attach schedules the load for a while before the next unload
  done
else
  not_enabled $S
  ops=$OPS
fi

# After the last unload run must give up by itself: exit 4, machine on the default scheduler.
if wait_exit "$SCHED_PID" 60; then
  wait "$SCHED_PID"
  sched_rc=$?
else
  mark $S "scheduler still running 60 s after the last unload: SIGTERM"
  stop_scheduler $S
  sched_rc=$SCHED_RC
fi
state_after=$(scx_state)
mark $S "scheduler exit code $sched_rc, state $state_after"
if [ -n "$wl_pid" ]; then
  wait "$wl_pid"
  wl_rc=$?
  mark $S "workload exited with $wl_rc"
fi
audit=$(grep -o '"event":"[a-z_]*"' /tmp/$S.registry/audit.jsonl 2>/dev/null | cut -d'"' -f4 | tr '\n' ',' | sed 's/,$//')

log_tail $S.sched.out "$SCHED_OUT" 30
log_tail $S.sched.err "$SCHED_ERR" 20
log_tail $S.workload /tmp/$S.workload.log 10
scx_klog > /tmp/$S.dmesg
log_tail $S.dmesg /tmp/$S.dmesg 20

result $S "{\"scenario\":\"$S\",\"ops\":$(js "$ops"),\"enable_ms\":$(jn "$ENABLE_MS"),\"unloads\":[$results],\
\"rounds\":$rounds,\"exit_code\":$(jn "$sched_rc"),\"state_after\":$(js "$state_after"),\"workload_exit_code\":$(jn "$wl_rc"),\
\"audit_events\":$(js "$audit"),\"kernel_log\":$(scx_klog_json),\"stats\":$(sched_stats)}"
