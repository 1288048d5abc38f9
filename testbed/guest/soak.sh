# Scenario "soak", a benchmark (not in ./javaland test's list): one run of the scheduler with its
# learner child and its REST API for jl.soak_min minutes of a load that changes phase every
# jl.soak_phase_s seconds (CPU hogs, many short sleepers, a hackbench wakeup storm, a
# request/response server beside hogs, idle), sampled every jl.soak_sample_s seconds: the state,
# enable_seq, both JVMs' RSS, the scheduler's heap and direct memory (/metrics), its counters and
# delay p99 (/status), the learner's verdicts (the registry's audit log). Each sample is also one
# line of a table among the marks, so that a person can read the curve from the console.
# The guest gathers the series; SoakRules judges it (no unload, no memory growth, no growing
# losses, every workload exited 0).
# Sourced by /init inside a subshell; lib.sh is loaded.
S=soak
C=/tmp/soak
B=$C          # bench-workloads.sh's output folder
REG=$C/registry
PORT=8740     # run's default; the learner child serves its own /metrics on 8741 (run --learner-metrics-port)
LPORT=8741
mkdir -p $C
. $JL_GUEST/bench-workloads.sh

# Five phases fit in the run even when it is short (a 4-minute check still sees every kind of load)
phase_s=$jl_soak_phase_s
if [ -z "$phase_s" ]; then
  phase_s=$(( jl_soak_min * 60 / 5 ))
  [ "$phase_s" -le 120 ] || phase_s=120
  [ "$phase_s" -ge 20 ] || phase_s=20
fi
PHASES="cpu sleepers hackbench server idle"

get() { timeout 20 wget -q -O - "http://127.0.0.1:${2:-$PORT}$1" 2>/dev/null; }
learner_pid() { sed -n 's/^javaland: learner started (pid \([0-9]*\).*/\1/p' "$SCHED_OUT" 2>/dev/null | tail -n1; }
# proc_kib PID FIELD: a kB field of /proc/PID/status (VmRSS, VmLck), or empty
proc_kib() { sed -n "s/^$2:[[:space:]]*\([0-9]*\) kB/\1/p" /proc/$1/status 2>/dev/null; }
audit_count() { local n; n=$(grep -c -E "\"event\": ?\"($1)\"" $REG/audit.jsonl 2>/dev/null); echo "${n:-0}"; }

# The load: one run after another until $C/stop exists, each run's kind and exit code a line of
# $C/runs ("KIND RC"); the phase in force in $C/phase
wl_run() { # wl_run KIND CMD...: runs CMD with a kill-timeout well past the phase, records its exit code
  local kind=$1 rc
  shift
  (cd /tmp && exec timeout -s KILL $((phase_s + 120)) "$@") > $C/$kind.out 2>&1
  rc=$?
  echo "$kind $rc" >> $C/runs
  [ "$rc" = 0 ] || { echo "JL_MARK $S $kind exited $rc: $(tail -n2 $C/$kind.out | tr '\n' ' ' | cut -c1-200)"; }
}
load() {
  local ph end
  while :; do
    for ph in $PHASES; do
      [ -f $C/stop ] && return
      echo "$ph" > $C/phase
      end=$(( $(now_ms) + phase_s * 1000 ))
      case $ph in
        cpu) wl_run cpu stress-ng --cpu 4 --timeout "${phase_s}s" --metrics-brief ;;
        # wakeups: 8 workers, each a crowd of 32 threads sleeping for short random times
        sleepers) wl_run sleepers stress-ng --sleep 8 --sleep-max 32 --timeout "${phase_s}s" --metrics-brief ;;
        hackbench)
          while [ "$(now_ms)" -lt "$end" ] && [ ! -f $C/stop ]; do
            wl_run hackbench hackbench -p -g 2 -l 200
          done ;;
        server)
          server_start soak
          (cd /tmp && exec timeout -s KILL $((phase_s + 120)) stress-ng --cpu 2 --timeout "${phase_s}s" --metrics-brief) > $C/hogs.out 2>&1 &
          hogs=$!
          while [ "$(now_ms)" -lt "$end" ] && [ ! -f $C/stop ]; do
            server_bench soak
            echo "server $SRV_RC" >> $C/runs
            [ "$SRV_RC" = 0 ] || echo "JL_MARK $S redis-benchmark exited $SRV_RC"
          done
          wait "$hogs"
          echo "hogs $?" >> $C/runs
          server_stop ;;
        idle)
          while [ "$(now_ms)" -lt "$end" ] && [ ! -f $C/stop ]; do sleep 1; done ;;
      esac
    done
  done
}

# sample: one JSON object into $C/samples and one table line among the marks
sample() {
  local t st seq lp rss lck lrss heap direct lheap
  t=$(( ($(now_ms) - T0) / 1000 ))
  # read when the sample starts: under the load its HTTP requests can take tens of seconds
  ph=$(cat $C/phase 2>/dev/null)
  st=$(scx_state)
  seq=$(cat $JL_SCX/enable_seq 2>/dev/null)
  lp=$(learner_pid)
  rss=$(proc_kib "$SCHED_PID" VmRSS); lck=$(proc_kib "$SCHED_PID" VmLck)
  lrss=; [ -n "$lp" ] && lrss=$(proc_kib "$lp" VmRSS)
  get /status > $C/status.json
  get /metrics > $C/metrics.txt
  get /metrics $LPORT > $C/learner-metrics.txt
  # Jackson's pretty print: "key" : value, one a line; the first of each counter is the
  # dispatch block's, p99 is the one after "all" (all delay classes together)
  eval "$(awk '
    function val(s) { sub(/^[^:]*: */, "", s); sub(/,$/, "", s); gsub(/"/, "", s); return s }
    /"attached" :/ && !a { a = 1; print "attached=" val($0) }
    /"queued" :/ && !q { q = 1; print "queued=" val($0) }
    /"user_dispatches" :/ && !u { u = 1; print "user=" val($0) }
    /"fallbacks" :/ && !f { f = 1; print "fallbacks=" val($0) }
    /"ring_full" :/ && !r { r = 1; print "ring_full=" val($0) }
    /"cancelled" :/ && !c { c = 1; print "cancelled=" val($0) }
    /"dropped_decisions" :/ && !d { d = 1; print "dropped=" val($0) }
    /"all" :/ { inall = 1 }
    inall && /"p99" :/ && !p { p = 1; print "p99=" int(val($0)) }
  ' $C/status.json | grep -E '^[a-z_0-9]+=[-0-9a-z.]*$')"
  heap=$(awk '/^jvm_memory_used_bytes\{/ && /area="heap"/ { s += $NF; n++ } END { if (n) printf "%d", s / 1024 }' $C/metrics.txt)
  direct=$(awk '/^jvm_buffer_memory_used_bytes\{/ && /id="direct"/ { s += $NF; n++ } END { if (n) printf "%d", s / 1024 }' $C/metrics.txt)
  lheap=$(awk '/^jvm_memory_used_bytes\{/ && /area="heap"/ { s += $NF; n++ } END { if (n) printf "%d", s / 1024 }' $C/learner-metrics.txt)
  commits=$(audit_count commit); rollbacks=$(audit_count 'rollback|guard_revert|timeout_revert')
  printf '{"t":%s,"phase":%s,"state":%s,"enable_seq":%s,"attached":%s,"sched_rss_kib":%s,"sched_lck_kib":%s,"learner_pid":%s,"learner_rss_kib":%s,"heap_kib":%s,"direct_kib":%s,"learner_heap_kib":%s,"queued":%s,"user_dispatches":%s,"fallbacks":%s,"ring_full":%s,"cancelled":%s,"dropped_decisions":%s,"delay_p99_us":%s,"commits":%s,"rollbacks":%s}\n' \
    "$t" "$(js "$ph")" "$(js "$st")" "$(jn "$seq")" "$([ -n "$attached" ] && jb "$attached" || printf null)" "$(jn "$rss")" "$(jn "$lck")" "$(jn "$lp")" "$(jn "$lrss")" \
    "$(jn "$heap")" "$(jn "$direct")" "$(jn "$lheap")" "$(jn "$queued")" "$(jn "$user")" "$(jn "$fallbacks")" "$(jn "$ring_full")" \
    "$(jn "$cancelled")" "$(jn "$dropped")" "$(jn "$p99")" "$(jn "$commits")" "$(jn "$rollbacks")" >> $C/samples
  # "|" first: the host trims a mark's leading blanks, which would shift the columns
  mark $S "|$(printf '%5s %-9s %-8s %4s %8s %8s %7s %7s %10s %8s %6s %5s %8s %3s/%-3s' "$t" "${ph:--}" "$st" "$seq" \
    "${rss:--}" "${lrss:--}" "${heap:--}" "${direct:--}" "${queued:--}" "${fallbacks:--}" "${ring_full:--}" "${dropped:--}" \
    "${p99:--}" "$commits" "$rollbacks")"
  attached= queued= user= fallbacks= ring_full= cancelled= dropped= p99=
}

JL_HTTP_PORT=$PORT
JL_LEARNER=1
JL_SCHED_ARGS="--registry $REG --canary-timeout 90s --learner-arg window=5s --learner-arg min-windows=4 \
--learner-arg max-candidate-windows=12 --learner-arg progress=10s"
# The scheduler's own --duration (lib.sh: 900 s) must outlast the soak: the first 30-minute run
# was ended by it at 919 s, and every sample after it counted as an unload.
jl_duration=$(( jl_soak_min * 60 + 600 ))
mark $S "starting scheduler (policy $jl_policy) with its learner; ${jl_soak_min} min, a sample every ${jl_soak_sample_s} s, phases of ${phase_s} s: $PHASES"
start_scheduler $S

during= ops= seq0= learner_up_s= soak_s=
: > $C/samples
: > $C/runs
if wait_enabled "$jl_enable_s"; then
  during=$(scx_state)
  ops=$(scx_ops)
  seq0=$(cat $JL_SCX/enable_seq 2>/dev/null)
  mark $S "scheduler enabled after $(fmt_s "$ENABLE_MS") s (ops=$ops, enable_seq $seq0)"
  # The learner's JVM starts before the load and the clock: beside the load its start takes
  # minutes under TCG, and its warm-up is not what a soak measures
  deadline=$(( $(now_ms) + 360 * 1000 ))
  while [ "$(now_ms)" -lt "$deadline" ] && alive "$SCHED_PID"; do
    grep -q '^javaland-learn: ' "$SCHED_OUT" 2>/dev/null && break
    sleep 1
  done
  learner_up_s=$(( ($(now_ms) - SCHED_START_MS) / 1000 ))
  mark $S "learner up ${learner_up_s} s after the scheduler's start (pid $(learner_pid))"

  T0=$(now_ms)
  load &
  load_pid=$!
  mark $S "|    t phase     state     seq  rss_kib lrss_kib heapkib dir_kib     queued fallback rfull  drop  p99_us c/r"
  end=$(( T0 + jl_soak_min * 60 * 1000 ))
  next=$T0
  # the last sample is taken at the end of the run, whatever the period
  while :; do
    sample
    [ "$(now_ms)" -lt "$end" ] || break
    # a sample that overran its period skips the slots it missed instead of making a burst of them
    now=$(now_ms)
    next=$(( next + jl_soak_sample_s * 1000 ))
    while [ "$next" -le "$now" ]; do next=$(( next + jl_soak_sample_s * 1000 )); done
    [ "$next" -le "$end" ] || next=$end
    while [ "$(now_ms)" -lt "$next" ]; do sleep 1; done
  done
  soak_s=$(( ($(now_ms) - T0) / 1000 ))
  touch $C/stop
  # the phase under way ends within phase_s (its runs are time-bounded); then the rest is killed
  deadline=$(( $(now_ms) + (phase_s + 60) * 1000 ))
  while alive "$load_pid" && [ "$(now_ms)" -lt "$deadline" ]; do sleep 1; done
  if alive "$load_pid"; then
    mark $S "load still running $((phase_s + 60)) s after the end: killed"
    kill -KILL "$load_pid" 2>/dev/null
    echo "load_stop 137" >> $C/runs
  fi
  wait "$load_pid" 2>/dev/null
  server_stop 2>/dev/null
else
  not_enabled $S
  during=$STATE_DURING
  ops=$OPS
fi

stop_scheduler $S
mark $S "scheduler exit code $SCHED_RC, state $STATE_AFTER"
log_tail $S.sched.out "$SCHED_OUT" 40
log_tail $S.sched.err "$SCHED_ERR" 30
scx_klog > /tmp/$S.dmesg
log_tail $S.dmesg /tmp/$S.dmesg 20

# per kind of run: how many, how many failed, the first failing exit code
runs_json() {
  awk '{ n[$1]++; if ($2 != 0) { f[$1]++; if (!($1 in rc)) rc[$1] = $2 } }
    END { printf "{"; s = ""
      for (k in n) { printf "%s\"%s\":{\"runs\":%d,\"failed\":%d,\"first_rc\":%s}", s, k, n[k], f[k] + 0, (k in rc) ? rc[k] : "null"; s = "," }
      printf "}" }' $C/runs
}
samples_json() {
  local first=1 line
  printf '['
  while IFS= read -r line; do
    [ $first = 1 ] || printf ','
    first=0
    printf '%s' "$line"
  done < $C/samples
  printf ']'
}

result $S "{\"scenario\":\"$S\",\"state_during\":$(js "$during"),\"ops\":$(js "$ops"),\"enable_ms\":$(jn "$ENABLE_MS"),\
\"enable_seq\":$(jn "$seq0"),\"soak_min\":$(jn "$jl_soak_min"),\"sample_s\":$(jn "$jl_soak_sample_s"),\"phase_s\":$(jn "$phase_s"),\
\"soak_s\":$(jn "$soak_s"),\"learner_up_s\":$(jn "$learner_up_s"),\
\"learner_restarts\":$(jn "$(grep -c 'javaland: learner started' "$SCHED_OUT" 2>/dev/null)"),\
\"runs\":$(runs_json),\"samples\":$(samples_json),\"exit_code\":$(jn "$SCHED_RC"),\"state_after\":$(js "$STATE_AFTER"),\
\"kernel_log\":$(scx_klog_json),\"stats\":$(sched_stats)}"
