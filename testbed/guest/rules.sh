# Scenario "rules": the classification rules reach the real kernel. Two identical runs of the
# scheduler beside CPU hogs that saturate every CPU: without rules, then with a rules file that
# marks one latency probe latency-critical and another probe (and the hogs) batch. The probes are
# cyclictest copied under two names, so that only their comm tells them apart; each measures its
# own wakeup latency (SCHED_OTHER, so sched_ext schedules it) for $jl_rules_s seconds.
# Sourced by /init inside a subshell; lib.sh is loaded.
S=rules
R=/tmp/rules
mkdir -p $R
cp "$(command -v cyclictest)" $R/lcprobe
cp "$(command -v cyclictest)" $R/batchprobe
cat > $R/rules.yaml <<'YAML'
rules:
  - name: probe-latency-critical
    match: {comm: "^lcprobe$"}
    class: latency-critical
  - name: probe-and-hogs-batch
    match:
      any:
        - comm: "^batchprobe$"
        - comm: "^stress-ng"
    class: batch
YAML
HOGS=$(( $(nproc) * 2 ))

# probe NAME TAG: runs $R/NAME for jl_rules_s; writes {"exit_code":..,"samples":..,"p50_us":..,"p99_us":..} to $R/TAG.NAME.json
probe() {
  local rc
  (cd /tmp && exec timeout -s KILL $((jl_rules_s + 120)) $R/$1 --policy=other -t1 -i 1000 -D "${jl_rules_s}s" \
    -q -m -h 100000) > $R/$2.$1.out 2> $R/$2.$1.err
  rc=$?
  # Histogram lines "LATENCY COUNT"; overflows count as latencies past the histogram's end.
  awk -v rc="$rc" '
    function n(s) { sub(/^0+/, "", s); return s == "" ? 0 : s + 0 }
    /^# Histogram Overflows:/ { ovf = n($4) }
    /^[0-9]/ { c = n($2); if (c > 0) { k++; b[k] = n($1); h[k] = c; all += c } }
    function pct(q,  need, cum, j) { need = q * (all + ovf); cum = 0
      for (j = 1; j <= k; j++) { cum += h[j]; if (cum >= need) return b[j] } return 100000 }
    END { if (all + ovf == 0) { printf "{\"exit_code\":%s,\"samples\":0}", rc; exit }
      printf "{\"exit_code\":%s,\"samples\":%d,\"p50_us\":%d,\"p99_us\":%d,\"overflows\":%d}", rc, all + ovf, pct(0.5), pct(0.99), ovf }
  ' $R/$2.$1.out > $R/$2.$1.json
}
field() { sed -n "s/.*\"$2\":\([0-9]*\).*/\1/p" "$1"; }

run() { # run TAG [SCHEDULER ARGS]: sets RUN_JSON
  local tag=$1 hog lc during ops
  JL_SCHED_ARGS=$2
  mark $S "$tag: starting scheduler $JL_SCHED_ARGS"
  start_scheduler $S.$tag
  during=
  ops=
  if wait_enabled "$jl_enable_s"; then
    during=$(scx_state)
    ops=$(scx_ops)
    mark $S "$tag: scheduler enabled after $(fmt_s "$ENABLE_MS") s; $HOGS hogs and both probes for ${jl_rules_s} s"
    (cd /tmp && exec timeout -s KILL $((jl_rules_s + 120)) stress-ng --cpu "$HOGS" --timeout "$((jl_rules_s + 3))s") \
      > $R/$tag.hog 2>&1 &
    hog=$!
    sleep 1
    probe lcprobe $tag &
    lc=$!
    probe batchprobe $tag
    # Wait for these two only: a bare wait would wait for the scheduler too.
    wait $lc
    wait $hog
    mark $S "$tag: lcprobe p99 $(field $R/$tag.lcprobe.json p99_us) us, batchprobe p99 $(field $R/$tag.batchprobe.json p99_us) us"
  else
    not_enabled $S
  fi
  stop_scheduler $S.$tag
  log_tail $S.$tag.sched.err "$SCHED_ERR" 20
  RUN_JSON="{\"state_during\":$(js "$during"),\"ops\":$(js "$ops"),\"lcprobe\":$(cat $R/$tag.lcprobe.json 2>/dev/null || echo null),\
\"batchprobe\":$(cat $R/$tag.batchprobe.json 2>/dev/null || echo null),\"exit_code\":$(jn "$SCHED_RC"),\
\"state_after\":$(js "$STATE_AFTER"),\"rules_loaded\":$(cat "$SCHED_OUT" "$SCHED_ERR" 2>/dev/null | grep -q 'rules: loaded 2 rule' && echo true || echo false),\
\"stats\":$(sched_stats)}"
}

run without
WITHOUT=$RUN_JSON
run with "--rules $R/rules.yaml"
WITH=$RUN_JSON
scx_klog > /tmp/$S.dmesg
log_tail $S.dmesg /tmp/$S.dmesg 20

result $S "{\"scenario\":\"$S\",\"hogs\":$HOGS,\"probe_s\":$(jn "$jl_rules_s"),\"without\":$WITHOUT,\"with\":$WITH,\
\"kernel_log\":$(scx_klog_json)}"
