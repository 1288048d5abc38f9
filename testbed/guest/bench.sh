# Scenario "bench": javaland against the kernel's default scheduler (EEVDF) inside one boot.
# Absolute figures under emulation mean little; the ratios between the two schedulers, measured
# minutes apart in the same guest, are what counts, and one round says little: the host moves.
#
# jl.bench_rounds rounds, each an EEVDF run then a javaland run (EEVDF, javaland, EEVDF, javaland,
# ...), so that a drift of the host over the scenario falls on both; the host side (BenchRules)
# takes medians per scheduler and the spread. A run is these measurements, always in this order
# (bench-workloads.sh):
#   throughput      sysbench cpu --threads=$jl_bench_threads --time=$jl_bench_s (events per second)
#   threads         sysbench threads --threads=$jl_bench_threads --time=$jl_threads_s (lock and yield)
#   latency_idle    cyclictest --policy=other -t$jl_lat_threads -i $jl_lat_interval_us -D ${jl_lat_s}s
#                   on otherwise idle CPUs (p50/p99/avg/max wakeup latency)
#   latency_loaded  the same beside stress-ng --cpu $jl_bench_hog (whose bogo ops/s are reported too)
#   hackbench       hackbench -p -g $jl_hackbench_groups -l $jl_hackbench_loops (time; pipe IPC wakeups)
#   server          redis-server + redis-benchmark GETs beside stress-ng --cpu $jl_bench_hog
#   cpu_share       stress-ng --cpu <nproc> for $jl_stress_s s: the CPU time left to the work
# A javaland run starts the scheduler (start_scheduler, wait for enabled, jl.bench_warmup_s of
# unmeasured sysbench for its JIT), measures, reads the scheduler JVM's CPU around every
# measurement, and stops it with SIGTERM (its JAVALAND_STATS counters go into the run).
# cyclictest runs as SCHED_OTHER so that sched_ext schedules it.
# Sourced by /init inside a subshell; lib.sh is loaded.
S=bench
B=/tmp/bench
mkdir -p $B
T0=$(now_ms)
. $JL_GUEST/bench-workloads.sh

# One measurement under javaland also charges the scheduler JVM's CPU to it: M_SCHED_MS
sched_mark() { [ "$CUR_SCHED" = javaland ] && M_T0=$(proc_ticks "$SCHED_PID") && M_W0=$(now_ms); return 0; }
sched_take() { # sched_take NAME: appends "NAME":{ms,wall_ms} to SCHED_BY
  [ "$CUR_SCHED" = javaland ] || return 0
  local t1 w1
  t1=$(proc_ticks "$SCHED_PID"); w1=$(now_ms)
  SCHED_BY="${SCHED_BY:+$SCHED_BY,}\"$1\":{\"cpu_ms\":$(( (t1 - M_T0) * 10 )),\"wall_ms\":$((w1 - M_W0))}"
}

# One run of every measurement: RUN_JSON, RUN_STATES_OK (every state read was WANT)
measure() { # measure SCHED ROUND WANT_STATE
  local sched=$1 round=$2 want=$3 tag=$1$2 t s states="" ok=1 idle loaded sched_cpu=null w0
  CUR_SCHED=$sched
  SCHED_BY=
  # A JVM just started still compiles its way through the code it runs (C1 took 1.1 s of CPU in a
  # 15 s sysbench 20 s after the start under TCG); EEVDF needs no warm-up, javaland gets one.
  if [ "$sched" = javaland ] && [ "${jl_bench_warmup_s:-0}" -gt 0 ]; then
    mark $S "$sched run $round: warm-up, sysbench cpu --threads=$jl_bench_threads --time=$jl_bench_warmup_s (not measured)"
    (cd /tmp && exec timeout -s KILL $((jl_bench_warmup_s + 120)) sysbench cpu --threads="$jl_bench_threads" \
      --time="$jl_bench_warmup_s" run) > $B/$tag.warmup 2>&1
  fi
  sleep "$jl_settle_s"
  t=$(now_ms)
  [ "$sched" = javaland ] && thread_ticks "$SCHED_PID" > $B/$tag.ticks0
  w0=$(now_ms)
  st() { s=$(scx_state); states="${states:+$states,}$(js "$s")"; [ "$s" = "$want" ] || ok=0; }
  st
  sched_mark; run_throughput "$tag"; sched_take throughput
  st
  sched_mark; run_threads "$tag"; sched_take threads
  mark $S "$sched run $round: sysbench cpu $TP_EPS events/s, threads $THR_EPS events/s"
  sched_mark; run_latency "$tag.idle"; sched_take latency_idle
  idle=$LAT_JSON
  st
  mark $S "$sched run $round: idle latency p50 $LAT_P50 p99 $LAT_P99 avg $LAT_AVG us ($LAT_N samples)"
  sched_mark; run_latency_loaded "$tag.loaded"; sched_take latency_loaded
  loaded="${LAT_JSON%\}},\"hog_exit_code\":$(jn "$HOG_RC"),\"hog_bogo_ops_per_s\":$(jf "$HOG_OPS")}"
  st
  mark $S "$sched run $round: loaded latency p50 $LAT_P50 p99 $LAT_P99 avg $LAT_AVG us ($LAT_N samples), hog $HOG_OPS bogo ops/s"
  sched_mark; run_hackbench "$tag"; sched_take hackbench
  st
  sched_mark; run_server "$tag"; sched_take server
  st
  mark $S "$sched run $round: hackbench $HB_TIME s; server $SRV_RPS req/s p50 $SRV_P50 p99 $SRV_P99 us"
  sched_mark; run_cpu_share "$tag"; sched_take cpu_share
  st
  mark $S "$sched run $round: stress-ng --cpu $(nproc): CPU share $CPU_SHARE, $HOG_OPS bogo ops/s (state=$s)"
  if [ "$sched" = javaland ]; then
    thread_ticks "$SCHED_PID" > $B/$tag.ticks1
    sched_cpu_json $B/$tag.ticks0 $B/$tag.ticks1
    # the JVM's CPU per second of the run's wall time, and per measurement (ms of CPU, ms of wall time)
    sched_cpu="${SCHED_CPU_JSON%\}},\"wall_ms\":$(( $(now_ms) - w0 )),\"by_measurement\":{$SCHED_BY}}"
    mark $S "$sched run $round: the scheduler's CPU (ms): $sched_cpu"
  fi
  RUN_STATES_OK=$ok
  RUN_JSON="{\"sched\":$(js "$sched"),\"round\":$round,\"states\":[$states],\"ms\":$(( $(now_ms) - t )),\
\"throughput\":{\"exit_code\":$(jn "$TP_RC"),\"events_per_s\":$(jf "$TP_EPS"),\"events\":$(jn "$TP_EVENTS")},\
\"threads\":$THR_JSON,\"latency_idle\":$idle,\"latency_loaded\":$loaded,\"hackbench\":$HB_JSON,\"server\":$SRV_JSON,\
\"cpu_share\":$CPU_JSON,\"sched_cpu_ms\":$sched_cpu"
  [ "$sched" = javaland ] && bpf_stats_repeats "$tag"
  return 0
}

# The measurements jl.bench_bpf_stats names, once more under javaland with the kernel counting BPF
# run time (kernel.bpf_stats_enabled: two clock reads per program run, so never in a measured run):
# javaland's JAVALAND_STATS then says what each of its programs cost there (bpf_programs).
bpf_stats() { echo "$1" > /proc/sys/kernel/bpf_stats_enabled 2>/dev/null; return 0; }
bpf_stats_repeats() { # bpf_stats_repeats TAG
  local m f
  for m in $(echo "$jl_bench_bpf_stats" | tr ',' ' '); do
    case "$m" in
      throughput) f=run_throughput ;; threads) f=run_threads ;; latency_idle) f=run_latency ;;
      latency_loaded) f=run_latency_loaded ;; hackbench) f=run_hackbench ;; server) f=run_server ;;
      cpu_share) f=run_cpu_share ;; none) continue ;;
      *) mark $S "jl.bench_bpf_stats: no measurement '$m' (ignored)"; continue ;;
    esac
    mark $S "javaland: $m once more with BPF run-time statistics on (not measured)"
    bpf_stats 1
    $f "$1.bpfstats"
    bpf_stats 0
  done
}

# wait_started TIMEOUT_S: until the scheduler printed its start-up line (or died, or the time is up);
# STARTED_MS = ms after its start
wait_started() {
  local deadline=$(( $(now_ms) + $1 * 1000 ))
  while [ "$(now_ms)" -lt "$deadline" ] && alive "$SCHED_PID"; do
    grep -q 'start-up took' "$SCHED_OUT" 2>/dev/null && break
    sleep 0.5
  done
  STARTED_MS=$(( $(now_ms) - SCHED_START_MS ))
}

# One javaland round: start, measure, stop. Appends its run (with a "scheduler" object) to RUNS.
javaland_round() { # javaland_round ROUND
  local round=$1 state_during= ops= seq_on= seq_end= through=0 enable_ms= was=0 sched start_cpu= STARTED_MS=
  # jl.bench_set=K=V,K=V: the same --set options for every javaland run
  JL_SCHED_ARGS=
  local kv
  for kv in $(echo "$jl_bench_set" | tr ',' ' '); do JL_SCHED_ARGS="$JL_SCHED_ARGS --set $kv"; done
  mark $S "round $round: starting scheduler (policy $jl_policy$JL_SCHED_ARGS)"
  start_scheduler $S$round
  if wait_enabled "$jl_enable_s"; then
    state_during=$(scx_state); ops=$(scx_ops); enable_ms=$ENABLE_MS; was=1
    seq_on=$(cat $JL_SCX/enable_seq 2>/dev/null)
    mark $S "round $round: scheduler enabled after $(fmt_s "$ENABLE_MS") s (ops=$ops)"
    # run attaches first and starts its control plane (Vert.x, the API) after: under TCG that took
    # 80 s of both CPUs (C1 32 s, the event loop 13 s) while the first bench measured. Measure the
    # scheduler once it said it is up; what the start cost is reported on its own.
    wait_started "$jl_enable_s"
    start_cpu=$(( $(proc_ticks "$SCHED_PID") * 10 ))
    mark $S "round $round: scheduler up after $(fmt_s "$STARTED_MS") s ($(grep -m1 'start-up took' "$SCHED_OUT" | sed 's/^javaland: //')), its JVM used $start_cpu ms of CPU so far"
    measure javaland "$round" enabled
    seq_end=$(cat $JL_SCX/enable_seq 2>/dev/null)
    # Once disabled, only a new enable (which moves enable_seq) could bring state=enabled back.
    [ "$RUN_STATES_OK" = 1 ] && [ "$seq_on" = "$seq_end" ] && [ "$(scx_ops)" = javaland ] && through=1
  else
    not_enabled $S
    state_during=$STATE_DURING; ops=$OPS; was=$WAS_ENABLED
    RUN_JSON="{\"sched\":\"javaland\",\"round\":$round,\"states\":[]"
  fi
  stop_scheduler $S$round
  mark $S "round $round: scheduler exit code $SCHED_RC, state $STATE_AFTER, enabled throughout: $(jb $through)"
  sched="{\"state_during\":$(js "$state_during"),\"ops\":$(js "$ops"),\"enable_ms\":$(jn "$enable_ms"),\"was_enabled\":$(jb $was),\
\"started_ms\":$(jn "$STARTED_MS"),\"start_cpu_ms\":$(jn "$start_cpu"),\"enable_seq\":$(jn "$seq_on"),\"enable_seq_end\":$(jn "$seq_end"),\"enabled_throughout\":$(jb $through),\
\"alive_at_term\":$(jb "$ALIVE_AT_TERM"),\"term_ms\":$(jn "$TERM_MS"),\"exit_code\":$(jn "$SCHED_RC"),\
\"state_after\":$(js "$STATE_AFTER"),\"stats\":$(sched_stats)}"
  RUNS="${RUNS:+$RUNS,}$RUN_JSON,\"scheduler\":$sched}"
  LAST_SCHED=$sched
  log_tail $S$round.sched.out "$SCHED_OUT" 8
  # the headlines of whatever the scheduler complained about, not the stack frames
  grep -v '^[[:space:]]*at \|^[[:space:]]*\.\.\. [0-9]* more' "$SCHED_ERR" > /tmp/$S$round.err.short 2>/dev/null
  log_tail $S$round.sched.err /tmp/$S$round.err.short 20
}

RUNS=
LAST_SCHED=null
eevdf_clean=1
state_before=$(scx_state)
mark $S "$jl_bench_rounds rounds of EEVDF then javaland; per run: sysbench cpu ${jl_bench_s}s, threads ${jl_threads_s}s, cyclictest ${jl_lat_s}s idle and beside stress-ng --cpu $jl_bench_hog, hackbench -l $jl_hackbench_loops, redis beside the hogs, stress-ng --cpu $(nproc) ${jl_stress_s}s"
r=1
while [ "$r" -le "$jl_bench_rounds" ]; do
  if [ "$(scx_state)" = disabled ]; then
    measure eevdf "$r" disabled
    [ "$RUN_STATES_OK" = 1 ] || eevdf_clean=0
    RUNS="${RUNS:+$RUNS,}$RUN_JSON}"
  else
    mark $S "skipping EEVDF run $r: state is $(scx_state)"
    eevdf_clean=0
  fi
  javaland_round "$r"
  r=$((r + 1))
done

for f in $B/*.cyclictest.err $B/*.hog $B/*.redis $B/*.hackbench; do
  [ -s "$f" ] || continue
  log_tail "$S.$(basename "$f")" "$f" 6
done
scx_klog > /tmp/$S.dmesg
log_tail $S.dmesg /tmp/$S.dmesg 20

# The last round's scheduler fields stay at the top level (as with one round); every round's are in its run.
last=${LAST_SCHED#\{}
result $S "{\"scenario\":\"$S\",\"params\":{\"rounds\":$(jn "$jl_bench_rounds"),\"bench_s\":$(jn "$jl_bench_s"),\"threads_s\":$(jn "$jl_threads_s"),\
\"bench_threads\":$(jn "$jl_bench_threads"),\"lat_s\":$(jn "$jl_lat_s"),\"lat_threads\":$(jn "$jl_lat_threads"),\"lat_interval_us\":$(jn "$jl_lat_interval_us"),\
\"lat_hist_us\":$(jn "$jl_lat_hist_us"),\"hog\":$(jn "$jl_bench_hog"),\"hackbench_loops\":$(jn "$jl_hackbench_loops"),\
\"server_requests\":$(jn "$jl_server_requests"),\"server_clients\":$(jn "$jl_server_clients"),\"stress_s\":$(jn "$jl_stress_s"),\
\"settle_s\":$(jn "$jl_settle_s"),\"warmup_s\":$(jn "$jl_bench_warmup_s"),\"policy\":$(js "$jl_policy")},\"cpus\":$(nproc),\"runs\":[$RUNS],\
\"state_before\":$(js "$state_before"),\"eevdf_clean\":$(jb "$eevdf_clean"),\"duration_ms\":$(( $(now_ms) - T0 )),\
\"kernel_log\":$(scx_klog_json),${last%\}}}"
