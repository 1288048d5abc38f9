# Scenario "faults", under load:
#   1. policy hot swap: PUT /api/v1/policy {"name":"fifo"} (what `javaland policy use fifo` sends;
#      busybox nc, not a second JVM: that took 80 s under TCG and this load) while attached; the
#      scheduler stays enabled (enable_seq unchanged, ops javaland) and fifo decides from the next
#      batch, as a canary;
#   2. the scheduler's JVM frozen (SIGSTOP) for jl.faults_freeze_s (10) s, then SIGCONT: BPF
#      rescues every task meanwhile (no stall exit), Java decides again after; cyclictest
#      measures the wakeup delay during the freeze, /status the fallbacks;
#   3. the kernel unloads the scheduler (SysRq-S, as a person or a watchdog would) and run
#      attaches again by itself with its last-known-good values (never the swapped-in canary),
#      until the third unload within the window: then it stays off (exit 4) and the machine runs
#      on the default scheduler.
# Sourced by /init inside a subshell; lib.sh is loaded.
S=faults
C=/tmp/$S
mkdir -p $C
(umask 077 && printf '# faults scenario\n%s\n' "$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')" > $C/api-token)
JL_HTTP_PORT=8740
JL_SCHED_ARGS="--registry $C/registry --api-token-file $C/api-token --restart-backoff ${jl_faults_backoff:-1s} --unload-limit 3"
mark $S "starting scheduler (policy $jl_policy)"
start_scheduler $S

ops=
wl_rc=
freeze_json=null
# status_field NAME: the first number of that name in GET /status (no token needed), or empty
status_field() {
  { printf 'GET /status HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n'; sleep 3; } \
    | timeout 20 nc 127.0.0.1 $JL_HTTP_PORT 2>/dev/null | grep -o "\"$1\" *: *[0-9]*" | head -n1 | tr -dc '0-9' 
}
results=
rounds=0
if wait_enabled "$jl_enable_s"; then
  ops=$(scx_ops)
  mark $S "scheduler enabled after $(fmt_s "$ENABLE_MS") s (ops=$ops)"
  (cd /tmp && exec timeout -s KILL 240 stress-ng --cpu 2 --sleep 1 --sleep-max 16 --timeout 120s --metrics-brief) > /tmp/$S.workload.log 2>&1 &
  wl_pid=$!
  sleep 3
  # 1. the hot swap through the REST API, once the control plane listens
  # (under TCG the control plane takes 16 s on a quiet host, 134 s was seen on a loaded one)
  deadline=$(( $(now_ms) + 240000 ))
  until grep -q "status at http://" "$SCHED_OUT" 2>/dev/null || [ "$(now_ms)" -ge "$deadline" ]; do sleep 0.2; done
  api_ms=$(( $(now_ms) - SCHED_START_MS ))
  mark $S "control plane listening $(fmt_s "$api_ms") s after the start"
  seq_swap=$(cat $JL_SCX/enable_seq 2>/dev/null)
  t=$(now_ms)
  body='{"name":"fifo","reason":"faults scenario"}'
  { printf 'PUT /api/v1/policy HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nAuthorization: Bearer %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s' \
      "$(grep -v '^#' $C/api-token | head -n1)" "${#body}" "$body"; sleep 5; } | timeout 30 nc 127.0.0.1 $JL_HTTP_PORT 2>/dev/null \
    | tr -d '\r' > $C/use.out
  use_status=$(head -n1 $C/use.out | cut -d' ' -f2)
  use_ms=$(( $(now_ms) - t ))
  sleep 3
  swap_state=$(scx_state)
  swap_ops=$(scx_ops)
  swap_seq_moved=0
  [ "$(cat $JL_SCX/enable_seq 2>/dev/null)" = "$seq_swap" ] || swap_seq_moved=1
  swap_logged=0
  grep -q "policy fifo in force from the next batch" "$SCHED_OUT" && swap_logged=1
  mark $S "PUT /api/v1/policy fifo: HTTP $use_status after $(fmt_s $use_ms) s ($(tail -n1 $C/use.out)); 3 s later state $swap_state, ops $swap_ops, enable_seq moved $swap_seq_moved, in force $swap_logged"
  # 2. the JVM frozen
  . $JL_GUEST/bench-workloads.sh
  B=$C
  jl_lat_s=${jl_faults_freeze_s:-10}
  jl_lat_threads=1
  seq_freeze=$(cat $JL_SCX/enable_seq 2>/dev/null)
  fb0=$(status_field fallbacks)
  kill -STOP "$SCHED_PID"
  run_latency freeze # cyclictest for the whole freeze
  kill -CONT "$SCHED_PID"
  sleep 1
  freeze_state=$(scx_state)
  freeze_seq_moved=0
  [ "$(cat $JL_SCX/enable_seq 2>/dev/null)" = "$seq_freeze" ] || freeze_seq_moved=1
  fb1=$(status_field fallbacks)
  ud1=$(status_field user_dispatches)
  sleep 2
  ud2=$(status_field user_dispatches)
  mark $S "SIGSTOP ${jl_lat_s} s: state $freeze_state, enable_seq moved $freeze_seq_moved, fallbacks $fb0 -> $fb1, wakeup delay p99 ${LAT_P99} us max ${LAT_MAX} us; after SIGCONT user dispatches $ud1 -> $ud2"
  freeze_json="{\"seconds\":$(jn "$jl_lat_s"),\"state\":$(js "$freeze_state"),\"enable_seq_moved\":$(jb "$freeze_seq_moved"),\
\"fallbacks_before\":$(jn "$fb0"),\"fallbacks_after\":$(jn "$fb1"),\"user_dispatches_after\":[$(jn "$ud1"),$(jn "$ud2")],\"latency\":$LAT_JSON}"
  # 3. the unloads
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
    # the restart: a new enable (enable_seq moves) of the same ops, within the backoff plus an
    # attach; or run gives up (it exits). An unload the kernel made by itself before (a stall)
    # counts toward the limit as well, so the give-up may come at an earlier SysRq-S.
    deadline=$(( t + 60000 ))
    while [ "$(now_ms)" -lt "$deadline" ]; do
      seq=$(cat $JL_SCX/enable_seq 2>/dev/null || echo 0)
      if [ "$seq" != "$seq0" ] && [ "$(scx_state)" = enabled ] && [ "$(scx_ops)" = javaland ]; then
        on_ms=$(( $(now_ms) - t )); break
      fi
      alive "$SCHED_PID" || break
      sleep 0.1
    done
    mark $S "SysRq-S $i (state before $before): disabled after ${off_ms:-never} ms, enabled again after ${on_ms:-never} ms (ops $(scx_ops))"
    [ -n "$results" ] && results="$results,"
    results="$results{\"state_before\":$(js "$before"),\"ms_to_disabled\":$(jn "$off_ms"),\"ms_to_enabled\":$(jn "$on_ms"),\"ops_after\":$(js "$(scx_ops)")}"
    rounds=$i
    [ -z "$on_ms" ] && break
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
audit=$(grep -o '"event":"[a-z_]*"' $C/registry/audit.jsonl 2>/dev/null | cut -d'"' -f4 | tr '\n' ',' | sed 's/,$//')

log_tail $S.sched.out "$SCHED_OUT" 30
log_tail $S.sched.err "$SCHED_ERR" 20
log_tail $S.workload /tmp/$S.workload.log 10
scx_klog > /tmp/$S.dmesg
log_tail $S.dmesg /tmp/$S.dmesg 20

result $S "{\"scenario\":\"$S\",\"ops\":$(js "$ops"),\"enable_ms\":$(jn "$ENABLE_MS"),\"unloads\":[$results],\
\"rounds\":$rounds,\"exit_code\":$(jn "$sched_rc"),\"state_after\":$(js "$state_after"),\"workload_exit_code\":$(jn "$wl_rc"),\
\"audit_events\":$(js "$audit"),\"swap\":{\"http_status\":$(jn "$use_status"),\"ms\":$(jn "$use_ms"),\"state\":$(js "$swap_state"),\
\"ops\":$(js "$swap_ops"),\"enable_seq_moved\":$(jb "$swap_seq_moved"),\"in_force\":$(jb "$swap_logged"),\"said\":$(js "$(tail -n1 $C/use.out)")},\"freeze\":$freeze_json,\"kernel_log\":$(scx_klog_json),\"stats\":$(sched_stats)}"
