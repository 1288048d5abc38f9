# Scenario "faults", under load:
#   1. policy hot swap: PUT /api/v1/policy {"name":"fifo"} (what `javaland policy use fifo` sends;
#      busybox nc, not a second JVM: that took 80 s under TCG and this load) while attached; the
#      scheduler stays enabled (enable_seq unchanged, ops javaland) and fifo decides from the next
#      batch, as a canary;
#   2. the scheduler's JVM frozen (SIGSTOP) for jl.faults_freeze_s (10) s, then SIGCONT: BPF
#      rescues every task meanwhile (no stall exit), Java decides again after; cyclictest
#      measures the wakeup delay during the freeze, /status the fallbacks;
#   3. a fork/exit storm (stress-ng --fork, --clone, --pthread: thousands of short-lived
#      processes and threads), then one process with 2,000 threads that sleep 1-16 ms and wake
#      (testbed's ManyThreads; stress-ng --sleep's 1,024 threads a worker once starved the
#      sched_ext watchdog's kworker: "watchdog failed to check in"): no unload, and the records
#      Java got are all decided, cancelled or counted undecided;
#   4. memory pressure (stress-ng --vm filling most of the free RAM): the scheduler's memory stays
#      locked (VmLck), no unload;
#   5. harmful policies by hot swap (testbed/policies' ThrowingPolicy: throws every 100th batch;
#      BadCpuPolicy: every decision for a CPU the task may not use), each beside short-lived
#      processes that give Java batches: BPF rescues or re-queues every task, and the guard reverts
#      each within 2 canary windows;
#   6. a forced unload (kernel.debug_error=1: BPF calls scx_bpf_error) and run's restart with the
#      last-known-good values (the knob back at 0: it stays enabled);
#   7. the kernel unloads the scheduler (SysRq-S, as a person or a watchdog would) and run
#      attaches again by itself with its last-known-good values (never the swapped-in canary),
#      until the third unload within the window (6. was the first): then it stays off (exit 4)
#      and the machine runs on the default scheduler.
# Sourced by /init inside a subshell; lib.sh is loaded.
S=faults
C=/tmp/$S
mkdir -p $C
(umask 077 && printf '# faults scenario\n%s\n' "$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')" > $C/api-token)
JL_HTTP_PORT=8740
JL_SCHED_ARGS="--registry $C/registry --api-token-file $C/api-token --restart-backoff ${jl_faults_backoff:-1s} --unload-limit 3 --policy-jar /opt/javaland/misbehaving-policy.jar"
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
# api METHOD PATH [BODY [HOLD_S]]: one request to the REST API (busybox nc); the answer in
# $C/api.out, its HTTP status in API_STATUS. nc ends on our EOF, answer or not, so its input stays
# open until the answer is in (api.out is written when nc and tr end) or HOLD_S seconds (default 5)
# have passed: an answer later than that is lost.
api() {
  local body=${3:-} hold=${4:-5} i=0
  rm -f $C/api.out
  { printf '%s /api/v1%s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nAuthorization: Bearer %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s' \
      "$1" "$2" "$(grep -v '^#' $C/api-token | head -n1)" "${#body}" "$body"
    while [ $i -lt $((hold * 5)) ] && [ ! -s $C/api.out ]; do sleep 0.2; i=$((i + 1)); done; } \
    | timeout $((hold + 25)) nc 127.0.0.1 $JL_HTTP_PORT 2>/dev/null | tr -d '\r' > $C/api.out
  API_STATUS=$(head -n1 $C/api.out | cut -d' ' -f2)
}
enable_seq() { cat $JL_SCX/enable_seq 2>/dev/null || echo 0; }
# forks since boot (processes and threads), the most threads of any process, a field of /proc/meminfo (kB)
forks() { awk '/^processes/{print $2}' /proc/stat; }
max_threads() { # of any java or stress-ng process (one awk over every /proc/PID/status gave up on one that vanished)
  local m=0 n d c
  for d in /proc/[0-9]*; do
    c=
    read -r c < $d/comm 2>/dev/null
    case "$c" in java|stress-ng*) ;; *) continue ;; esac
    n=$(ls $d/task 2>/dev/null | wc -l)
    [ "$n" -gt "$m" ] && m=$n
  done
  echo $m
}
meminfo() { awk -v k="$1:" '$1 == k {print $2}' /proc/meminfo; }
vmlck() { awk '/^VmLck:/{print $2}' /proc/$SCHED_PID/status 2>/dev/null; }
# bogo ops of stressor $2 in stress-ng's --metrics-brief log $1
bogo() { awk -v s="$2" '$4 == s && $5 ~ /^[0-9]+$/ {print $5; exit}' "$1"; }
# the counters Java's records must add up to (queued = decided + cancelled + left undecided + in
# flight), from one GET /status; "x" for one it does not have
records() {
  { printf 'GET /status HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n'; sleep 3; } \
    | timeout 20 nc 127.0.0.1 $JL_HTTP_PORT 2>/dev/null > $C/status.out
  for f in queued user_dispatches cancelled undecided; do
    v=$(grep -o "\"$f\" *: *[0-9]*" $C/status.out | head -n1 | tr -dc '0-9')
    printf '%s ' "${v:-x}" # x: jn makes it null ("-" would pass as a number)
  done
}
storm_json=null
memory_json=null
harm_json=null
badcpu_json=null
forced_json=null
results=
rounds=0
if wait_enabled "$jl_enable_s"; then
  ops=$(scx_ops)
  mark $S "scheduler enabled after $(fmt_s "$ENABLE_MS") s (ops=$ops)"
  (cd /tmp && exec timeout -s KILL 240 stress-ng --cpu 2 --sleep 1 --sleep-max 16 --timeout 120s --metrics-brief) > /tmp/$S.workload.log 2>&1 &
  wl_pid=$!
  sleep 3
  # 1. the hot swap through the REST API, once the control plane listens
  # (under TCG the control plane takes 16 s on a quiet host, 134-172 s were seen on loaded ones).
  # The request holds nc's input open 25 s: the first answers of a control plane just up can take
  # that long (the CI of bfba0a1: the swap was in force, and no answer had come when it ended at 5 s)
  deadline=$(( $(now_ms) + 360000 ))
  until grep -q "status at http://" "$SCHED_OUT" 2>/dev/null || [ "$(now_ms)" -ge "$deadline" ]; do sleep 0.2; done
  api_ms=$(( $(now_ms) - SCHED_START_MS ))
  mark $S "control plane listening $(fmt_s "$api_ms") s after the start"
  seq_swap=$(cat $JL_SCX/enable_seq 2>/dev/null)
  t=$(now_ms)
  api PUT /policy '{"name":"fifo","reason":"faults scenario"}' 60
  cp $C/api.out $C/use.out
  use_status=$API_STATUS
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
  # 3. the fork/exit storm and the 2,000 threads
  seq_storm=$(enable_seq)
  set -- $(records); r0_q=$1 r0_u=$2 r0_c=$3 r0_n=$4
  f0=$(forks)
  (cd /tmp && exec timeout -s KILL 90 stress-ng --fork 2 --fork-max 32 --clone 1 --clone-max 64 --pthread 1 --pthread-max 64 \
    --timeout ${jl_faults_storm_s:-30}s --metrics-brief) > /tmp/$S.storm.log 2>&1
  storm_rc=$?
  f1=$(forks)
  # testbed's ManyThreads: stress-ng --sleep's worker lost its threads within two seconds here
  (cd /tmp && exec timeout -s KILL 240 $JL_JAVA -Xms16m -Xmx64m -XX:+UseSerialGC -cp /opt/javaland/misbehaving-policy.jar \
    testbed.ManyThreads 2000 ${jl_faults_threads_s:-10}) > /tmp/$S.threads.log 2>&1 &
  th_pid=$!
  peak=0
  while alive "$th_pid"; do
    n=$(max_threads); [ "$n" -gt "$peak" ] && peak=$n
    sleep 1
  done
  wait "$th_pid"
  threads_rc=$?
  sleep 3 # what Java holds in flight settles
  set -- $(records); r1_q=$1 r1_u=$2 r1_c=$3 r1_n=$4
  storm_state=$(scx_state)
  storm_seq_moved=0
  [ "$(enable_seq)" = "$seq_storm" ] || storm_seq_moved=1
  mark $S "storm: $((f1 - f0)) forks in ${jl_faults_storm_s:-30} s (stress-ng exit $storm_rc), then $peak threads in one process (exit $threads_rc); state $storm_state, enable_seq moved $storm_seq_moved; queued $r0_q -> $r1_q, decided $r0_u -> $r1_u, cancelled $r0_c -> $r1_c, undecided $r0_n -> $r1_n"
  storm_json="{\"forks\":$(jn "$((f1 - f0))"),\"fork_ops\":$(jn "$(bogo /tmp/$S.storm.log fork)"),\"clone_ops\":$(jn "$(bogo /tmp/$S.storm.log clone)"),\
\"pthread_ops\":$(jn "$(bogo /tmp/$S.storm.log pthread)"),\"storm_exit_code\":$(jn "$storm_rc"),\"peak_threads\":$(jn "$peak"),\"threads_exit_code\":$(jn "$threads_rc"),\"threads_alive\":$(jn "$(grep -o 'alive at once [0-9]*' /tmp/$S.threads.log | tr -dc 0-9)"),\
\"state\":$(js "$storm_state"),\"enable_seq_moved\":$(jb "$storm_seq_moved"),\"queued\":[$(jn "$r0_q"),$(jn "$r1_q")],\"user_dispatches\":[$(jn "$r0_u"),$(jn "$r1_u")],\
\"cancelled\":[$(jn "$r0_c"),$(jn "$r1_c")],\"undecided\":[$(jn "$r0_n"),$(jn "$r1_n")]}"
  # 4. memory pressure
  seq_mem=$(enable_seq)
  lck0=$(vmlck)
  total=$(meminfo MemTotal)
  (cd /tmp && exec timeout -s KILL 90 stress-ng --vm 1 --vm-bytes ${jl_faults_vm_pct:-85}% --vm-keep --timeout ${jl_faults_vm_s:-10}s --metrics-brief) > /tmp/$S.vm.log 2>&1 &
  vm_pid=$!
  avail_min=$total
  lck_min=
  while alive "$vm_pid"; do
    a=$(meminfo MemAvailable); [ -n "$a" ] && [ "$a" -lt "$avail_min" ] && avail_min=$a
    l=$(vmlck); [ -n "$l" ] && { [ -z "$lck_min" ] || [ "$l" -lt "$lck_min" ]; } && lck_min=$l
    sleep 0.5
  done
  wait "$vm_pid"
  vm_rc=$?
  lck1=$(vmlck)
  mem_state=$(scx_state)
  mem_seq_moved=0
  [ "$(enable_seq)" = "$seq_mem" ] || mem_seq_moved=1
  mark $S "memory: stress-ng --vm exit $vm_rc, MemAvailable down to $avail_min of $total kB; the scheduler's VmLck $lck0 kB, at least $lck_min kB during, $lck1 kB after; state $mem_state, enable_seq moved $mem_seq_moved"
  memory_json="{\"exit_code\":$(jn "$vm_rc"),\"mem_total_kb\":$(jn "$total"),\"mem_available_min_kb\":$(jn "$avail_min"),\"vmlck_kb\":[$(jn "$lck0"),$(jn "$lck_min"),$(jn "$lck1")],\
\"state\":$(js "$mem_state"),\"enable_seq_moved\":$(jb "$mem_seq_moved")}"
  # 5. a harmful policy by hot swap. A canary still running (the fifo swap) would refuse it: commit that first.
  api POST /canary/commit '{"reason":"faults scenario: keep fifo"}'
  commit_status=$API_STATUS
  # harmful_swap NAME WHAT [FIELDS]: swaps policy NAME in and waits up to 30 s for the audit's
  # revert; HARM_JSON says how it ended (FIELDS, JSON members ending in a comma, first). Short-lived
  # processes run meanwhile, as new tasks go to Java until it has seen them: without them the mixed
  # load is almost all decided in BPF by pushed-down rules, and the harmful policy had no batch to
  # misbehave on for 5 windows (CI of 0c93607: reverted in window 6, the first with a fault).
  harmful_swap() {
    local n0 t status ms line event windows why state spawners= k
    n0=$(wc -l < $C/registry/audit.jsonl)
    for k in 1 2; do # two, so that 100 batches come within 2 windows (one gave about 60 a second)
      ( end=$(( $(now_ms) + 20000 )); while [ "$(now_ms)" -lt $end ]; do sh -c : ; done ) &
      spawners="$spawners $!"
    done
    api PUT /policy "{\"name\":\"$1\",\"reason\":\"faults scenario: $2\"}"
    status=$API_STATUS
    t=$(now_ms)
    until tail -n +$((n0 + 1)) $C/registry/audit.jsonl | grep -q '"event":"[a-z]*_revert"' || [ "$(now_ms)" -ge $((t + 30000)) ]; do sleep 0.2; done
    ms=$(( $(now_ms) - t ))
    kill $spawners 2>/dev/null; wait $spawners 2>/dev/null
    line=$(tail -n +$((n0 + 1)) $C/registry/audit.jsonl | grep '"event":"[a-z]*_revert"' | head -n1)
    event=$(printf '%s' "$line" | grep -o '"event":"[a-z_]*"' | cut -d'"' -f4)
    windows=$(printf '%s' "$line" | grep -o '"windows":[0-9]*' | head -n1 | cut -d: -f2)
    why=$(printf '%s' "$line" | grep -o '"reason":"[^"]*"' | head -n1 | cut -d'"' -f4)
    state=$(scx_state)
    mark $S "harmful swap to $1 ($2): HTTP $status; ${event:-no revert} after $ms ms, window $windows ($why); state $state"
    HARM_JSON="{${3:-}\"policy\":$(js "$1"),\"http_status\":$(jn "$status"),\"said\":$(js "$(tail -n1 $C/api.out)"),\"event\":$(js "$event"),\
\"ms\":$(jn "$ms"),\"windows\":$(jn "$windows"),\"why\":$(js "$why"),\"state\":$(js "$state")}"
  }
  harmful_swap throwing "a policy that throws every 100th batch" "\"commit_status\":$(jn "$commit_status"),"
  harm_json=$HARM_JSON
  harmful_swap bad-cpu "a policy that chooses CPUs the task may not use"
  badcpu_json=$HARM_JSON
  # 6. a forced unload, and the restart with last-known-good values
  seq0=$(enable_seq)
  api PUT /parameters '{"values":{"kernel.debug_error":1},"reason":"faults scenario: a forced unload"}'
  forced_status=$API_STATUS
  t=$(now_ms)
  off_ms=
  on_ms=
  while [ "$(now_ms)" -lt $((t + 30000)) ]; do
    if [ "$(scx_state)" != enabled ] || [ "$(enable_seq)" != "$seq0" ]; then off_ms=$(( $(now_ms) - t )); break; fi
    sleep 0.05
  done
  while [ "$(now_ms)" -lt $((t + 60000)) ]; do
    if [ "$(enable_seq)" != "$seq0" ] && [ "$(scx_state)" = enabled ] && [ "$(scx_ops)" = javaland ]; then on_ms=$(( $(now_ms) - t )); break; fi
    alive "$SCHED_PID" || break
    sleep 0.1
  done
  seq_after=$(enable_seq)
  sleep 3
  forced_stayed=0
  [ "$(enable_seq)" = "$seq_after" ] && [ "$(scx_state)" = enabled ] && forced_stayed=1
  forced_klog=$(scx_klog | grep -c 'kernel.debug_error')
  mark $S "forced unload: HTTP $forced_status; unloaded after ${off_ms:-never} ms, enabled again after ${on_ms:-never} ms, still enabled 3 s later $forced_stayed; kernel log lines naming the knob: $forced_klog"
  forced_json="{\"http_status\":$(jn "$forced_status"),\"ms_to_disabled\":$(jn "$off_ms"),\"ms_to_enabled\":$(jn "$on_ms"),\"stayed_enabled\":$(jb "$forced_stayed"),\
\"kernel_log_lines\":$(jn "$forced_klog")}"
  sleep 3
  # 7. the unloads
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
log_tail $S.storm /tmp/$S.storm.log 12
log_tail $S.threads /tmp/$S.threads.log 8
log_tail $S.vm /tmp/$S.vm.log 8
scx_dump_log $S
scx_klog > /tmp/$S.dmesg
log_tail $S.dmesg /tmp/$S.dmesg 20

result $S "{\"scenario\":\"$S\",\"ops\":$(js "$ops"),\"enable_ms\":$(jn "$ENABLE_MS"),\"unloads\":[$results],\
\"rounds\":$rounds,\"exit_code\":$(jn "$sched_rc"),\"state_after\":$(js "$state_after"),\"workload_exit_code\":$(jn "$wl_rc"),\
\"audit_events\":$(js "$audit"),\"swap\":{\"http_status\":$(jn "$use_status"),\"ms\":$(jn "$use_ms"),\"state\":$(js "$swap_state"),\
\"ops\":$(js "$swap_ops"),\"enable_seq_moved\":$(jb "$swap_seq_moved"),\"in_force\":$(jb "$swap_logged"),\"said\":$(js "$(tail -n1 $C/use.out)")},\"freeze\":$freeze_json,\"storm\":$storm_json,\"memory\":$memory_json,\"harmful_swap\":$harm_json,\"bad_cpu_swap\":$badcpu_json,\"forced_unload\":$forced_json,\"kernel_log\":$(scx_klog_json),\"stats\":$(sched_stats)}"
