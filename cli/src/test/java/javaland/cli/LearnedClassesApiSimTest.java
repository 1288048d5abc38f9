package javaland.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import javaland.api.ApiClient;
import javaland.api.ApiCodec;
import javaland.api.ApiException;
import javaland.api.LearnedClass;
import javaland.api.LearnedClassProposal;
import javaland.api.Reason;
import javaland.learner.online.LearnerMetrics;
import javaland.learner.online.LearnerOptions;
import javaland.learner.online.OnlineLearner;
import javaland.learner.reward.RewardConfig;
import javaland.learner.verdict.VerdictConfig;
import javaland.runtime.kernel.sim.Workload;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The learner's class proposals end to end: a real runtime on the simulated kernel (paced to real
 * time) running an interactive probe beside 8 CPU hogs on 4 CPUs, no rules; the learner reads
 * {@code GET /tasks}, proposes through the API as one canary, is judged and ends it; a person
 * pins and rejects through the API while it runs, and theirs stands.
 */
class LearnedClassesApiSimTest {
  static final Duration WINDOW = Duration.ofMillis(300);
  @TempDir Path dir;
  final List<String> lines = new CopyOnWriteArrayList<>();

  static Workload probeAndHogs() {
    long d = 600_000_000_000L;
    return Workload.builder("probe-and-hogs", 3).hogsFor("batch", 8, d, 100)
        .interactive("interactive", 1, 200_000L, 5_000_000L, d, 100).build();
  }

  List<JsonNode> audit(String event) {
    return lines.stream().filter(l -> l.startsWith("{")).map(ApiCodec::tree).filter(j -> j.path("event").asText().equals(event)).toList();
  }

  /** The learner both tests run: class proposals on, the verdict settings of this test class. */
  private OnlineLearner classLearner(SimRuntime rt, ApiClient api, LearnerMetrics m) {
    VerdictConfig v = new VerdictConfig(5, 0.01, 0.03, 3, 2, 1000);
    LearnerOptions o = new LearnerOptions(rt.url, SimRuntime.TOKEN, WINDOW, "linucb", List.of(), RewardConfig.DEFAULT, v, 15, 7,
        null, dir.resolve("state"), null, Duration.ZERO, 0);
    return new OnlineLearner(o, api, m, lines::add).learnClasses(true);
  }

  @Test
  @Timeout(120)
  void theLearnerProposesTheProbeLatencySensitiveAndTheHogsBatchAPersonPinsAndRejects() throws Exception {
    try (SimRuntime rt = new SimRuntime(dir.resolve("registry"), SimRuntime.looseGuards(WINDOW), Map.of(), SimRuntime.tokenFile(dir), probeAndHogs());
         LearnerMetrics m = new LearnerMetrics("linucb")) {
      ApiClient api = OnlineLearner.client(rt.url, SimRuntime.TOKEN);
      OnlineLearner l = classLearner(rt, api, m);
      long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
      boolean[] personActed = {false};
      l.run(() -> {
        if (!personActed[0] && !audit("class_propose").isEmpty()) {
          // While the canary runs: a person keeps one hog's class and refuses the probe's.
          personActed[0] = true;
          api.changeLearnedClass("hog-0", "pin", new Reason("keep", null));
          api.changeLearnedClass("ia-0", "reject", new Reason("we decide that", null));
        }
        return personActed[0] && ended() || System.nanoTime() > deadline;
      });
      l.close();
      assertTrue(personActed[0], "no class was proposed: " + lines);
      assertTrue(ended(), "no verdict on the classes: " + lines);

      List<JsonNode> proposed = audit("class_propose");
      JsonNode probe = proposed.stream().filter(j -> j.path("reason").asText().startsWith("ia-0 ")).findFirst()
          .orElseThrow(() -> new AssertionError("the probe was not proposed: " + proposed));
      assertTrue(probe.path("reason").asText().matches("ia-0 (latency-critical|interactive): .*"), probe.toString());
      assertEquals(1.0, probe.path("figures").path("propensity").asDouble());
      assertTrue(probe.path("figures").path("wakeups_per_s").asDouble() > 50, probe.toString());
      long hogs = proposed.stream().filter(j -> j.path("reason").asText().matches("hog-\\d batch: .*")).count();
      assertEquals(8, hogs, "each hog proposed batch: " + proposed);

      Map<String, LearnedClass> byComm = new java.util.HashMap<>();
      for (LearnedClass c : api.learnedClasses().classes()) byComm.put(c.comm(), c);
      assertEquals("pinned", byComm.get("hog-0").state(), byComm.toString());
      assertEquals("batch", byComm.get("hog-0").taskClass());
      assertTrue(byComm.get("hog-0").evidence().get("cpu_share") > 0.2, byComm.get("hog-0").toString());
      assertEquals("rejected", byComm.get("ia-0").state(), "the person's reject stands over the learner's verdict");
      String verdict = byComm.get("hog-1").state();
      assertTrue(verdict.equals("committed") || verdict.equals("rolled_back"), byComm.get("hog-1").toString());
      // Rejected is never proposed again, by this learner or any other client.
      ApiException e = assertThrows(ApiException.class, () -> api.proposeLearnedClass(
          new LearnedClassProposal("ia-0", "interactive", "again", Map.of(), null)));
      assertEquals(409, e.status(), e.getMessage());
      assertTrue(e.getMessage().contains("rejected"), e.getMessage());
      System.out.println("class verdict: " + verdict + "; " + audit("class_commit").size() + " commit and "
          + (audit("class_rollback").size() + audit("class_inconclusive").size()) + " rollback lines");
    }
  }

  /**
   * A learner's class canary that no learner judges (its proposal's answer was lost, or an earlier
   * run left it) is rolled back before the next proposal, instead of staying in force unjudged.
   */
  @Test
  @Timeout(120)
  void anOrphanedClassCanaryIsRolledBack() throws Exception {
    try (SimRuntime rt = new SimRuntime(dir.resolve("registry"), SimRuntime.looseGuards(WINDOW), Map.of(), SimRuntime.tokenFile(dir), probeAndHogs());
         LearnerMetrics m = new LearnerMetrics("linucb")) {
      ApiClient api = OnlineLearner.client(rt.url, SimRuntime.TOKEN);
      api.proposeLearnedClass(new LearnedClassProposal("hog-7", "background", "an earlier learner's", Map.of("cpu_share", 0.5),
          new javaland.api.Origin("learner", "classifier", "", null, null)));
      OnlineLearner l = classLearner(rt, api, m);
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      l.run(() -> !audit("class_propose").isEmpty() || System.nanoTime() > deadline);
      l.close();
      List<JsonNode> orphans = audit("class_orphan_rollback");
      assertEquals(1, orphans.size(), lines.toString());
      assertTrue(orphans.get(0).path("reason").asText().startsWith("hog-7 background: rolled back version 1"), orphans.toString());
      assertTrue(!audit("class_propose").isEmpty(), "then a fresh round: " + lines);
      LearnedClass hog7 = api.learnedClasses().classes().stream().filter(c -> c.comm().equals("hog-7")).findFirst().orElseThrow();
      assertEquals("canary", hog7.state(), "proposed again in the new round, by this learner: " + hog7);
      assertEquals("batch", hog7.taskClass(), hog7.toString());
    }
  }

  @Test
  @Timeout(120)
  void aLearnedClassIsInForceAndAPersonsRuleForTheSameProcessWins() throws Exception {
    try (SimRuntime rt = new SimRuntime(dir.resolve("registry"), SimRuntime.looseGuards(WINDOW), Map.of(), SimRuntime.tokenFile(dir), probeAndHogs());
         LearnerMetrics m = new LearnerMetrics("linucb")) {
      ApiClient api = OnlineLearner.client(rt.url, SimRuntime.TOKEN);
      OnlineLearner l = classLearner(rt, api, m);
      long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
      String[] probeClass = {null};
      l.run(() -> {
        if (probeClass[0] == null) {
          for (LearnedClass c : api.learnedClasses().classes()) {
            if (c.comm().equals("ia-0")) {
              api.changeLearnedClass("ia-0", "pin", new Reason("keep it whatever the verdict", null));
              probeClass[0] = c.taskClass();
            }
          }
        }
        return probeClass[0] != null && ended() || System.nanoTime() > deadline;
      });
      l.close();
      assertTrue(probeClass[0] != null && ended(), "no proposal for the probe, or no verdict: " + lines);
      System.out.println("verdict: " + lines.stream().filter(x -> x.contains("\"class_")).filter(x -> !x.contains("class_propose")).findFirst().orElse(""));
      int pid = api.tasks().tasks().stream().filter(t -> t.comm().equals("ia-0")).findFirst().orElseThrow().pid();
      long untilIn = System.nanoTime() + 5_000_000_000L;
      while (!rt.kernel.kernelClassOf(pid).label().equals(probeClass[0]) && System.nanoTime() < untilIn) Thread.sleep(50);
      assertEquals(probeClass[0], rt.kernel.kernelClassOf(pid).label(), "the learned class is in force, down to the kernel: pid " + pid
          + " " + api.tasks().tasks().stream().map(t -> t.pid() + "/" + t.comm() + "=" + rt.kernel.kernelClassOf(t.pid())).toList()
          + " " + api.learnedClasses() + " status " + api.status());
      api.createRule((com.fasterxml.jackson.databind.node.ObjectNode) ApiCodec.tree(
          "{\"name\":\"probe-batch\",\"match\":{\"comm\":\"^ia-0$\"},\"class\":\"batch\"}"), null);
      long until = System.nanoTime() + 5_000_000_000L; // the classifier thread re-evaluates it
      while (rt.kernel.kernelClassOf(pid) != javaland.sdk.TaskClass.BATCH && System.nanoTime() < until) Thread.sleep(50);
      assertEquals(javaland.sdk.TaskClass.BATCH, rt.kernel.kernelClassOf(pid), "the person's rule wins over the pinned learned class");
      assertEquals("pinned", api.learnedClasses().classes().stream().filter(x -> x.comm().equals("ia-0")).findFirst().orElseThrow().state(),
          "the learned class stays, below the rule");
    }
  }

  private boolean ended() {
    return !audit("class_commit").isEmpty() || !audit("class_rollback").isEmpty() || !audit("class_inconclusive").isEmpty();
  }
}
