# Scenario "autotune": can the learner, with no rules written, tune a real request/response server
# beside CPU-bound batch work? In one boot, four phases of the same workload: redis-server with
# redis-benchmark's GETs (bench-workloads.sh's server_*) beside stress-ng --cpu $jl_bench_hog:
#   1. eevdf     the kernel's default scheduler
#   2. defaults  javaland with its defaults, no learner
#   3. learner   javaland with its learner child from a cold start (an empty registry, no rules),
#                the load starts once the learner's JVM is up and runs jl.autotune_learn_s
#                seconds of guest time
#   4. rules     javaland with hand-written rules: the server and its load generator
#                latency-critical, the hogs batch
# Each phase runs the benchmark again and again (jl.autotune_requests GETs a run): phases 1, 2 and
# 4 jl.autotune_runs times, phase 3 until its time is up, recording with each run the learner's
# last reward and what it has done so far. The guest gathers facts; AutotuneRules judges them.
# Sourced by /init inside a subshell; lib.sh is loaded.
S=autotune
B=/tmp/autotune
REG=$B/registry
mkdir -p $B
. $JL_GUEST/bench-workloads.sh
jl_server_requests=$jl_autotune_requests
cat > $B/rules.yaml <<'YAML'
rules:
  - name: server-latency-critical
    match:
      any:
        - comm: "^redis-server$"
        - comm: "^redis-benchmark$"
    class: latency-critical
  - name: hogs-batch
    match: {comm: "^stress-ng"}
    class: batch
YAML

count() { local n; n=$(grep -c -E "$1" "$2" 2>/dev/null); echo "${n:-0}"; } # count REGEX FILE: lines (0 without the file)
# The learner's last "last reward R;" of its progress lines (every window: progress=window)
last_reward() { sed -n 's/^javaland-learn: .*; last reward \([-0-9.eENaI]*\);.*/\1/p' "$SCHED_OUT" 2>/dev/null | tail -n1; }
# Up to 40 lines of a JSON-lines file (or of the lines of FILE matching REGEX) as one JSON array
json_lines() { # json_lines FILE [REGEX]
  local first=1 line
  printf '['
  if [ -f "$1" ]; then
    grep -E "${2:-.}" "$1" 2>/dev/null | grep '^{.*}$' | tail -n 40 > $B/.lines
    while IFS= read -r line; do
      [ $first = 1 ] || printf ','
      first=0
      printf '%s' "$line"
    done < $B/.lines
  fi
  printf ']'
}

# wait_learner TIMEOUT_S: until the learner child has said its first line (or the time is up)
wait_learner() {
  local deadline=$(( $(now_ms) + $1 * 1000 ))
  while [ "$(now_ms)" -lt "$deadline" ] && alive "$SCHED_PID"; do
    grep -q '^javaland-learn: ' "$SCHED_OUT" 2>/dev/null && break
    sleep 0.5
  done
  LEARNER_UP_S=$(fmt_s $(( $(now_ms) - SCHED_START_MS )))
  mark $S "learner: up $LEARNER_UP_S s after the scheduler's start: $(grep '^javaland-learn: ' "$SCHED_OUT" 2>/dev/null | head -n1 | cut -c1-120)"
}

# workload PHASE WANT_STATE: the server beside the hogs, benchmark runs until the phase is done;
# sets WL_JSON (runs, hogs) and FIRST_COMMIT_S (phase 3: guest seconds from the scheduler's start
# to the first run that saw a learner commit, a class or parameters)
workload() {
  local ph=$1 want=$2 n=0 runs= s ok=1 t r rw cp cc cr pp pc now end_ms=0
  FIRST_COMMIT_S=
  [ "$ph" = learner ] && end_ms=$(( $(now_ms) + jl_autotune_learn_s * 1000 ))
  server_start $ph
  hog_start $ph "$jl_bench_hog" 3600
  sleep 1
  t=$(now_ms)
  while :; do
    n=$((n + 1))
    server_bench $ph.$n
    now=$(now_ms)
    s=$(scx_state)
    [ "$s" = "$want" ] || ok=0
    r="{\"t_s\":$(( (now - t) / 1000 )),\"state\":$(js "$s"),\"bench\":$SRV_RUN_JSON"
    if [ "$ph" = learner ]; then
      rw=$(last_reward)
      cp=$(count '"state": ?"canary"' $REG/learned-classes.jsonl)
      cc=$(count '"state": ?"committed"' $REG/learned-classes.jsonl)
      cr=$(count '"state": ?"rolled_back"' $REG/learned-classes.jsonl)
      pp=$(count '"event": ?"propose"' $REG/audit.jsonl)
      pc=$(count '"event": ?"commit"' $REG/audit.jsonl)
      [ -z "$FIRST_COMMIT_S" ] && [ $((cc + pc)) -gt 0 ] && FIRST_COMMIT_S=$(fmt_s $((now - SCHED_START_MS)))
      r="$r,\"since_start_s\":$(( (now - SCHED_START_MS) / 1000 )),\"reward\":$(jf "$rw"),\"class_proposed\":$cp,\
\"class_committed\":$cc,\"class_rolled_back\":$cr,\"param_proposed\":$pp,\"param_committed\":$pc"
      mark $S "$ph run $n at $(( (now - SCHED_START_MS) / 1000 )) s: p99 ${SRV_P99} us, reward ${rw:-?}, classes proposed/committed/rolled back $cp/$cc/$cr, parameter sets $pp/$pc"
    else
      mark $S "$ph run $n: $SRV_RPS requests/s, p50 ${SRV_P50} us, p99 ${SRV_P99} us"
    fi
    runs="${runs:+$runs,}$r}"
    [ "$SRV_RC" = 0 ] || break
    if [ "$end_ms" -gt 0 ]; then [ "$now" -lt "$end_ms" ] || break
    else [ "$n" -lt "$jl_autotune_runs" ] || break
    fi
    alive "$SCHED_PID" || [ "$want" = disabled ] || break
  done
  kill "$HOG_PID" 2>/dev/null
  hog_done $ph
  server_stop
  WL_JSON="\"states_ok\":$(jb $ok),\"runs\":[$runs],\"hog_exit_code\":$(jn "$HOG_RC"),\"hog_bogo_ops_per_s\":$(jf "$HOG_OPS"),\
\"hog_cpu_s\":$(jf "$HOG_CPU_S"),\"hog_real_s\":$(jf "$HOG_REAL_S")"
  mark $S "$ph: $n runs, hogs $HOG_OPS bogo ops/s"
}

# javaland PHASE: the scheduler (JL_SCHED_ARGS, JL_LEARNER set by the caller) through one workload: PHASE_JSON
javaland() {
  local ph=$1 during= ops= seq0 seq1 extra= lpid c0 c1 l0 l1 w0 cpu=
  mark $S "$ph: starting scheduler $JL_SCHED_ARGS$([ "$JL_LEARNER" = 1 ] && echo " with its learner")"
  start_scheduler $S.$ph
  WL_JSON="\"runs\":[]"
  FIRST_COMMIT_S=
  if wait_enabled "$jl_enable_s"; then
    during=$(scx_state)
    ops=$(scx_ops)
    seq0=$(cat $JL_SCX/enable_seq 2>/dev/null)
    mark $S "$ph: scheduler enabled after $(fmt_s "$ENABLE_MS") s"
    # The learner's JVM starts before the load: beside it, under TCG, its start took 80-130 s of
    # the phase (boot 2026-12-07 14:48); jl.autotune_learn_s counts from then (learner_up_s says
    # how long the start took, first_commit_s is from the scheduler's start).
    [ "$JL_LEARNER" = 1 ] && wait_learner 150
    # where the CPU goes while the load runs: the scheduler's JVM, and the learner's
    lpid=$(sed -n 's/^javaland: learner started (pid \([0-9]*\).*/\1/p' "$SCHED_OUT" 2>/dev/null | tail -n1)
    c0=$(proc_ticks "$SCHED_PID"); l0=$([ -n "$lpid" ] && proc_ticks "$lpid" || echo 0); w0=$(now_ms)
    workload $ph enabled
    c1=$(proc_ticks "$SCHED_PID" 2>/dev/null); l1=$([ -n "$lpid" ] && proc_ticks "$lpid" 2>/dev/null || echo 0)
    # a process that ended meanwhile reads as 0: its figure is then unknown, not negative
    cpu=",\"load_ms\":$(( $(now_ms) - w0 )),\"sched_cpu_ms\":$([ "$c1" -ge "$c0" ] && echo $(( (c1 - c0) * 10 )) || echo null),\
\"learner_cpu_ms\":$([ "$l1" -ge "$l0" ] && echo $(( (l1 - l0) * 10 )) || echo null)"
    seq1=$(cat $JL_SCX/enable_seq 2>/dev/null)
  else
    not_enabled $S
  fi
  stop_scheduler $S.$ph
  log_tail $S.$ph.sched.err "$SCHED_ERR" 20
  if [ "$ph" = learner ]; then
    log_tail $S.$ph.learner "$SCHED_OUT" 30
    extra=",\"learn_s\":$(jn "$jl_autotune_learn_s"),\"first_commit_s\":$(jf "$FIRST_COMMIT_S"),\"learner_up_s\":$(jf "$LEARNER_UP_S"),\
\"learner_started\":$(grep -q '^javaland: learner started' "$SCHED_OUT" && echo true || echo false),\
\"learned_classes\":$(json_lines $REG/learned-classes.jsonl),\
\"learner_audit\":$(json_lines "$SCHED_OUT" '"event": ?"class_'),\"audit\":$(json_lines $REG/audit.jsonl)"
  fi
  [ "$ph" = rules ] && extra=",\"rules_loaded\":$(cat "$SCHED_OUT" "$SCHED_ERR" 2>/dev/null | grep -q 'rules: loaded 2 rule' && echo true || echo false)"
  PHASE_JSON="{\"state_during\":$(js "$during"),\"ops\":$(js "$ops"),\"enable_seq_before\":$(jn "$seq0"),\
\"enable_seq_after\":$(jn "$seq1"),$WL_JSON,\"exit_code\":$(jn "$SCHED_RC"),\"state_after\":$(js "$STATE_AFTER"),\
\"stats\":$(sched_stats)$cpu$extra}"
}

T0=$(now_ms)
mark $S "phases eevdf, defaults, learner (${jl_autotune_learn_s} s), rules; redis-benchmark -c $jl_server_clients -n $jl_server_requests GETs beside stress-ng --cpu $jl_bench_hog"
sleep "$jl_settle_s"
state0=$(scx_state)
workload eevdf disabled
P_EEVDF="{\"state_during\":$(js "$state0"),$WL_JSON}"
sleep "$jl_settle_s"
JL_LEARNER=0 JL_SCHED_ARGS=
javaland defaults
P_DEFAULTS=$PHASE_JSON
sleep "$jl_settle_s"
JL_LEARNER=1
JL_SCHED_ARGS="--registry $REG --canary-timeout 90s --learner-arg window=$jl_autotune_window --learner-arg min-windows=$jl_autotune_min_windows \
--learner-arg max-candidate-windows=$jl_autotune_max_windows --learner-arg progress=$jl_autotune_window"
javaland learner
P_LEARNER=$PHASE_JSON
sleep "$jl_settle_s"
JL_LEARNER=0 JL_SCHED_ARGS="--rules $B/rules.yaml"
javaland rules
P_RULES=$PHASE_JSON
scx_klog > /tmp/$S.dmesg
log_tail $S.dmesg /tmp/$S.dmesg 20

result $S "{\"scenario\":\"$S\",\"hogs\":$(jn "$jl_bench_hog"),\"clients\":$(jn "$jl_server_clients"),\
\"requests_per_run\":$(jn "$jl_server_requests"),\"window\":$(js "$jl_autotune_window"),\"seconds\":$(( ($(now_ms) - T0) / 1000 )),\
\"phases\":{\"eevdf\":$P_EEVDF,\"defaults\":$P_DEFAULTS,\"learner\":$P_LEARNER,\"rules\":$P_RULES},\
\"kernel_log\":$(scx_klog_json)}"
