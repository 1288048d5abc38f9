package javaland.testbed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The faults scenario's verdicts from the guest's JSON: three SysRq-S, two restarts, then exit 4. */
class FaultsRulesTest {
  private static final String OK = """
      {"scenario":"faults","ops":"javaland","enable_ms":9800,"unloads":[
      {"state_before":"enabled","ms_to_disabled":120,"ms_to_enabled":3900,"ops_after":"javaland"},
      {"state_before":"enabled","ms_to_disabled":90,"ms_to_enabled":5100,"ops_after":"javaland"},
      {"state_before":"enabled","ms_to_disabled":100,"ms_to_enabled":null,"ops_after":null}],
      "rounds":3,"exit_code":4,"state_after":"disabled","workload_exit_code":0,
      "audit_events":"start,swap,unload,unload_revert,restart,unload,restart,unload,give_up","kernel_log":[],
      "swap":{"http_status":202,"ms":9000,"state":"enabled","ops":"javaland","enable_seq_moved":false,"in_force":true,"said":"swapped in fifo"},
      "freeze":{"seconds":10,"state":"enabled","enable_seq_moved":false,"fallbacks_before":100,"fallbacks_after":900,
      "user_dispatches_after":[5000,5400],"latency":{"exit_code":0,"samples":9000,"p99_us":101000}},
      "storm":{"forks":4800,"fork_ops":2400,"clone_ops":900,"pthread_ops":1500,"storm_exit_code":0,"peak_threads":2001,
      "threads_exit_code":0,"state":"enabled","enable_seq_moved":false,"queued":[9000,30000],"user_dispatches":[8800,29000],
      "cancelled":[150,900],"undecided":[0,0]},
      "memory":{"exit_code":0,"mem_total_kb":2000000,"mem_available_min_kb":250000,"vmlck_kb":[300000,300000,301000],
      "state":"enabled","enable_seq_moved":false},
      "harmful_swap":{"commit_status":200,"policy":"throwing","http_status":202,"event":"guard_revert","ms":2400,"windows":2,"why":"policy faults","state":"enabled"},
      "bad_cpu_swap":{"policy":"bad-cpu","http_status":202,"event":"guard_revert","ms":900,"windows":1,"why":"policy faults","state":"enabled"},
      "forced_unload":{"http_status":202,"ms_to_disabled":300,"ms_to_enabled":2900,"stayed_enabled":true,"kernel_log_lines":1},
      "stats":{"policy":"deadline","restarts":{"unloads":3,"restarts":2,"gave_up":1}}}""";

  private static ObjectNode parse(String s) throws Exception {
    return (ObjectNode) new ObjectMapper().readTree(s);
  }

  private static List<String> failed(JsonNode g) {
    return PassRules.checks("faults", g, null, null).stream().filter(c -> !c.pass()).map(Check::name).toList();
  }

  @Test
  void threeUnloadsTwoRestartsAndExitFourPass() throws Exception {
    List<Check> checks = PassRules.checks("faults", parse(OK), null, null);
    assertEquals(List.of(), failed(parse(OK)), checks::toString);
    assertTrue(checks.stream().anyMatch(c -> c.name().equals("sysrq_2_restarted")), checks::toString);
  }

  @Test
  void noRestartAfterTheFirstUnloadFails() throws Exception {
    ObjectNode g = parse(OK.replace("\"ms_to_enabled\":3900,\"ops_after\":\"javaland\"", "\"ms_to_enabled\":null,\"ops_after\":null"));
    assertEquals(List.of("sysrq_1_restarted"), failed(g));
  }

  @Test
  void aStallBeforeTheSysrqsCountsTowardTheLimit() throws Exception {
    // the kernel's own unload (a stall) first, then two SysRq-S: restart, give-up
    ObjectNode g = parse(OK);
    ((com.fasterxml.jackson.databind.node.ArrayNode) g.get("unloads")).remove(1);
    assertEquals(List.of(), failed(g));
    ((com.fasterxml.jackson.databind.node.ArrayNode) g.get("unloads")).remove(0);
    assertEquals(List.of("restarted_after_a_sysrq"), failed(g), "a give-up at the first SysRq-S proves no restart");
  }

  @Test
  void exitThreeOrAnotherAuditOrderFails() throws Exception {
    ObjectNode g = parse(OK);
    g.put("exit_code", 3);
    g.put("audit_events", "start,swap,unload,restart,unload,give_up");
    ((ObjectNode) g.get("stats").get("restarts")).put("restarts", 1);
    assertEquals(List.of("exit_code_4", "restarts_counted", "restart_not_the_canary", "audit_unload_restart_give_up"), failed(g));
  }

  @Test
  void aSwapThatWentThroughTheDefaultSchedulerFails() throws Exception {
    ObjectNode g = parse(OK);
    ((ObjectNode) g.get("swap")).put("enable_seq_moved", true);
    assertEquals(List.of("swap_while_attached"), failed(g));
  }

  @Test
  void aFreezeThatUnloadedOrAJavaThatNeverCameBackFails() throws Exception {
    ObjectNode g = parse(OK);
    ((ObjectNode) g.get("freeze")).put("state", "disabled");
    ((ObjectNode) g.get("freeze")).putArray("user_dispatches_after").add(5000).add(5000);
    assertEquals(List.of("freeze_no_unload", "freeze_java_resumed"), failed(g));
  }

  @Test
  void aStormThatUnloadedLostRecordsOrStayedSmallFails() throws Exception {
    ObjectNode g = parse(OK);
    ObjectNode st = (ObjectNode) g.get("storm");
    st.put("enable_seq_moved", true);
    st.put("forks", 700);
    st.put("peak_threads", 1025);
    st.putArray("user_dispatches").add(8800).add(20000); // 9,000 records neither decided, cancelled nor counted
    assertEquals(List.of("storm_no_unload", "storm_forks", "threads_2000", "storm_records_counted"), failed(g));
  }

  @Test
  void memoryThatWasNotFilledOrNotLockedFails() throws Exception {
    ObjectNode g = parse(OK);
    ObjectNode m = (ObjectNode) g.get("memory");
    m.put("mem_available_min_kb", 1200000);
    m.putArray("vmlck_kb").add(300000).add(120000).add(300000);
    m.put("state", "disabled");
    assertEquals(List.of("memory_pressure", "memory_locked", "memory_no_unload"), failed(g));
    m.putArray("vmlck_kb").add(0).add(0).add(0);
    assertTrue(failed(g).contains("memory_locked"), "nothing locked at all");
  }

  @Test
  void aHarmfulPolicyRevertedLateOrNotByTheGuardFails() throws Exception {
    ObjectNode g = parse(OK);
    ((ObjectNode) g.get("harmful_swap")).put("windows", FaultsRules.HARMFUL_WINDOWS_MAX + 1);
    assertEquals(List.of("harmful_reverted_by_guard"), failed(g));
    ((ObjectNode) g.get("harmful_swap")).put("windows", 1).put("event", "timeout_revert");
    assertEquals(List.of("harmful_reverted_by_guard"), failed(g));
    g = parse(OK);
    ((ObjectNode) g.get("bad_cpu_swap")).put("http_status", 409);
    assertEquals(List.of("bad_cpu_reverted_by_guard"), failed(g));
    g.remove("bad_cpu_swap");
    assertEquals(List.of("bad_cpu_reverted_by_guard"), failed(g), "a boot that never got that far");
  }

  @Test
  void aForcedUnloadWithoutARestartOrThatCameBackFails() throws Exception {
    ObjectNode g = parse(OK);
    ((ObjectNode) g.get("forced_unload")).put("stayed_enabled", false);
    assertEquals(List.of("forced_unload_restarted"), failed(g));
    ((ObjectNode) g.get("forced_unload")).put("stayed_enabled", true).putNull("ms_to_enabled");
    assertEquals(List.of("forced_unload_restarted"), failed(g));
  }

  @Test
  void aSysrqThatDidNotUnloadIsNamed() throws Exception {
    ObjectNode g = parse(OK);
    ((ObjectNode) g.get("unloads").get(2)).putNull("ms_to_disabled");
    assertEquals(List.of("sysrq_3_disabled"), failed(g));
  }
}
