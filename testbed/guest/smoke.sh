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

# Containment on the real kernel: a short mix under a policy that does everything wrong
# (testbed/policies/testbed/MisbehavingPolicy.java): the kernel half corrects and counts it.
main_stats=$(sched_stats)
main_klog=$(scx_klog_json)
JL_DMESG_START=$(dmesg 2>/dev/null | wc -l) # the second run's kernel lines apart
main_enable_ms=$ENABLE_MS
main_was_enabled=$WAS_ENABLED
jl_policy=misbehaving
JL_RUN_EXTRA="--policy-jar /opt/javaland/misbehaving-policy.jar"
B=smoke-misbehaving
mark $S "starting scheduler (policy $jl_policy)"
start_scheduler $B
bad_state=
bad_wl_rc=
bad_after_workload=
if wait_enabled "$jl_enable_s"; then
  bad_state=$(scx_state)
  (cd /tmp && timeout -s KILL 200 stress-ng --cpu 4 --sleep 2 --sleep-max 16 --fork 2 --timeout 10s --metrics-brief) > /tmp/$B.workload.log 2>&1
  bad_wl_rc=$?
  bad_after_workload=$(scx_state)
  mark $S "misbehaving: workload exited with $bad_wl_rc (state=$bad_after_workload)"
else
  not_enabled $B
  bad_state=$STATE_DURING
fi
stop_scheduler $B
log_tail $B.sched.out "$SCHED_OUT" 20
log_tail $B.sched.err "$SCHED_ERR" 20
misbehaving="{\"state_during\":$(js "$bad_state"),\"workload_exit_code\":$(jn "$bad_wl_rc"),\
\"state_after_workload\":$(js "$bad_after_workload"),\"exit_code\":$(jn "$SCHED_RC"),\"state_after\":$(js "$STATE_AFTER"),\
\"kernel_log\":$(scx_klog_json),\"stats\":$(sched_stats)}"
jl_policy=$jl_smoke_policy

# The package's javaland.service, from the installed tree (./javaland vm --package, unit.sh)
if [ -f /usr/lib/systemd/system/javaland.service ]; then
  . $JL_GUEST/unit.sh
  unit_scenario $S
else
  UNIT_JSON="{\"installed\":false,\"expected\":$(jb "$jl_package")}"
fi

result $S "{\"scenario\":\"$S\",\"policy\":$(js "$jl_policy"),\"state_during\":$(js "$state_during"),\"ops\":$(js "$ops"),\
\"enable_ms\":$(jn "$main_enable_ms"),\"was_enabled\":$(jb "$main_was_enabled"),\"workload_exit_code\":$(jn "$wl_rc"),\"workload_ms\":$(jn "$wl_ms"),\
\"workload_s\":$(jn "$jl_workload_s"),\"state_after_workload\":$(js "$state_after_workload"),\
\"alive_at_term\":$(jb $alive_at_term),\"term_ms\":$(jn "$term_ms"),\"exit_code\":$(jn "$sched_rc"),\
\"state_after\":$(js "$state_after"),\"kernel_log\":$main_klog,\"stats\":$main_stats,\"misbehaving\":$misbehaving,\"service\":$UNIT_JSON}"
