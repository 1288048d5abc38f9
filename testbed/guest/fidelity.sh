# Scenario "fidelity": record the scheduler's events under the smoke mix (run --record), then
# replay the trace in the guest under the same policy and parameters on the simulated kernel.
# The host compares the replay's scheduling delays with those the kernel measured (PassRules).
# The replay runs here, with the guest's JRE, once the scheduler has detached: the trace (MBs)
# never has to cross the serial console, only the two JSON summaries do.
# Sourced by /init inside a subshell; lib.sh is loaded.
S=fidelity
TRACE=/tmp/$S.jlt

# The kernel's tick (CONFIG_HZ), from jiffies over one second: sched_ext ends a slice only at a
# tick, so the replay must end slices there too. Snapped to the usual values; empty if unknown.
jiffies() { sed -n 's/^jiffies: *\([0-9]*\).*/\1/p' /proc/timer_list 2>/dev/null | head -n1; }
hz=
j1=$(jiffies); t1=$(now_ms); sleep 1; j2=$(jiffies); t2=$(now_ms)
if [ -n "$j1" ] && [ -n "$j2" ] && [ "$t2" -gt "$t1" ]; then
  raw=$(( (j2 - j1) * 1000 / (t2 - t1) ))
  for c in 100 250 300 1000; do
    d=$(( raw > c ? raw - c : c - raw ))
    if [ $(( d * 10 )) -le "$c" ]; then hz=$c; fi
  done
  mark $S "kernel tick: $raw jiffies a second, HZ=${hz:-unknown}"
fi
# The clock a slice is charged by (sched_clock) decides how a slice ends: said for the report.
cs=$(cat /sys/devices/system/clocksource/clocksource0/current_clocksource 2>/dev/null)
mark $S "clocksource ${cs:-unknown}; $(dmesg 2>/dev/null | grep -i -m3 -e 'sched_clock' -e 'tsc:' | tr '\n' ';' | tr -s ' ')"
mark $S "starting scheduler (policy $jl_policy) recording to $TRACE"
JL_RUN_EXTRA="--record $TRACE"
start_scheduler $S

wl_rc=
wl_ms=
if wait_enabled "$jl_enable_s"; then
  mark $S "scheduler enabled after $(fmt_s "$ENABLE_MS") s (ops=$(scx_ops))"
  wl_cmd="stress-ng --cpu 4 --sleep 2 --sleep-max 16 --fork 2 --timeout ${jl_fidelity_s}s --metrics-brief"
  mark $S "workload: $wl_cmd"
  t=$(now_ms)
  (cd /tmp && timeout -s KILL $((jl_fidelity_s + 180)) $wl_cmd) > /tmp/$S.workload.log 2>&1
  wl_rc=$?
  wl_ms=$(( $(now_ms) - t ))
  mark $S "workload exited with $wl_rc after $(fmt_s "$wl_ms") s"
else
  not_enabled $S
fi
stop_scheduler $S
sched_rc=$SCHED_RC
state_after=$STATE_AFTER
trace_bytes=$(stat -c %s "$TRACE" 2>/dev/null)
mark $S "scheduler exit code $sched_rc, state $state_after, trace ${trace_bytes:-missing} bytes"

replay_rc=
replay_ms=
replay=null
# The simulated round trip is set to what this run measured (its p50 and the decide cost per task):
# under TCG the JVM's round trip is milliseconds, the simulator's default is microseconds.
stats_line=$(sched_stats)
rt_us=$(printf '%s' "$stats_line" | sed -n 's/.*"roundtrip_us":{[^}]*"p50":\([0-9.]*\).*/\1/p')
decide_ns=$(printf '%s' "$stats_line" | sed -n 's/.*"decide_ns_per_task":\([0-9]*\).*/\1/p')
calib=
[ -n "$rt_us" ] && calib="--roundtrip-us $rt_us"
[ -n "$decide_ns" ] && calib="$calib --decide-us $(awk "BEGIN{print $decide_ns/1000}")"
[ -n "$hz" ] && calib="$calib --tick-us $((1000000 / hz))"
if [ -s "$TRACE" ]; then
  mark $S "replaying with $calib"
  t=$(now_ms)
  $JL_JAVA --enable-native-access=ALL-UNNAMED -Xmx512m -XX:TieredStopAtLevel=1 -jar $JL_JAR replay \
    --trace "$TRACE" --policy "$jl_policy" --json --progress 0 $calib > /tmp/$S.replay.out 2> /tmp/$S.replay.err < /dev/null
  replay_rc=$?
  replay_ms=$(( $(now_ms) - t ))
  line=$(tail -n1 /tmp/$S.replay.out | tr -d '\r')
  case "$line" in '{'*'}') replay=$line ;; esac
  mark $S "replay exited with $replay_rc after $(fmt_s "$replay_ms") s"
fi

# The trace itself, for a look on the host (VmTestBed saves it next to the logs): gzip and base64
# on the results port only, one line, if it is small enough not to slow the boot down.
if [ -s "$TRACE" ] && [ "${trace_bytes:-0}" -le $((jl_fidelity_keep_kib * 1024)) ] && [ -c /dev/ttyS1 ]; then
  { printf 'JL_FILE %s.jlt.gz ' "$S"; gzip -c "$TRACE" | base64 -w 0; printf '\n'; } > /dev/ttyS1 2>/dev/null || true
fi

log_tail $S.sched.out "$SCHED_OUT" 20
log_tail $S.sched.err "$SCHED_ERR" 30
log_tail $S.replay.err /tmp/$S.replay.err 20
log_tail $S.workload /tmp/$S.workload.log 10

result $S "{\"scenario\":\"$S\",\"enable_ms\":$(jn "$ENABLE_MS"),\"was_enabled\":$(jb "$WAS_ENABLED"),\
\"workload_exit_code\":$(jn "$wl_rc"),\"workload_ms\":$(jn "$wl_ms"),\"exit_code\":$(jn "$sched_rc"),\
\"state_after\":$(js "$state_after"),\"trace_bytes\":$(jn "$trace_bytes"),\"replay_exit_code\":$(jn "$replay_rc"),\
\"replay_ms\":$(jn "$replay_ms"),\"guest_hz\":$(jn "$hz"),\"replay_calibration\":$(js "$calib"),\"stats\":$(sched_stats),\"replay\":$replay}"
