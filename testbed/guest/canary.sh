# Scenario "canary": the REST API, the online learner and the canary's hard guards on the real
# kernel, in one run of the scheduler with a registry, a static API token and run's learner child
# (as nobody, through setpriv), beside the smoke mix:
#   1. the API answers: `javaland policy status` and `params` (the jar's CLI), a request without
#      a token gets 401;
#   2. the learner (1 s windows) proposes and gets a verdict; the runtime's audit log records both;
#   3. the learner is killed with kill -9 (mid-canary when it proposes again within
#      jl_canary_propose_s; its orphaned canary is then rolled back through the API), and a
#      deliberately harmful parameter set (lab/specs/learner-rollback.yaml's) is proposed
#      through the API: the runtime's guard must revert it by itself, the kernel staying attached;
#   4. `javaland policy history`, then SIGTERM: a clean exit.
# The guest gathers facts; PassRules judges them (from the audit lines, among others).
# Sourced by /init inside a subshell; lib.sh is loaded.
S=canary
C=/tmp/canary
REG=$C/registry
PORT=8740
URL=http://127.0.0.1:$PORT
mkdir -p $C
(umask 077 && printf '# canary scenario\n%s\n' "$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')" > $C/api-token)
TOKEN=$(grep -v '^#' $C/api-token | head -n1)
AUDIT=$REG/audit.jsonl
HARMFUL='"slice_max_us":100000,"slice_min_us":20000,"max_delay_us":2000000,"slice_lag_us":1000000,"exec_cap_us":10000000,"kernel.slice_us":1000000,"kernel.wakeup_preempt":0'

# http METHOD PATH [BODY] [noauth]: one HTTP/1.1 request with busybox nc; prints the response
# (status line, headers, body). A JVM per request (the CLI) costs seconds under TCG.
http() {
  local auth="Authorization: Bearer $TOKEN\r\n"
  [ "$4" = noauth ] && auth=
  printf "%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n${auth}Content-Type: application/json\r\nContent-Length: %d\r\n\r\n%s" \
    "$1" "$2" "${#3}" "$3" > $C/.request
  # stdin stays open until the server closes (Connection: close): nc -w ended a PUT before its answer
  { cat $C/.request; sleep 5; } | timeout 30 nc 127.0.0.1 $PORT 2>/dev/null | tr -d '\r'
}
http_status() { head -n1 | cut -d' ' -f2; }
# wait_api TIMEOUT_S: 0 once something listens on $PORT. `run` attaches the kernel before it starts
# the control plane, so sched_ext reports enabled well before the API answers (21 s under TCG).
wait_api() {
  local deadline=$(( $(now_ms) + $1 * 1000 )) hex
  hex=$(printf ':%04X ' "$PORT")
  while [ "$(now_ms)" -lt "$deadline" ]; do
    grep -q "$hex[0-9A-F:]* 0A " /proc/net/tcp /proc/net/tcp6 2>/dev/null && return 0
    alive "$SCHED_PID" || return 1
    sleep 0.5
  done
  return 1
}
# cli NAME ARGS...: the jar's `policy` client; output in $C/NAME.out, exit code in CLI_RC
cli() {
  local name=$1 t
  shift
  t=$(now_ms)
  # shellcheck disable=SC2086
  timeout -s KILL 120 $JL_JAVA -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmx64m -jar $JL_JAR policy --url $URL --token-file $C/api-token "$@" \
    > $C/$name.out 2>&1 < /dev/null
  CLI_RC=$?
  mark $S "javaland policy $*: exit $CLI_RC after $(fmt_s $(( $(now_ms) - t ))) s, $(wc -l < $C/$name.out) lines"
}
lines() { [ -f "$AUDIT" ] && wc -l < "$AUDIT" || echo 0; }
# The audit lines after line $1 whose event is $2 (a grep -E alternative)
events_after() { tail -n +$(( $1 + 1 )) "$AUDIT" 2>/dev/null | grep -E "\"event\": ?\"($2)\""; }
last_event() { tail -n1 "$AUDIT" 2>/dev/null | sed -n 's/.*"event": \{0,1\}"\([a-z_]*\)".*/\1/p'; }
last_author() { tail -n1 "$AUDIT" 2>/dev/null | sed -n 's/.*"author": \{0,1\}"\([^"]*\)".*/\1/p'; }
# The last "learner started (pid N" of run's output
learner_pid() { sed -n 's/^javaland: learner started (pid \([0-9]*\).*/\1/p' "$SCHED_OUT" 2>/dev/null | tail -n1; }
# A file of JSON lines as a JSON array (the last N lines)
json_lines() {
  local first=1 line
  printf '['
  if [ -f "$1" ]; then
    tail -n "$2" "$1" > $C/.lines
    while IFS= read -r line; do
      case "$line" in '{'*'}') ;; *) continue ;; esac
      [ $first = 1 ] || printf ','
      first=0
      printf '%s' "$line"
    done < $C/.lines
  fi
  printf ']'
}

JL_HTTP_PORT=$PORT
JL_LEARNER=1
JL_SCHED_ARGS="--registry $REG --api-token-file $C/api-token --canary-timeout 30s --learner-arg window=1s \
--learner-arg min-windows=4 --learner-arg max-candidate-windows=12 --learner-arg progress=5s"
mark $S "starting scheduler (policy $jl_policy) with a registry, an API token and the learner child"
start_scheduler $S

during= ops= wl_rc= unauth_status= status_rc= params_rc= history_rc= learner_started= learner_uid=
verdict_ms= learner_verdict= killed_pid= killed_mid_canary=0 kill_ms= orphan_rollback_status=
harmful_status= harmful_line= revert_ms= revert_event= state_after_revert= enable_seq_revert=
if wait_enabled "$jl_enable_s"; then
  enable_seq0=$(cat $JL_SCX/enable_seq 2>/dev/null)
  during=$(scx_state)
  ops=$(scx_ops)
  mark $S "scheduler enabled after $(fmt_s "$ENABLE_MS") s (ops=$ops)"
  # 1. the API: no token -> 401; the CLI (before the workload: a JVM starting beside the
  # workload and the learner's JVM takes minutes under TCG)
  t=$(now_ms)
  wait_api 120 || mark $S "nothing listens on port $PORT after $(fmt_s $(( $(now_ms) - t ))) s"
  mark $S "API listening $(fmt_s $(( $(now_ms) - t ))) s after sched_ext reported enabled"
  t=$(now_ms)
  unauth_status=$(http GET /api/v1/status "" noauth | http_status)
  mark $S "GET /api/v1/status without a token: HTTP $unauth_status after $(fmt_s $(( $(now_ms) - t ))) s"
  cli status status
  status_rc=$CLI_RC
  cli params params
  params_rc=$CLI_RC

  # CPU hogs outnumbering the CPUs and short sleepers (the smoke mix without its fork storm)
  wl_cmd="stress-ng --cpu 4 --sleep 1 --sleep-max 8 --timeout 900s --metrics-brief"
  mark $S "workload until the end: $wl_cmd"
  (cd /tmp && exec $wl_cmd) > /tmp/$S.workload.log 2>&1 &
  wl_pid=$!

  # 2. the learner proposes and gets a verdict (in the runtime's audit log)
  t0=$(now_ms)
  deadline=$(( t0 + jl_canary_learn_s * 1000 ))
  while [ "$(now_ms)" -lt "$deadline" ]; do
    n=$(grep -n -E '"event": ?"propose"' "$AUDIT" 2>/dev/null | grep -E '"author": ?"learner' | head -n1 | cut -d: -f1)
    if [ -n "$n" ]; then
      learner_verdict=$(events_after "$n" 'commit|rollback|guard_revert|timeout_revert' | head -n1 \
        | sed -n 's/.*"event": \{0,1\}"\([a-z_]*\)".*/\1/p')
      [ -n "$learner_verdict" ] && break
    fi
    alive "$SCHED_PID" || break
    sleep 1
    if [ $(( ($(now_ms) - t0) / 1000 % 15 )) = 0 ]; then
      mark $S "waiting for the learner: $(grep -E '^(javaland-learn|javaland): ' "$SCHED_OUT" | tail -n1 | cut -c1-200)"
    fi
  done
  learner_started=$(learner_pid)
  [ -n "$learner_started" ] && learner_uid=$(sed -n 's/^Uid:[[:space:]]*\([0-9]*\).*/\1/p' /proc/$learner_started/status 2>/dev/null)
  if [ -n "$learner_verdict" ]; then
    verdict_ms=$(( $(now_ms) - t0 ))
    mark $S "the learner's first proposal ended in $learner_verdict ($(fmt_s $verdict_ms) s after the workload began)"
  else
    mark $S "no learner verdict within ${jl_canary_learn_s} s (learner pid ${learner_started:-none})"
  fi

  # 3. kill -9 the learner, mid-canary if it proposes again soon
  deadline=$(( $(now_ms) + jl_canary_propose_s * 1000 ))
  while [ "$(now_ms)" -lt "$deadline" ]; do
    if [ "$(last_event)" = propose ] && case "$(last_author)" in learner*) true ;; *) false ;; esac; then
      killed_mid_canary=1
      break
    fi
    sleep 0.3
  done
  killed_pid=$(learner_pid)
  if [ -n "$killed_pid" ] && alive "$killed_pid"; then
    [ -z "$learner_uid" ] && learner_uid=$(sed -n 's/^Uid:[[:space:]]*\([0-9]*\).*/\1/p' /proc/$killed_pid/status 2>/dev/null)
    kill -KILL "$killed_pid"
    kill_ms=$(now_ms)
    mark $S "kill -9 learner pid $killed_pid (uid $learner_uid, mid-canary $killed_mid_canary)"
    if [ "$killed_mid_canary" = 1 ] && [ "$(last_event)" = propose ]; then
      # nobody judges the learner's canary now; end it, as an operator would, to make room for
      # the harmful proposal (a second proposal while a canary runs is refused with 409)
      orphan_rollback_status=$(http POST /api/v1/rollback '{"reason":"vm canary: the learner was killed mid-canary"}' | http_status)
      mark $S "POST /api/v1/rollback of the killed learner's canary: HTTP $orphan_rollback_status"
    fi
  else
    mark $S "no live learner to kill (pid ${killed_pid:-none})"
    killed_pid=
  fi

  # the harmful set, with no learner judging it
  before=$(lines)
  t=$(now_ms)
  harmful_status=$(http PUT /api/v1/parameters "{\"values\":{$HARMFUL},\"reason\":\"vm canary: a deliberately harmful set\",\"origin\":{\"author\":\"vm-canary\",\"data\":\"lab/specs/learner-rollback.yaml\"}}" | http_status)
  mark $S "PUT /api/v1/parameters (harmful set): HTTP $harmful_status"
  deadline=$(( t + jl_canary_revert_s * 1000 ))
  while [ "$(now_ms)" -lt "$deadline" ]; do
    harmful_line=$(events_after "$before" 'propose' | grep -E '"author": ?"vm-canary' | head -n1)
    if [ -n "$harmful_line" ]; then
      revert_event=$(events_after "$before" 'commit|rollback|guard_revert|timeout_revert' | head -n1 \
        | sed -n 's/.*"event": \{0,1\}"\([a-z_]*\)".*/\1/p')
      [ -n "$revert_event" ] && break
    fi
    sleep 0.25
  done
  if [ -n "$revert_event" ]; then
    revert_ms=$(( $(now_ms) - t ))
    mark $S "harmful set ended in $revert_event within $(fmt_s $revert_ms) s"
  else
    mark $S "harmful set not ended within ${jl_canary_revert_s} s"
  fi
  sleep 1
  state_after_revert=$(scx_state)
  enable_seq_revert=$(cat $JL_SCX/enable_seq 2>/dev/null)
  mark $S "after the revert: state $state_after_revert, enable_seq $enable_seq0 -> $enable_seq_revert"

  # 4. the workload ends, then the history through the CLI, then the end
  kill -TERM "$wl_pid" 2>/dev/null
  wait "$wl_pid"
  wl_rc=$?
  cli history history
  history_rc=$CLI_RC
else
  not_enabled $S
  during=$STATE_DURING
  ops=$OPS
fi

stop_scheduler $S
mark $S "scheduler exit code $SCHED_RC, state $STATE_AFTER"

log_tail $S.sched.out "$SCHED_OUT" 60
log_tail $S.sched.err "$SCHED_ERR" 40
log_tail $S.status $C/status.out 20
log_tail $S.history $C/history.out 30
scx_klog > /tmp/$S.dmesg
log_tail $S.dmesg /tmp/$S.dmesg 20

# the learner's own events (JSON lines in run's output), trimmed to event, reason and author
learner_events() {
  grep -E '^\{"at":.*"event": ?"(start|propose|commit|rollback|inconclusive|guard_revert|lost|orphan_rollback)"' "$SCHED_OUT" 2>/dev/null \
    | sed 's/\("figures"\|"values"\).*$/"trimmed":true}/' | tail -n 12 > $C/learner-events.jsonl
  json_lines $C/learner-events.jsonl 12
}

result $S "{\"scenario\":\"$S\",\"state_during\":$(js "$during"),\"ops\":$(js "$ops"),\"enable_ms\":$(jn "$ENABLE_MS"),\
\"unauth_status\":$(jn "$unauth_status"),\"cli_status_exit\":$(jn "$status_rc"),\"cli_params_exit\":$(jn "$params_rc"),\
\"cli_history_exit\":$(jn "$history_rc"),\"cli_params_lines\":$(jn "$(wc -l < $C/params.out 2>/dev/null)"),\
\"cli_history_lines\":$(jn "$(wc -l < $C/history.out 2>/dev/null)"),\
\"learner_pid\":$(jn "$learner_started"),\"learner_uid\":$(jn "$learner_uid"),\"learner_verdict\":$(js "$learner_verdict"),\
\"verdict_ms\":$(jn "$verdict_ms"),\"killed_pid\":$(jn "$killed_pid"),\"killed_mid_canary\":$(jb "$killed_mid_canary"),\
\"orphan_rollback_status\":$(jn "$orphan_rollback_status"),\"harmful_status\":$(jn "$harmful_status"),\
\"revert_event\":$(js "$revert_event"),\"revert_ms\":$(jn "$revert_ms"),\"state_after_revert\":$(js "$state_after_revert"),\
\"enable_seq\":$(jn "$enable_seq0"),\"enable_seq_after_revert\":$(jn "$enable_seq_revert"),\
\"workload_exit_code\":$(jn "$wl_rc"),\"exit_code\":$(jn "$SCHED_RC"),\"state_after\":$(js "$STATE_AFTER"),\
\"learner_restarts\":$(jn "$(grep -c 'javaland: learner started' "$SCHED_OUT" 2>/dev/null)"),\
\"audit\":$(json_lines "$AUDIT" 40),\"learner_events\":$(learner_events),\
\"kernel_log\":$(scx_klog_json),\"stats\":$(sched_stats)}"
