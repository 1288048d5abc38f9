# Scenario "bench": javaland against the kernel's default scheduler (EEVDF) inside one boot.
# Absolute figures under emulation mean little; the ratios between the two schedulers, measured
# minutes apart in the same guest, are what counts.
#
# A run is three measurements, always in this order:
#   throughput      sysbench cpu --threads=$jl_bench_threads --time=$jl_bench_s (events per second)
#   latency_idle    cyclictest --policy=other -t$jl_lat_threads -i $jl_lat_interval_us -D ${jl_lat_s}s
#                   -q -m -h $jl_lat_hist_us on otherwise idle CPUs (p50/p99/avg/max wakeup latency)
#   latency_loaded  the same beside stress-ng --cpu $jl_bench_hog (whose bogo ops/s are reported too)
# Runs: EEVDF (before any sched_ext scheduler attached), javaland (started with start_scheduler,
# once state=enabled warmed up with jl.bench_warmup_s of unmeasured sysbench, measured, then
# SIGTERM), and with jl.bench_aba=1 EEVDF once more after the
# scheduler left, so that a drift of the host over the scenario cancels out of the ratios (the
# EEVDF reference is the mean of both EEVDF runs). cyclictest runs as SCHED_OTHER so that
# sched_ext schedules it.
# Sourced by /init inside a subshell; lib.sh is loaded.
S=bench
B=/tmp/bench
mkdir -p $B
: > $B/table
T0=$(now_ms)

# sysbench: TP_RC, TP_EPS, TP_EVENTS
run_throughput() { # run_throughput TAG
  (cd /tmp && exec timeout -s KILL $((jl_bench_s + 120)) sysbench cpu --threads="$jl_bench_threads" \
    --time="$jl_bench_s" run) > $B/$1.sysbench 2>&1
  TP_RC=$?
  TP_EPS=$(awk '/events per second:/ {print $4; exit}' $B/$1.sysbench)
  TP_EVENTS=$(awk '/total number of events:/ {print $5; exit}' $B/$1.sysbench)
}

# cyclictest with a histogram: LAT_JSON (an object), LAT_P50, LAT_P99, LAT_AVG, LAT_MAX, LAT_N
run_latency() { # run_latency TAG
  local rc
  (cd /tmp && exec timeout -s KILL $((jl_lat_s + 120)) cyclictest --policy=other -t"$jl_lat_threads" \
    -i "$jl_lat_interval_us" -D "${jl_lat_s}s" -q -m -h "$jl_lat_hist_us") > $B/$1.cyclictest 2> $B/$1.cyclictest.err
  rc=$?
  # busybox awk reads 000071 as octal: strip the zeros first. Percentiles over both threads'
  # samples; samples beyond the histogram (overflows) count as latencies above its end, and a
  # percentile among them is reported as the histogram's end with "capped": true.
  awk -v rc="$rc" -v hmax="$jl_lat_hist_us" '
    function n(s) { sub(/^0+/, "", s); return s == "" ? 0 : s + 0 }
    function pct(q,   need, cum, j) {
      need = q * all; cum = 0
      for (j = 1; j <= k; j++) { cum += c[j]; if (cum >= need) return b[j] }
      capped = 1; return hmax
    }
    /^# Total:/ { nt = 0; for (i = 3; i <= NF; i++) tot[++nt] = n($i) }
    /^# Min Latencies:/ { for (i = 4; i <= NF; i++) { v = n($i); if (!mnset || v < mn) { mn = v; mnset = 1 } } }
    /^# Avg Latencies:/ { for (i = 4; i <= NF; i++) av[i - 3] = n($i) }
    /^# Max Latencies:/ { for (i = 4; i <= NF; i++) { v = n($i); if (v > mx) mx = v } }
    /^# Histogram Overflows:/ { for (i = 4; i <= NF; i++) { ov[i - 3] = n($i); ovf += n($i) } }
    /^[0-9]/ { s = 0; for (i = 2; i <= NF; i++) s += n($i); if (s > 0) { k++; b[k] = n($1); c[k] = s; inh += s } }
    END {
      all = inh + ovf
      if (all == 0) { printf "{\"exit_code\":%s,\"samples\":0}\n", rc; exit }
      w = 0; a = 0
      for (t = 1; t <= nt; t++) { x = tot[t] + ov[t]; w += x; a += av[t] * x }
      avg = w > 0 ? a / w : 0
      capped = 0; p50 = pct(0.50); p99 = pct(0.99)
      printf "{\"exit_code\":%s,\"samples\":%d,\"p50_us\":%d,\"p99_us\":%d,\"avg_us\":%.1f,\"min_us\":%d,\"max_us\":%d,\"overflows\":%d,\"capped\":%s}\n",
        rc, all, p50, p99, avg, mn, mx, ovf, capped ? "true" : "false"
    }' $B/$1.cyclictest > $B/$1.lat
  LAT_JSON=$(cat $B/$1.lat)
  case "$LAT_JSON" in '{'*) ;; *) LAT_JSON="{\"exit_code\":$(jn "$rc"),\"samples\":0}" ;; esac
  LAT_N=$(lat_field samples); LAT_P50=$(lat_field p50_us); LAT_P99=$(lat_field p99_us)
  LAT_AVG=$(lat_field avg_us); LAT_MAX=$(lat_field max_us)
}
lat_field() { printf '%s' "$LAT_JSON" | sed -n "s/.*\"$1\":\([0-9.]*\).*/\1/p"; }

# cyclictest beside CPU hogs: also HOG_RC, HOG_OPS (stress-ng bogo ops/s, real time)
run_latency_loaded() { # run_latency_loaded TAG
  local hog
  (cd /tmp && exec timeout -s KILL $((jl_lat_s + 120)) stress-ng --cpu "$jl_bench_hog" \
    --timeout "$((jl_lat_s + 2))s" --metrics-brief) > $B/$1.hog 2>&1 &
  hog=$!
  sleep 1
  run_latency "$1"
  wait $hog
  HOG_RC=$?
  HOG_OPS=$(awk '$4 == "cpu" && $5 ~ /^[0-9]+$/ {print $9; exit}' $B/$1.hog)
}

# CPU ticks (USER_HZ) of each thread of PID, one "comm<TAB>ticks" line per thread: the comm is the
# JVM's thread name (cut to 15 characters), and may hold spaces.
thread_ticks() { # thread_ticks PID > FILE
  local f line rest
  for f in /proc/$1/task/*/stat; do
    read -r line < "$f" 2>/dev/null || continue
    rest=${line##*) }
    line=${line#*(}
    set -- $rest
    printf '%s\t%s\n' "${line%) *}" "$(( ${12} + ${13} ))"
  done
}

# Where the scheduler's CPU went while sysbench ran: SCHED_CPU_JSON, CPU ms per thread name
# (threads of one name summed, the busiest first), from two thread_ticks snapshots.
sched_cpu_json() { # sched_cpu_json BEFORE AFTER
  SCHED_CPU_JSON=$(awk -F '\t' 'NR == FNR { b[$1] += $2; next } { a[$1] += $2 }
    END {
      for (k in a) { d = (a[k] - (k in b ? b[k] : 0)) * 10; if (d > 0) { n++; key[n] = k; ms[n] = d; tot += d } }
      for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (ms[j] > ms[i]) { t = ms[i]; ms[i] = ms[j]; ms[j] = t; t = key[i]; key[i] = key[j]; key[j] = t }
      out = ""; for (i = 1; i <= n && i <= 8; i++) { gsub(/["\\]/, "", key[i]); out = out (i > 1 ? "," : "") "\"" key[i] "\":" ms[i] }
      printf "{\"total_ms\":%d,\"threads\":{%s}}", tot, out
    }' "$1" "$2")
}

# One run of the three measurements: RUN_JSON, RUN_STATES_OK (every state read was WANT)
measure() { # measure SCHED ROUND WANT_STATE
  local sched=$1 round=$2 want=$3 tag=$1$2 t s0 s1 s2 s3 idle loaded sched_cpu=null
  # A JVM just started still compiles its way through the code it runs (C1 took 1.1 s of CPU in a
  # 15 s sysbench 20 s after the start under TCG); EEVDF needs no warm-up, javaland gets one.
  if [ "$sched" = javaland ] && [ "${jl_bench_warmup_s:-0}" -gt 0 ]; then
    mark $S "$sched run $round: warm-up, sysbench cpu --threads=$jl_bench_threads --time=$jl_bench_warmup_s (not measured)"
    (cd /tmp && exec timeout -s KILL $((jl_bench_warmup_s + 120)) sysbench cpu --threads="$jl_bench_threads" \
      --time="$jl_bench_warmup_s" run) > $B/$tag.warmup 2>&1
  fi
  sleep "$jl_settle_s"
  t=$(now_ms)
  s0=$(scx_state)
  mark $S "$sched run $round: sysbench cpu --threads=$jl_bench_threads --time=$jl_bench_s (state=$s0)"
  [ "$sched" = javaland ] && thread_ticks "$SCHED_PID" > $B/$tag.ticks0
  run_throughput "$tag"
  s1=$(scx_state)
  echo "$sched events_per_s $TP_EPS" >> $B/table
  mark $S "$sched run $round: $TP_EPS events/s (exit $TP_RC); cyclictest idle ${jl_lat_s}s"
  if [ "$sched" = javaland ]; then
    thread_ticks "$SCHED_PID" > $B/$tag.ticks1
    sched_cpu_json $B/$tag.ticks0 $B/$tag.ticks1
    sched_cpu=$SCHED_CPU_JSON
    mark $S "$sched run $round: the scheduler's CPU during sysbench (ms by thread): $sched_cpu"
  fi
  run_latency "$tag.idle"
  idle=$LAT_JSON
  s2=$(scx_state)
  echo "$sched idle_p50_us $LAT_P50" >> $B/table
  echo "$sched idle_p99_us $LAT_P99" >> $B/table
  echo "$sched idle_avg_us $LAT_AVG" >> $B/table
  echo "$sched idle_max_us $LAT_MAX" >> $B/table
  mark $S "$sched run $round: idle latency p50 $LAT_P50 p99 $LAT_P99 avg $LAT_AVG max $LAT_MAX us ($LAT_N samples); cyclictest beside stress-ng --cpu $jl_bench_hog"
  run_latency_loaded "$tag.loaded"
  loaded=$LAT_JSON
  s3=$(scx_state)
  echo "$sched loaded_p50_us $LAT_P50" >> $B/table
  echo "$sched loaded_p99_us $LAT_P99" >> $B/table
  echo "$sched loaded_avg_us $LAT_AVG" >> $B/table
  echo "$sched loaded_max_us $LAT_MAX" >> $B/table
  echo "$sched hog_bogo_ops_per_s $HOG_OPS" >> $B/table
  mark $S "$sched run $round: loaded latency p50 $LAT_P50 p99 $LAT_P99 avg $LAT_AVG max $LAT_MAX us ($LAT_N samples), hog $HOG_OPS bogo ops/s (state=$s3)"
  RUN_STATES_OK=0
  [ "$s0" = "$want" ] && [ "$s1" = "$want" ] && [ "$s2" = "$want" ] && [ "$s3" = "$want" ] && RUN_STATES_OK=1
  RUN_JSON="{\"sched\":$(js "$sched"),\"round\":$round,\"states\":[$(js "$s0"),$(js "$s1"),$(js "$s2"),$(js "$s3")],\
\"ms\":$(( $(now_ms) - t )),\"throughput\":{\"exit_code\":$(jn "$TP_RC"),\"events_per_s\":$(jf "$TP_EPS"),\"events\":$(jn "$TP_EVENTS"),\"sched_cpu_ms\":$sched_cpu},\
\"latency_idle\":$idle,\"latency_loaded\":${loaded%\}},\"hog_exit_code\":$(jn "$HOG_RC"),\"hog_bogo_ops_per_s\":$(jf "$HOG_OPS")}}"
  RUNS="${RUNS:+$RUNS,}$RUN_JSON"
}

RUNS=
mark $S "sysbench ${jl_bench_s}s, cyclictest ${jl_lat_s}s idle and beside stress-ng --cpu $jl_bench_hog, per run; EEVDF, javaland$([ "$jl_bench_aba" = 1 ] && echo ', EEVDF')"

# --- EEVDF ----------------------------------------------------------------------------------------
state_before=$(scx_state)
measure eevdf 1 disabled
eevdf_clean=$RUN_STATES_OK

# --- javaland -------------------------------------------------------------------------------------
mark $S "starting scheduler (policy $jl_policy)"
start_scheduler $S
state_during=
ops=
seq_on=
seq_end=
enabled_throughout=0
if wait_enabled "$jl_enable_s"; then
  state_during=$(scx_state)
  ops=$(scx_ops)
  seq_on=$(cat $JL_SCX/enable_seq 2>/dev/null)
  mark $S "scheduler enabled after $(fmt_s "$ENABLE_MS") s (ops=$ops)"
  measure javaland 1 enabled
  seq_end=$(cat $JL_SCX/enable_seq 2>/dev/null)
  # Once disabled, only a new enable (which moves enable_seq) could bring state=enabled back.
  [ "$RUN_STATES_OK" = 1 ] && [ "$seq_on" = "$seq_end" ] && [ "$(scx_ops)" = javaland ] && enabled_throughout=1
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
mark $S "scheduler exit code $sched_rc, state $state_after, enabled throughout: $(jb $enabled_throughout)"

# --- EEVDF again ------------------------------------------------------------------------------------
if [ "$jl_bench_aba" = 1 ]; then
  if [ "$state_after" = disabled ]; then
    measure eevdf 2 disabled
    [ "$RUN_STATES_OK" = 1 ] || eevdf_clean=0
  else
    mark $S "skipping the second EEVDF run: state is $state_after"
  fi
fi

# --- summary: means per scheduler, ratios javaland / eevdf ------------------------------------------
summary=$(awk '
  $3 != "" { s[$1 SUBSEP $2] += $3; n[$1 SUBSEP $2]++; if (!($2 in seen)) { seen[$2] = 1; order[++m] = $2 } }
  function mean(sc, k) { return ((sc SUBSEP k) in n) ? s[sc SUBSEP k] / n[sc SUBSEP k] : "" }
  function obj(sc,   i, k, v, out) {
    out = ""
    for (i = 1; i <= m; i++) { k = order[i]; v = mean(sc, k); if (v != "") out = out (out == "" ? "" : ",") "\"" k "\":" sprintf("%.2f", v) }
    return "{" out "}"
  }
  function ratio(k,   a, b) { a = mean("javaland", k); b = mean("eevdf", k); return (a == "" || b == "" || b == 0) ? "null" : sprintf("%.3f", a / b) }
  END {
    printf "\"eevdf\":%s,\"javaland\":%s,\"ratios\":{\"throughput\":%s,\"hog_throughput\":%s,", obj("eevdf"), obj("javaland"), ratio("events_per_s"), ratio("hog_bogo_ops_per_s")
    printf "\"idle_p50\":%s,\"idle_p99\":%s,\"idle_avg\":%s,\"loaded_p50\":%s,\"loaded_p99\":%s,\"loaded_avg\":%s}",
      ratio("idle_p50_us"), ratio("idle_p99_us"), ratio("idle_avg_us"), ratio("loaded_p50_us"), ratio("loaded_p99_us"), ratio("loaded_avg_us")
  }' $B/table)
mark $S "javaland/eevdf: $(printf '%s' "$summary" | sed 's/.*"ratios":{\(.*\)}/\1/')"

for f in $B/*.sysbench $B/*.cyclictest.err $B/*.hog; do
  [ -s "$f" ] || continue
  log_tail "$S.$(basename "$f")" "$f" 12
done
log_tail $S.sched.out "$SCHED_OUT" 20
log_tail $S.sched.err "$SCHED_ERR" 20
scx_klog > /tmp/$S.dmesg
log_tail $S.dmesg /tmp/$S.dmesg 20

result $S "{\"scenario\":\"$S\",\"params\":{\"bench_s\":$(jn "$jl_bench_s"),\"bench_threads\":$(jn "$jl_bench_threads"),\
\"lat_s\":$(jn "$jl_lat_s"),\"lat_threads\":$(jn "$jl_lat_threads"),\"lat_interval_us\":$(jn "$jl_lat_interval_us"),\
\"lat_hist_us\":$(jn "$jl_lat_hist_us"),\"hog\":$(jn "$jl_bench_hog"),\"aba\":$(jb "$jl_bench_aba"),\"settle_s\":$(jn "$jl_settle_s"),\"warmup_s\":$(jn "$jl_bench_warmup_s"),\
\"policy\":$(js "$jl_policy")},\"cpus\":$(nproc),\"runs\":[$RUNS],$summary,\
\"state_before\":$(js "$state_before"),\"eevdf_clean\":$(jb "$eevdf_clean"),\"state_during\":$(js "$state_during"),\"ops\":$(js "$ops"),\
\"enable_ms\":$(jn "$ENABLE_MS"),\"was_enabled\":$(jb "$WAS_ENABLED"),\"enable_seq\":$(jn "$seq_on"),\"enable_seq_end\":$(jn "$seq_end"),\
\"enabled_throughout\":$(jb $enabled_throughout),\"alive_at_term\":$(jb $alive_at_term),\"term_ms\":$(jn "$term_ms"),\
\"exit_code\":$(jn "$sched_rc"),\"state_after\":$(js "$state_after"),\"duration_ms\":$(( $(now_ms) - T0 )),\
\"kernel_log\":$(scx_klog_json),\"stats\":$(sched_stats)}"
