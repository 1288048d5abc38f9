# The workloads of the bench scenario (bench.sh sources this; lib.sh is loaded). Each function runs
# one measurement and sets shell variables and a JSON object; nothing here knows which scheduler runs.
# Output files go to $B/<tag>.*.

# sysbench cpu: TP_RC, TP_EPS, TP_EVENTS
run_throughput() { # run_throughput TAG
  (cd /tmp && exec timeout -s KILL $((jl_bench_s + 120)) sysbench cpu --threads="$jl_bench_threads" \
    --time="$jl_bench_s" run) > $B/$1.sysbench 2>&1
  TP_RC=$?
  TP_EPS=$(awk '/events per second:/ {print $4; exit}' $B/$1.sysbench)
  TP_EVENTS=$(awk '/total number of events:/ {print $5; exit}' $B/$1.sysbench)
}

# sysbench threads (mutexes and sched_yield: every yield gives the CPU back to the scheduler):
# THR_JSON with events per second
run_threads() { # run_threads TAG
  local rc ev eps
  (cd /tmp && exec timeout -s KILL $((jl_threads_s + 120)) sysbench threads --threads="$jl_bench_threads" \
    --time="$jl_threads_s" run) > $B/$1.threads 2>&1
  rc=$?
  ev=$(awk '/total number of events:/ {print $5; exit}' $B/$1.threads)
  # sysbench threads prints no rate: events over the run's measured total time
  eps=$(awk '/total number of events:/ {e = $5} /total time:/ {t = $3; sub(/s$/, "", t)} END { if (t > 0) printf "%.2f", e / t }' $B/$1.threads)
  THR_EPS=$eps
  THR_JSON="{\"exit_code\":$(jn "$rc"),\"events\":$(jn "$ev"),\"events_per_s\":$(jf "$eps")}"
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

# stress-ng --cpu N in the background for S seconds: HOG_PID; hog_done reads HOG_RC, HOG_OPS
# (bogo ops/s, real time) and HOG_CPU_S (the hogs' usr+sys seconds) from its --metrics-brief
hog_start() { # hog_start TAG N S
  (cd /tmp && exec timeout -s KILL $(($3 + 120)) stress-ng --cpu "$2" --timeout "${3}s" --metrics-brief) > $B/$1.hog 2>&1 &
  HOG_PID=$!
}
hog_done() { # hog_done TAG
  wait "$HOG_PID"
  HOG_RC=$?
  HOG_OPS=$(awk '$4 == "cpu" && $5 ~ /^[0-9]+$/ {print $9; exit}' $B/$1.hog)
  HOG_CPU_S=$(awk '$4 == "cpu" && $5 ~ /^[0-9]+$/ {printf "%.2f", $7 + $8; exit}' $B/$1.hog)
  HOG_REAL_S=$(awk '$4 == "cpu" && $5 ~ /^[0-9]+$/ {print $6; exit}' $B/$1.hog)
}

# cyclictest beside CPU hogs: LAT_* as run_latency, plus HOG_RC, HOG_OPS
run_latency_loaded() { # run_latency_loaded TAG
  hog_start "$1" "$jl_bench_hog" $((jl_lat_s + 2))
  sleep 1
  run_latency "$1"
  hog_done "$1"
}

# hackbench: a pipe-IPC wakeup storm (process mode, 2 groups of 20 senders and 20 receivers):
# HB_JSON with its time in seconds (lower is better)
run_hackbench() { # run_hackbench TAG
  local rc t
  (cd /tmp && exec timeout -s KILL 300 hackbench -p -g "$jl_hackbench_groups" -l "$jl_hackbench_loops") > $B/$1.hackbench 2>&1
  rc=$?
  t=$(awk '/^Time:/ {print $2; exit}' $B/$1.hackbench)
  HB_TIME=$t
  HB_JSON="{\"exit_code\":$(jn "$rc"),\"time_s\":$(jf "$t")}"
}

# A request/response server: redis-server on a unix socket (SRV_PID), its key filled and its pages
# touched by a first small run; server_bench runs redis-benchmark's GETs against it (SRV_RC,
# SRV_RPS, SRV_P50 and SRV_P99 in us, SRV_RUN_JSON); server_stop ends it. autotune.sh uses them too.
SRV_SOCK=/tmp/bench-redis.sock
server_start() { # server_start TAG
  local i
  rm -f "$SRV_SOCK"
  redis-server --port 0 --unixsocket "$SRV_SOCK" --save '' --appendonly no --daemonize no \
    --logfile $B/$1.redis.log > /dev/null 2>&1 &
  SRV_PID=$!
  for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do [ -S "$SRV_SOCK" ] && break; sleep 0.25; done
  (cd /tmp && exec timeout -s KILL 60 redis-benchmark -s "$SRV_SOCK" -c 1 -n 100 -t set -q) > /dev/null 2>&1
}
server_bench() { # server_bench TAG: jl_server_clients clients, jl_server_requests GETs
  local line
  (cd /tmp && exec timeout -s KILL 120 redis-benchmark -s "$SRV_SOCK" -c "$jl_server_clients" -n "$jl_server_requests" \
    -t get --csv) > $B/$1.redis 2>&1
  SRV_RC=$?
  # "GET","rps","avg_ms","min_ms","p50_ms","p95_ms","p99_ms","max_ms"
  line=$(grep '^"GET"' $B/$1.redis | tail -n1 | tr -d '"')
  SRV_RPS=$(printf '%s' "$line" | cut -d, -f2)
  SRV_P50=$(printf '%s' "$line" | awk -F, '{ if ($5 != "") printf "%d", $5 * 1000 }')
  SRV_P99=$(printf '%s' "$line" | awk -F, '{ if ($7 != "") printf "%d", $7 * 1000 }')
  SRV_RUN_JSON="{\"exit_code\":$(jn "$SRV_RC"),\"requests_per_s\":$(jf "$SRV_RPS"),\"p50_us\":$(jn "$SRV_P50"),\"p99_us\":$(jn "$SRV_P99")}"
}
server_stop() {
  kill "$SRV_PID" 2>/dev/null
  wait "$SRV_PID" 2>/dev/null
}

# The server beside CPU hogs (stress-ng --cpu $jl_bench_hog), one benchmark run: SRV_JSON with
# requests/s and p50/p99 latency in us, and the hogs' bogo ops/s
run_server() { # run_server TAG
  server_start "$1"
  hog_start "$1.server" "$jl_bench_hog" "$jl_server_hog_s"
  sleep 1
  server_bench "$1"
  kill "$HOG_PID" 2>/dev/null
  hog_done "$1.server"
  server_stop
  SRV_JSON="{\"exit_code\":$(jn "$SRV_RC"),\"requests\":$(jn "$jl_server_requests"),\"clients\":$(jn "$jl_server_clients"),\
\"requests_per_s\":$(jf "$SRV_RPS"),\"p50_us\":$(jn "$SRV_P50"),\"p99_us\":$(jn "$SRV_P99"),\"hog_bogo_ops_per_s\":$(jf "$HOG_OPS")}"
}

# stress-ng --cpu <every CPU>: the CPU time the work got, as a share of the CPUs' wall time, and its
# bogo ops/s: CPU_JSON
run_cpu_share() { # run_cpu_share TAG
  local n share
  n=$(nproc)
  hog_start "$1.cpu" "$n" "$jl_stress_s"
  hog_done "$1.cpu"
  share=$(awk -v c="$HOG_CPU_S" -v r="$HOG_REAL_S" -v n="$n" 'BEGIN { if (r > 0 && n > 0) printf "%.4f", c / (r * n) }')
  CPU_SHARE=$share
  CPU_JSON="{\"exit_code\":$(jn "$HOG_RC"),\"workers\":$n,\"bogo_ops_per_s\":$(jf "$HOG_OPS"),\"cpu_s\":$(jf "$HOG_CPU_S"),\
\"real_s\":$(jf "$HOG_REAL_S"),\"cpu_share\":$(jf "$share")}"
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

# The whole process's CPU ticks (utime + stime of every thread, live and exited): cheap, for one
# measurement at a time.
proc_ticks() { # proc_ticks PID
  local line rest
  read -r line < /proc/$1/stat 2>/dev/null || { echo 0; return; }
  rest=${line##*) }
  set -- $rest
  echo $(( ${12} + ${13} ))
}

# Where the scheduler's CPU went between two thread_ticks snapshots: SCHED_CPU_JSON, CPU ms per
# thread name (threads of one name summed, the busiest first) and their total.
sched_cpu_json() { # sched_cpu_json BEFORE AFTER
  SCHED_CPU_JSON=$(awk -F '\t' 'NR == FNR { b[$1] += $2; next } { a[$1] += $2 }
    END {
      for (k in a) { d = (a[k] - (k in b ? b[k] : 0)) * 10; if (d > 0) { n++; key[n] = k; ms[n] = d; tot += d } }
      for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (ms[j] > ms[i]) { t = ms[i]; ms[i] = ms[j]; ms[j] = t; t = key[i]; key[i] = key[j]; key[j] = t }
      out = ""; for (i = 1; i <= n && i <= 8; i++) { gsub(/["\\]/, "", key[i]); out = out (i > 1 ? "," : "") "\"" key[i] "\":" ms[i] }
      printf "{\"total_ms\":%d,\"threads\":{%s}}", tot, out
    }' "$1" "$2")
}
