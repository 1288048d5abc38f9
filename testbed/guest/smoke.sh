# Scenario "smoke": the scheduler attaches, schedules a mixed workload, and detaches on SIGTERM.
# Its policy is the one whole scheduler of docs/write-your-own-scheduler.md, compiled by
# initramfs.sh against the SDK alone and loaded with --policy-jar: the page's code runs on the
# real kernel. Sourced by /init inside a subshell; lib.sh is loaded.
S=smoke
jl_policy=$jl_smoke_policy
JL_RUN_EXTRA="--policy-jar /opt/javaland/doc-policy.jar"
mark $S "starting scheduler (policy $jl_policy)"
start_scheduler $S

state_during=
ops=
wl_rc=
wl_ms=
state_after_workload=
if wait_enabled "$jl_enable_s"; then
  state_during=$(scx_state)
  ops=$(scx_ops)
  mark $S "scheduler enabled after $(fmt_s "$ENABLE_MS") s (ops=$ops)"
  # CPU hogs outnumbering the CPUs, short sleepers (interactive-like), a fork/exit storm.
  wl_cmd="stress-ng --cpu 4 --sleep 2 --sleep-max 16 --fork 2 --timeout ${jl_workload_s}s --metrics-brief"
  mark $S "workload: $wl_cmd"
  t=$(now_ms)
  (cd /tmp && timeout -s KILL $((jl_workload_s + 180)) $wl_cmd) > /tmp/$S.workload.log 2>&1
  wl_rc=$?
  wl_ms=$(( $(now_ms) - t ))
  state_after_workload=$(scx_state)
  mark $S "workload exited with $wl_rc after $(fmt_s "$wl_ms") s (state=$state_after_workload)"
else
  not_enabled $S
  state_during=$STATE_DURING
  ops=$OPS
fi

stop_scheduler $S
alive_at_term=$ALIVE_AT_TERM
term_ms=$TERM_MS
sched_rc=$SCHED_RC
state_after=$STATE_AFTER
mark $S "scheduler exit code $sched_rc, state $state_after"

log_tail $S.sched.out "$SCHED_OUT" 40
log_tail $S.sched.err "$SCHED_ERR" 40
log_tail $S.workload /tmp/$S.workload.log 30
scx_klog > /tmp/$S.dmesg
log_tail $S.dmesg /tmp/$S.dmesg 20

result $S "{\"scenario\":\"$S\",\"policy\":$(js "$jl_policy"),\"state_during\":$(js "$state_during"),\"ops\":$(js "$ops"),\
\"enable_ms\":$(jn "$ENABLE_MS"),\"was_enabled\":$(jb "$WAS_ENABLED"),\"workload_exit_code\":$(jn "$wl_rc"),\"workload_ms\":$(jn "$wl_ms"),\
\"workload_s\":$(jn "$jl_workload_s"),\"state_after_workload\":$(js "$state_after_workload"),\
\"alive_at_term\":$(jb $alive_at_term),\"term_ms\":$(jn "$term_ms"),\"exit_code\":$(jn "$sched_rc"),\
\"state_after\":$(js "$state_after"),\"kernel_log\":$(scx_klog_json),\"stats\":$(sched_stats)}"
