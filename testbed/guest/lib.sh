# Shared by /init and the guest scenarios (busybox sh). Sourced, never executed.
#
# Console protocol (read by javaland.testbed.VmTestBed):
#   JL_MARK <scenario> <message>        progress, one line each
#   JL_RESULT <scenario> <json-object>  exactly one per scenario, compact JSON on one line
#   JL_LOG_BEGIN <name> ... JL_LOG_END <name>   debugging tails (never parsed for crashes)
# JL_RESULT lines are also written to /dev/ttyS1 (a second serial port the host logs to a
# file), which the kernel never writes to, so a printk cannot split them.

# The one place that says how the scheduler's JVM is started.
JL_JAVA=/opt/jre/bin/java
JL_JVM_FLAGS="--enable-native-access=ALL-UNNAMED -Xms128m -Xmx128m -XX:+AlwaysPreTouch -XX:TieredStopAtLevel=1 -XX:CICompilerCount=1"
JL_JAR=/opt/javaland/javaland.jar
# Classes loaded and linked ahead of time, made by initramfs.sh for this JRE, jar and these flags
[ ! -f /opt/javaland/javaland.aot ] || JL_JVM_FLAGS="$JL_JVM_FLAGS -XX:AOTCache=/opt/javaland/javaland.aot"
JL_GUEST=/opt/javaland/guest
JL_SCX=/sys/kernel/sched_ext

# Defaults, overridable on the kernel command line as jl.<name>=<value>
# (e.g. jl.policy=fifo jl.workload_s=30).
jl_policy=deadline
jl_smoke_policy=interactive-first  # smoke runs the scheduler of docs/write-your-own-scheduler.md (/opt/javaland/doc-policy.jar)
jl_duration=900      # the scheduler's own --duration: far beyond the scenario, it is stopped by signal
jl_workload_s=20     # smoke: seconds of mixed workload
jl_enable_s=120      # how long to wait for state=enabled
jl_term_s=60         # how long to wait for the scheduler to exit after SIGTERM
# bench (see bench.sh): rounds, durations of each run's measurements, and their shapes
jl_bench_rounds=3    # rounds of an EEVDF run then a javaland run (medians over them)
jl_bench_s=6         # sysbench cpu --time
jl_threads_s=5       # sysbench threads --time
jl_bench_threads=4   # sysbench cpu and threads --threads
jl_lat_s=6           # cyclictest -D, once idle and once beside the CPU hogs
jl_lat_threads=2     # cyclictest -t
jl_lat_interval_us=1000  # cyclictest -i
jl_lat_hist_us=100000    # cyclictest -h: latencies beyond it count as overflows
jl_bench_hog=2       # stress-ng --cpu workers beside the loaded cyclictest and the server
jl_hackbench_groups=2    # hackbench -p -g
jl_hackbench_loops=500   # hackbench -l
jl_server_requests=4000  # redis-benchmark -n (GET)
jl_server_clients=8      # redis-benchmark -c
jl_server_hog_s=60       # the server's hogs run at most this long (stopped when the benchmark ends)
jl_stress_s=5        # stress-ng --cpu <nproc>: the CPU share left to the work
jl_settle_s=2        # quiet seconds before each run
jl_bench_warmup_s=6  # bench: seconds of unmeasured sysbench under javaland before its run (its JIT's warm-up)
jl_bench_bpf_stats=threads  # bench: measurements run once more under javaland with BPF run-time statistics on, unmeasured (comma separated, or none): javaland's report then says what each program cost there
jl_bench_set=        # bench: --set KEY=VALUE[,KEY=VALUE...] for every javaland run (e.g. jl.bench_set=kernel.wake_rules=0)
jl_fidelity_s=15     # fidelity: seconds of the smoke mix recorded, then replayed in the guest
jl_rules_s=15        # rules: seconds each latency probe runs beside the hogs
jl_canary_learn_s=150  # canary: how long to wait for the learner's first verdict
jl_canary_propose_s=40 # canary: how long to wait for the learner's next proposal, to kill it mid-canary
jl_canary_revert_s=20  # canary: how long to wait for the guard to revert the harmful set
jl_autotune_learn_s=240   # autotune: guest seconds of load in phase 3 (the learner from a cold start), once the learner is up
jl_autotune_runs=3        # autotune: benchmark runs in each of the other phases
jl_autotune_requests=10000  # autotune: redis-benchmark -n GETs per run (about one learner window each under TCG)
jl_autotune_window=2s     # autotune: the learner's --window (and --progress: one reward line a window)
jl_autotune_min_windows=5 # autotune: the learner's --min-windows (baseline, and candidate windows before a verdict)
jl_autotune_max_windows=20  # autotune: the learner's --max-candidate-windows (a parameter canary was BETTER x2 at its 15th, boot 2026-12-07 15:00)
jl_fidelity_keep_kib=4096  # fidelity: a trace up to this size goes to the host (logs/<time>-boot<N>-fidelity.jlt.gz)
jl_soak_min=30         # soak (a benchmark, see soak.sh): minutes of changing load, counted once the learner is up
jl_soak_sample_s=60    # soak: seconds between samples
jl_soak_phase_s=       # soak: seconds of each load phase (empty: a fifth of the run, 20..120 s)
# The scheduler JVM's collector: serial, zgc, g1 or parallel (-XX:+Use...GC). Serial: in bench
# under ZGC the scheduler's JVM used 3.3 s of CPU during a 15 s sysbench (ZDirector 0.6 s, its
# barriers in the dispatch thread), under Serial 2.1 s, and throughput went 0.86 -> 0.93 of EEVDF.
jl_jvm_gc=serial
jl_run_flag=         # one more option for every scheduler run of the boot, e.g. --param run_flag=--profile-threads
jl_scenarios=smoke
jl_package=0  # 1: ./javaland vm --package put the package's tree in the root (smoke runs javaland.service, unit.sh)

jl_parse_cmdline() {
  local w k v
  for w in $(cat /proc/cmdline); do
    case "$w" in
      jl.*=*)
        k=${w%%=*}; k=${k#jl.}; v=${w#*=}
        case "$k" in *[!a-z0-9_]*) continue ;; esac
        eval "jl_$k=\$v"
        ;;
    esac
  done
}

# The collector flag for jl.jvm_gc; another name is said on the console and Serial is used.
jl_gc_flag() {
  case "$jl_jvm_gc" in
    serial) echo -XX:+UseSerialGC ;;
    zgc) echo -XX:+UseZGC ;;
    g1) echo -XX:+UseG1GC ;;
    parallel) echo -XX:+UseParallelGC ;;
    *) echo "jl.jvm_gc=$jl_jvm_gc is not one of serial, zgc, g1, parallel: using serial" > /dev/console 2>/dev/null
       echo -XX:+UseSerialGC ;;
  esac
}

# Milliseconds since boot (10 ms resolution: /proc/uptime has hundredths).
now_ms() {
  local up s f
  read up _ < /proc/uptime
  s=${up%.*}; f=${up#*.}; f=${f#0}
  echo $((s * 1000 + f * 10))
}

# Seconds with one decimal from milliseconds.
fmt_s() { echo "$(($1 / 1000)).$((($1 % 1000) / 100))"; }

mark() { # mark SCENARIO MESSAGE...
  local s=$1; shift
  echo "JL_MARK $s $*"
}

result() { # result SCENARIO JSON
  printf 'JL_RESULT %s %s\n' "$1" "$2"
  if [ -c /dev/ttyS1 ]; then printf 'JL_RESULT %s %s\n' "$1" "$2" > /dev/ttyS1 2>/dev/null || true; fi
}

# JSON helpers: a quoted string (or null for empty), a number (or null), a boolean.
js() {
  if [ -z "$1" ]; then printf 'null'; return; fi
  printf '"%s"' "$(printf '%s' "$1" | tr -d '\000-\010\013-\037' | tr '\n\t\r' '   ' | sed 's/\\/\\\\/g; s/"/\\"/g')"
}
jn() { case "$1" in ''|*[!0-9-]*) printf 'null' ;; *) printf '%s' "$1" ;; esac; }
# A decimal number such as 9893.13 (or null).
jf() {
  case "$1" in
    ''|-|*[!0-9.-]*|*.*.*|?*-*|*.|.*|-.*) printf 'null' ;;
    *) printf '%s' "$1" ;;
  esac
}
jb() { if [ "$1" = 1 ] || [ "$1" = true ]; then printf true; else printf false; fi; }

scx_state() { cat $JL_SCX/state 2>/dev/null || echo missing; }
scx_ops() { cat $JL_SCX/root/ops 2>/dev/null || true; }

# Kernel lines about sched_ext since the current scenario started (init sets JL_DMESG_START),
# e.g. 'sched_ext: BPF scheduler "javaland" disabled (unregistered from user space)'.
scx_klog() {
  dmesg 2>/dev/null | tail -n +$((${JL_DMESG_START:-0} + 1)) | grep 'sched_ext' | sed 's/^\[[ 0-9.]*\] //'
}
# The same as a JSON array of strings (at most the last 20 lines).
scx_klog_json() {
  local first=1 line
  scx_klog | tail -n 20 > /tmp/.klog
  printf '['
  while IFS= read -r line; do
    [ $first = 1 ] || printf ','
    first=0
    js "$line"
  done < /tmp/.klog
  printf ']'
}

# 1 while PID exists and is not a zombie.
alive() {
  local st
  [ -r /proc/$1/stat ] || return 1
  st=$(sed 's/.*) //' /proc/$1/stat 2>/dev/null | cut -d' ' -f1)
  [ -n "$st" ] && [ "$st" != Z ] && [ "$st" != X ]
}

# sched_ext's exit dump: on an error exit (a stall, a BPF error) the kernel writes its state and
# the scheduler's dump_* lines as sched_ext_dump trace events. Cleared and armed at each start;
# scx_dump_log copies them to the console.
JL_TRACE=/sys/kernel/tracing
scx_dump_arm() {
  [ -w $JL_TRACE/events/sched_ext/sched_ext_dump/enable ] || return 0
  echo 0 > $JL_TRACE/events/sched_ext/sched_ext_dump/enable
  : > $JL_TRACE/trace
  echo 1 > $JL_TRACE/events/sched_ext/sched_ext_dump/enable
  echo 1 > $JL_TRACE/tracing_on
}
scx_dump_log() { # scx_dump_log NAME: the dump, when there is one
  [ -r $JL_TRACE/trace ] || return 0
  grep 'sched_ext_dump' $JL_TRACE/trace 2>/dev/null | sed 's/^.*sched_ext_dump: //' > /tmp/.scxdump
  [ -s /tmp/.scxdump ] && log_tail "$1.scx_dump" /tmp/.scxdump 600
  return 0
}

# start_scheduler NAME -> SCHED_PID, SCHED_START_MS; logs in /tmp/NAME.sched.{out,err}
start_scheduler() {
  local name=$1
  SCHED_OUT=/tmp/$name.sched.out
  SCHED_ERR=/tmp/$name.sched.err
  SCHED_START_MS=$(now_ms)
  scx_dump_arm
  # JL_RUN_EXTRA, JL_SCHED_ARGS: extra run options of one scenario (fidelity.sh: --record FILE; rules.sh: --rules FILE)
  # --no-learner: the scenarios measure the scheduler at fixed parameters (no learner JVM, no
  # canaries); canary.sh sets JL_LEARNER=1 for run's learner child and JL_HTTP_PORT for a known port
  local learner=--no-learner
  [ "${JL_LEARNER:-0}" = 1 ] && learner=
  # shellcheck disable=SC2086
  $JL_JAVA $JL_JVM_FLAGS $(jl_gc_flag) -jar $JL_JAR run --duration "$jl_duration" --policy "$jl_policy" --http-port "${JL_HTTP_PORT:-0}" $learner $JL_RUN_EXTRA $JL_SCHED_ARGS $jl_run_flag \
    > "$SCHED_OUT" 2> "$SCHED_ERR" < /dev/null &
  SCHED_PID=$!
}

# wait_enabled TIMEOUT_S: 0 once state=enabled and root/ops=javaland; ENABLE_MS = ms after start.
# Gives up early when the scheduler process died, or when a scheduler was enabled and is already
# gone again (enable_seq moved but the state is disabled: e.g. a stall exit that starved this
# very loop); then WAS_ENABLED=1.
wait_enabled() {
  local deadline=$(( $(now_ms) + $1 * 1000 )) seq0 seq
  ENABLE_MS=
  WAS_ENABLED=0
  seq0=$(cat $JL_SCX/enable_seq 2>/dev/null || echo 0)
  while [ "$(now_ms)" -lt "$deadline" ]; do
    if [ "$(scx_state)" = enabled ] && [ "$(scx_ops)" = javaland ]; then
      ENABLE_MS=$(( $(now_ms) - SCHED_START_MS ))
      WAS_ENABLED=1
      return 0
    fi
    alive "$SCHED_PID" || return 1
    seq=$(cat $JL_SCX/enable_seq 2>/dev/null || echo 0)
    if [ "$seq" != "$seq0" ] && [ "$(scx_state)" = disabled ]; then
      WAS_ENABLED=1
      return 1
    fi
    sleep 0.2
  done
  return 1
}

# wait_exit PID TIMEOUT_S: 0 when PID has ended within the timeout.
wait_exit() {
  local deadline=$(( $(now_ms) + $2 * 1000 ))
  while alive "$1"; do
    [ "$(now_ms)" -lt "$deadline" ] || return 1
    sleep 0.1
  done
  return 0
}

# The JSON object on the scheduler's last JAVALAND_STATS line, verbatim, or null.
sched_stats() {
  local line
  line=$(grep '^JAVALAND_STATS ' "$SCHED_OUT" 2>/dev/null | tail -n1 | cut -d' ' -f2- | tr -d '\r')
  case "$line" in
    '{'*'}') printf '%s' "$line" ;;
    *) printf 'null' ;;
  esac
}

# Copy the tail of a file to the console between markers.
log_tail() { # log_tail NAME FILE [LINES]
  echo "JL_LOG_BEGIN $1"
  tail -n "${3:-40}" "$2" 2>/dev/null | tr -d '\r'
  echo "JL_LOG_END $1"
}

# stop_scheduler NAME: SIGTERM the scheduler (kill -9 after jl_term_s), wait for it; sets
# ALIVE_AT_TERM, TERM_MS, SCHED_RC and STATE_AFTER.
stop_scheduler() {
  local name=$1 t
  ALIVE_AT_TERM=0
  TERM_MS=
  if alive "$SCHED_PID"; then
    ALIVE_AT_TERM=1
    t=$(now_ms)
    kill -TERM "$SCHED_PID"
    if wait_exit "$SCHED_PID" "$jl_term_s"; then
      TERM_MS=$(( $(now_ms) - t ))
      mark "$name" "scheduler exited $(fmt_s "$TERM_MS") s after SIGTERM"
    else
      mark "$name" "scheduler still running ${jl_term_s} s after SIGTERM: kill -9"
      kill -KILL "$SCHED_PID"
      wait_exit "$SCHED_PID" 10
    fi
  fi
  wait "$SCHED_PID"
  SCHED_RC=$?
  sleep 0.5
  STATE_AFTER=$(scx_state)
  scx_dump_log "$name"
}

# not_enabled NAME: after wait_enabled failed, say why (never enabled, enabled then gone, or the
# scheduler process died first); sets STATE_DURING and OPS.
not_enabled() {
  STATE_DURING=$(scx_state)
  OPS=$(scx_ops)
  if alive "$SCHED_PID"; then
    if [ "$WAS_ENABLED" = 1 ]; then
      mark "$1" "scheduler was enabled but is already gone (state=$STATE_DURING)"
    else
      mark "$1" "scheduler not enabled after ${jl_enable_s} s (state=$STATE_DURING)"
    fi
  else
    mark "$1" "scheduler exited before enabling (state=$STATE_DURING)"
  fi
}
