# Scenario "jvmstart" (diagnostic): how long the guest JVM takes to start: java -version with the
# scheduler's flags twice (the first run also reads the files for the first time), then once with
# class data sharing off (-Xshare:off) to show what the JRE's CDS archive saves. No scheduler.
S=jvmstart
run_ms() { # run_ms OUTFILE ARGS... -> MS = milliseconds, RC = exit code
  local out=$1 t
  shift
  t=$(now_ms)
  # shellcheck disable=SC2086
  $JL_JAVA $JL_JVM_FLAGS $(jl_gc_flag) "$@" -version > "$out" 2>&1
  RC=$?
  MS=$(( $(now_ms) - t ))
}
run_ms /tmp/$S.out; first_ms=$MS; rc1=$RC
run_ms /tmp/$S.out2; second_ms=$MS; rc2=$RC
run_ms /tmp/$S.out3 -Xshare:off; noshare_ms=$MS; rc3=$RC
mark $S "java -version: ${first_ms} ms, then ${second_ms} ms; ${noshare_ms} ms with -Xshare:off"
log_tail $S.out /tmp/$S.out 5
version=$(head -n1 /tmp/$S.out)
result $S "{\"scenario\":\"$S\",\"version\":$(js "$version"),\"exit_code\":$(jn "$rc1"),\
\"first_ms\":$(jn "$first_ms"),\"second_ms\":$(jn "$second_ms"),\"noshare_ms\":$(jn "$noshare_ms"),\
\"exit_codes\":[$(jn "$rc1"),$(jn "$rc2"),$(jn "$rc3")],\"state_after\":$(js "$(scx_state)")}"
