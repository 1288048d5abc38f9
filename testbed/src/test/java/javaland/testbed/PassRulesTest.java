package javaland.testbed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class PassRulesTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final PassRules.Context CTX = PassRules.Context.of("7.3.4+deb13-cloud-amd64");

  private static final String STATS = """
      {"policy":"interactive-first","user_dispatches":9000,"kernel_dispatches":5000,"exempt_dispatches":3000,"idle_dispatches":1500,
       "fallbacks":200,"cancelled":12,"exit_kind":64,"exit_reason":"unregistered from user space",
       "roundtrip_us":{"p50":180,"p99":2400,"max":90000},"dispatches_per_s":700.5}""";

  /** smoke's second run under MisbehavingPolicy, with the figures of a real run (2026-12-07). */
  private static final String MISBEHAVING_OK = """
      {"state_during":"enabled","workload_exit_code":0,"state_after_workload":"enabled","exit_code":0,"state_after":"disabled",
       "kernel_log":["sched_ext: BPF scheduler \\"javaland\\" enabled",
                     "sched_ext: BPF scheduler \\"javaland\\" disabled (unregistered from user space)"],
       "stats":{"policy":"misbehaving","user_dispatches":644,"kernel_dispatches":2690,"bounced":644,"slice_clamped":644,
                "deadline_clamped":644,"policy_faults":{"threw":18,"overran":1,"undecided":13},"exit_kind":64,
                "exit_reason":"unregistered from user space"}}""";

  private static final String SMOKE_OK = """
      {"scenario":"smoke","policy":"interactive-first","state_during":"enabled","ops":"javaland","enable_ms":5150,"was_enabled":true,
       "workload_exit_code":0,"workload_ms":20590,"workload_s":20,"state_after_workload":"enabled",
       "alive_at_term":true,"term_ms":1000,"exit_code":0,"state_after":"disabled",
       "kernel_log":["sched_ext: BPF scheduler \\"javaland\\" enabled",
                     "sched_ext: BPF scheduler \\"javaland\\" disabled (unregistered from user space)"],
       "stats":%s,"misbehaving":%s,"service":{"installed":false,"expected":false}}""".formatted(STATS, MISBEHAVING_OK);

  private static final String KILL_OK = """
      {"scenario":"kill","state_during":"enabled","ops":"javaland","enable_ms":6180,"state_before_kill":"enabled",
       "ms_to_disabled":70,"state_after":"disabled","workload_exit_code":0,"workload_completed":true,
       "exit_code":137,"kernel_log":[],"stats":null}""";

  private static ObjectNode parse(String json) throws Exception {
    return (ObjectNode) JSON.readTree(json);
  }

  private static ScenarioResult eval(String scenario, JsonNode guest) {
    return PassRules.evaluate(scenario, guest, CTX);
  }

  private static List<String> failed(ScenarioResult r) {
    return r.failedChecks();
  }

  @Test
  void smokePasses() throws Exception {
    ScenarioResult r = eval("smoke", parse(SMOKE_OK));
    assertTrue(r.pass(), () -> r.toJson());
    assertEquals(9000L, r.userDispatches());
    assertEquals(5000L, r.kernelDispatches());
    assertEquals(64L, r.exitKind());
    assertEquals(0L, r.stallExits());
    assertEquals(0L, r.exitCode());
    assertEquals(2400, r.roundtripUs().get("p99").asInt());
    assertEquals(700.5, r.dispatchesPerS());
    assertEquals("7.3.4+deb13-cloud-amd64", r.kernel());
    assertFalse(r.retried());
  }

  @Test
  void smokeFailsWhenTheMisbehavingPolicyWasNotContained() throws Exception {
    ObjectNode g = parse(SMOKE_OK);
    ObjectNode m = (ObjectNode) g.get("misbehaving");
    ((ObjectNode) m.get("stats")).put("slice_clamped", 0).put("exit_kind", 1026);
    ((ObjectNode) m.get("stats").get("policy_faults")).put("threw", 0);
    m.put("state_after_workload", "disabled").put("exit_code", 1);
    m.putArray("kernel_log").add("sched_ext: BPF scheduler \"javaland\" disabled (runnable task stall)");
    assertEquals(List.of("misbehaving_enabled_through_workload", "misbehaving_slice_clamped", "misbehaving_policy_threw",
        "misbehaving_no_stall_exit", "misbehaving_exit_kind_unreg", "misbehaving_exit_code_0"), failed(eval("smoke", g)));
    g.remove("misbehaving");
    assertEquals(List.of("misbehaving_run_present"), failed(eval("smoke", g)));
  }

  @Test
  void smokeJsonHasTheFieldsTheCliPrints() throws Exception {
    JsonNode j = JSON.readTree(eval("smoke", parse(SMOKE_OK)).toJson());
    for (String f : List.of("scenario", "kernel", "state_during", "ops", "user_dispatches", "kernel_dispatches",
        "cancelled", "fallbacks", "stall_exits", "exit_kind", "exit_reason", "exit_code", "roundtrip_us",
        "dispatches_per_s", "pass", "checks", "retried")) {
      assertTrue(j.has(f), f);
    }
    assertTrue(j.get("pass").asBoolean());
    assertEquals("unregistered from user space", j.get("exit_reason").asText());
    assertEquals(180, j.get("roundtrip_us").get("p50").asInt());
    assertTrue(j.get("checks").isArray());
    assertTrue(j.get("checks").get(0).has("name"));
    assertEquals(9000, j.get("guest").get("stats").get("user_dispatches").asInt());
  }

  @Test
  void smokeFailsWhenJavaDidNotMakeMostDispatches() throws Exception {
    ObjectNode g = parse(SMOKE_OK);
    // kernel 5000 - exempt 3000 = 2000 dispatched by BPF alone; Java made exactly as many: not most
    ((ObjectNode) g.get("stats")).put("user_dispatches", 2000);
    ScenarioResult r = eval("smoke", g);
    assertFalse(r.pass());
    assertEquals(List.of("most_dispatches_by_java"), failed(r));
  }

  @Test
  void smokeFailsWhenTheSchedulerRanAnotherPolicyThanTheJars() throws Exception {
    ObjectNode g = parse(SMOKE_OK);
    ((ObjectNode) g.get("stats")).put("policy", "deadline");
    ScenarioResult r = eval("smoke", g);
    assertEquals(List.of("policy_from_jar"), failed(r));
  }

  @Test
  void exemptDispatchesDoNotCountAgainstJava() throws Exception {
    ObjectNode g = parse(SMOKE_OK);
    ObjectNode s = (ObjectNode) g.get("stats");
    s.put("user_dispatches", 1000).put("kernel_dispatches", 50_000).put("exempt_dispatches", 49_500);
    assertTrue(eval("smoke", g).pass());
  }

  @Test
  void smokeFailsOnStallExit() throws Exception {
    ObjectNode g = parse(SMOKE_OK);
    ((ObjectNode) g.get("stats")).put("exit_kind", 1026).put("exit_reason", "runnable task stall");
    g.put("state_after_workload", "disabled");
    ScenarioResult r = eval("smoke", g);
    assertFalse(r.pass());
    assertEquals(List.of("enabled_through_workload", "no_stall_exit", "exit_kind_unreg"), failed(r));
    assertEquals(1L, r.stallExits());
  }

  @Test
  void aStallInTheKernelLogFailsEvenWithoutStats() throws Exception {
    ObjectNode g = parse(SMOKE_OK);
    g.putNull("stats");
    g.putArray("kernel_log").add("sched_ext: BPF scheduler \"javaland\" disabled (runnable task stall)");
    ScenarioResult r = eval("smoke", g);
    assertFalse(r.pass());
    assertTrue(failed(r).containsAll(List.of("stats_present", "most_dispatches_by_java", "no_stall_exit",
        "exit_kind_unreg")), failed(r).toString());
    assertEquals(1L, r.stallExits());
    assertNull(r.userDispatches());
  }

  @Test
  void reportedStallExitsFail() throws Exception {
    ObjectNode g = parse(SMOKE_OK);
    ((ObjectNode) g.get("stats")).put("stall_exits", 2);
    ScenarioResult r = eval("smoke", g);
    assertEquals(List.of("no_stall_exit"), failed(r));
    assertEquals(2L, r.stallExits());
  }

  @Test
  void smokeFailsOnNonZeroExitCodeAndStateAfter() throws Exception {
    ObjectNode g = parse(SMOKE_OK);
    g.put("exit_code", 143);
    g.put("state_after", "enabled");
    assertEquals(List.of("state_disabled_after_sigterm", "exit_code_0"), failed(eval("smoke", g)));
  }

  @Test
  void smokeFailsWhenNeverEnabled() throws Exception {
    ObjectNode g = parse(SMOKE_OK);
    g.put("state_during", "disabled");
    g.putNull("ops");
    g.putNull("workload_exit_code");
    g.putNull("state_after_workload");
    List<String> f = failed(eval("smoke", g));
    assertTrue(f.containsAll(List.of("state_during_enabled", "ops_javaland", "workload_exit_0",
        "enabled_through_workload")), f.toString());
  }

  @Test
  void smokeFailsOnWorkloadError() throws Exception {
    ObjectNode g = parse(SMOKE_OK);
    g.put("workload_exit_code", 2);
    assertEquals(List.of("workload_exit_0"), failed(eval("smoke", g)));
  }

  @Test
  void missingResultFails() {
    ScenarioResult r = PassRules.evaluate("smoke", null,
        new PassRules.Context("k", true, "guest crash during smoke: Oops: int3", null, "no JL_RESULT for smoke (timed out)",
            7.0, "/tmp/console.log", "single"));
    assertFalse(r.pass());
    assertEquals(List.of("result_present"), failed(r));
    assertTrue(r.checks().get(0).detail().contains("timed out"));
    assertTrue(r.retried());
    JsonNode j = r.toJsonNode();
    assertTrue(j.get("guest").isNull());
    assertTrue(j.get("user_dispatches").isNull());
    assertEquals("guest crash during smoke: Oops: int3", j.get("retry_reason").asText());
    assertEquals("single", j.get("tcg").asText(), "the boot's TCG mode travels with the result");
  }

  @Test
  void aCrashFailsAnOtherwiseGoodResult() throws Exception {
    ScenarioResult r = PassRules.evaluate("smoke", parse(SMOKE_OK), CTX.withCrash("Oops: int3: 0000 [#1] SMP NOPTI"));
    assertFalse(r.pass());
    assertEquals(List.of("no_guest_crash"), failed(r));
  }

  @Test
  void killPasses() throws Exception {
    ScenarioResult r = eval("kill", parse(KILL_OK));
    assertTrue(r.pass(), () -> r.toJson());
    assertEquals(70L, r.msToDisabled());
    assertEquals(137L, r.exitCode());
    assertNull(r.exitKind());
  }

  @Test
  void killFailsWhenDisabledTooLate() throws Exception {
    ObjectNode g = parse(KILL_OK);
    g.put("ms_to_disabled", 10_001);
    assertEquals(List.of("disabled_within_10s"), failed(eval("kill", g)));
    g.put("ms_to_disabled", 10_000);
    assertTrue(eval("kill", g).pass());
    g.putNull("ms_to_disabled");
    g.put("state_after", "enabled");
    assertEquals(List.of("disabled_within_10s"), failed(eval("kill", g)));
  }

  @Test
  void killFailsWhenTheWorkloadDidNotComplete() throws Exception {
    ObjectNode g = parse(KILL_OK);
    g.put("workload_completed", false);
    g.putNull("workload_exit_code");
    assertEquals(List.of("workload_completed", "workload_exit_0"), failed(eval("kill", g)));
  }

  @Test
  void killFailsWhenTheSchedulerWasGoneBeforeTheKill() throws Exception {
    ObjectNode g = parse(KILL_OK);
    g.put("state_before_kill", "disabled");
    assertEquals(List.of("enabled_at_kill"), failed(eval("kill", g)));
  }

  @Test
  void unknownScenarioFails() throws Exception {
    ScenarioResult r = eval("nosuch", parse("{\"scenario\":\"nosuch\",\"error\":\"unknown scenario\"}"));
    assertFalse(r.pass());
    assertEquals(List.of("known_scenario"), failed(r));
  }

  @Test
  void jvmstartNeedsExitCodeZero() throws Exception {
    assertTrue(eval("jvmstart", parse("{\"scenario\":\"jvmstart\",\"exit_code\":0,\"first_ms\":1500}")).pass());
    assertFalse(eval("jvmstart", parse("{\"scenario\":\"jvmstart\",\"exit_code\":1}")).pass());
  }

  @Test
  void numbersMayArriveAsTextOrFloats() throws Exception {
    ObjectNode g = parse(SMOKE_OK);
    ((ObjectNode) g.get("stats")).put("user_dispatches", "9000").put("kernel_dispatches", 5000.0);
    ScenarioResult r = eval("smoke", g);
    assertTrue(r.pass(), () -> r.toJson());
  }
  @Test
  void otherScenariosHaveNoBenchFields() throws Exception {
    JsonNode j = eval("smoke", parse(SMOKE_OK)).toJsonNode();
    assertFalse(j.has("throughput_ratio"));
    assertFalse(j.has("targets_met"));
  }
}
