package javaland.testbed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.InputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The pass rules of the "canary" scenario (guest/canary.sh), over the JL_RESULT object a real
 * guest printed (resources/vm/canary-guest-boot3.json: boot 2026-11-26 01:35, in which the learner
 * child died at start for want of jdk.httpserver, the history CLI timed out and the kernel ended
 * the scheduler with a stall while the CLI started) and over a copy with those facts repaired.
 */
class CanaryRulesTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final PassRules.Context CTX = PassRules.Context.of("7.3.4+deb13-cloud-amd64");

  static ObjectNode recorded() throws Exception {
    try (InputStream in = CanaryRulesTest.class.getResourceAsStream("/vm/canary-guest-boot3.json")) {
      assertNotNull(in, "vm/canary-guest-boot3.json on the test class path");
      return (ObjectNode) JSON.readTree(in);
    }
  }

  /** The recorded boot with what failed in it made good: a learner proposal and its rollback, and a clean end. */
  static ObjectNode repaired() throws Exception {
    ObjectNode g = recorded();
    g.put("cli_history_exit", 0).put("cli_history_lines", 5).put("harmful_status", 202).put("enable_seq", 1).put("exit_code", 0);
    ((ObjectNode) g.get("stats")).put("exit_kind", 64);
    g.putArray("kernel_log").add("sched_ext: BPF scheduler \"javaland\" enabled");
    ArrayNode audit = (ArrayNode) g.get("audit");
    ObjectNode propose = audit.addObject().put("event", "propose").put("version", 2).put("from_version", 1)
        .put("author", "learner via api:token").put("reason", "learner (linucb) tries arm 3");
    propose.putObject("figures");
    ObjectNode rollback = audit.addObject().put("event", "rollback").put("version", 3).put("from_version", 2)
        .put("author", "learner via api:token").put("reason", "WORSE x2");
    rollback.putObject("figures");
    // the learner's lines come before the harmful set's, whose versions move up by two
    ArrayNode ordered = JSON.createArrayNode();
    ordered.add(audit.get(0)).add(propose).add(rollback);
    for (int i = 1; i < audit.size() - 2; i++) {
      ObjectNode a = (ObjectNode) audit.get(i);
      a.put("version", a.get("version").asLong() + 2).put("from_version", a.get("from_version").asLong() + 2);
      ordered.add(a);
    }
    g.set("audit", ordered);
    return g;
  }

  static List<String> failed(JsonNode g) {
    return PassRules.evaluate("canary", g, CTX).checks().stream().filter(c -> !c.pass()).map(Check::name).toList();
  }

  /** The audit line that ended the harmful proposal (the one after the vm-canary propose). */
  static ObjectNode harmfulEnd(ObjectNode g) {
    ArrayNode audit = (ArrayNode) g.get("audit");
    for (int i = 0; i < audit.size(); i++) {
      if ("propose".equals(audit.get(i).path("event").asText()) && audit.get(i).path("author").asText().startsWith("vm-canary")) {
        return (ObjectNode) audit.get(i + 1);
      }
    }
    throw new AssertionError("no vm-canary propose in the recorded audit");
  }

  @Test
  void theRecordedBootFailsWhereItFailedAndReportsTheGuardsFigures() throws Exception {
    ScenarioResult r = PassRules.evaluate("canary", recorded(), CTX);
    assertEquals(List.of("cli_history_ok", "learner_proposed", "learner_verdict_audited", "harmful_proposed",
        "enabled_after_revert", "no_stall_exit", "exit_kind_unreg", "exit_code_0"), failed(recorded()));
    JsonNode o = r.toJsonNode();
    assertEquals("guard_revert", o.path("guard_event").asText());
    assertEquals(1, o.path("rollback_windows").asLong());
    assertEquals(30, o.path("guard_figures").path("baseline_windows").asLong());
    assertTrue(o.path("guard_reason").asText().contains("scheduling delay p99 (wakeup) 201.327 ms > bound 42.943 ms"), o.toString());
  }

  @Test
  void theRepairedBootPasses() throws Exception {
    ScenarioResult r = PassRules.evaluate("canary", repaired(), CTX);
    assertTrue(r.pass(), r.checks().toString());
    assertEquals("rollback", r.toJsonNode().path("learner_verdict").asText());
    assertEquals(1, r.toJsonNode().path("learner_proposals").asLong());
  }

  @Test
  void aRevertThatIsNotTheGuardsFails() throws Exception {
    ObjectNode g = repaired();
    harmfulEnd(g).put("event", "timeout_revert");
    assertEquals(List.of("harmful_guard_reverted", "rollback_windows_at_most_2", "guard_had_baseline"), failed(g));
  }

  @Test
  void tooManyWindowsOrNoBaselineFail() throws Exception {
    ObjectNode g = repaired();
    ((ObjectNode) harmfulEnd(g).get("figures")).put("windows", 3.0);
    assertEquals(List.of("rollback_windows_at_most_2"), failed(g));
    g = repaired();
    ((ObjectNode) harmfulEnd(g).get("figures")).put("baseline_windows", 0.0);
    assertEquals(List.of("guard_had_baseline"), failed(g));
  }

  @Test
  void theHarmfulSetNeverEndedFails() throws Exception {
    ObjectNode g = repaired();
    ArrayNode audit = (ArrayNode) g.get("audit");
    ObjectNode end = harmfulEnd(g);
    for (int i = audit.size() - 1; i >= 0; i--) {
      if (audit.get(i) == end) audit.remove(i);
    }
    List<String> f = failed(g);
    assertTrue(f.contains("harmful_guard_reverted") && f.contains("rollback_windows_at_most_2"), f.toString());
  }

  @Test
  void apiLearnerAndExitFactsAreEachChecked() throws Exception {
    ObjectNode g = repaired();
    g.put("unauth_status", 200);
    assertEquals(List.of("api_401_without_token"), failed(g));
    g = repaired();
    g.put("learner_uid", 0);
    assertEquals(List.of("learner_unprivileged"), failed(g));
    g = repaired();
    g.putNull("killed_pid");
    assertEquals(List.of("learner_killed"), failed(g));
    g = repaired();
    g.put("cli_history_exit", 2);
    assertEquals(List.of("cli_history_ok"), failed(g));
    g = repaired();
    g.put("state_after_revert", "disabled");
    assertEquals(List.of("enabled_after_revert"), failed(g));
    g = repaired();
    g.put("exit_code", 137);
    assertEquals(List.of("exit_code_0"), failed(g));
  }

  @Test
  void withoutTheLearnersProposalItsChecksFail() throws Exception {
    ObjectNode g = repaired();
    for (JsonNode a : g.get("audit")) {
      if (a.path("author").asText().startsWith("learner")) ((ObjectNode) a).put("author", "someone via api:token");
    }
    List<String> f = failed(g);
    assertTrue(f.contains("learner_proposed") && f.contains("learner_verdict_audited"), f.toString());
  }
}
