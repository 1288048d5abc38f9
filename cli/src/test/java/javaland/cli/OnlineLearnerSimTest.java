package javaland.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import javaland.api.ApiCodec;
import javaland.learner.online.LearnerMetrics;
import javaland.learner.online.LearnerOptions;
import javaland.learner.online.OnlineLearner;
import javaland.learner.ope.DecisionLog;
import javaland.learner.ope.LogRecord;
import javaland.learner.reward.RewardConfig;
import javaland.learner.verdict.VerdictConfig;
import javaland.models.context.ContextFeatures;
import javaland.models.registry.AuditEntry;
import javaland.runtime.canary.GuardBounds;
import javaland.telemetry.metrics.MeterNames;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The online learner against a real runtime (simulated kernel paced to real time, registry,
 * canary, REST API with a token): it proposes through the API, judges, and commits or rolls back.
 * In the CLI's tests because it needs both halves; the learner's module has no runtime.
 */
class OnlineLearnerSimTest {
  static final Duration WINDOW = Duration.ofMillis(300);
  /** The canary set of CanarySimTest: long slices, far deadlines, no wakeup preemption. */
  static final List<String> HARMFUL = List.of("slice_max_us=100000", "slice_min_us=20000", "max_delay_us=1000000,2000000",
      "slice_lag_us=1000000", "kernel.slice_us=1000000", "kernel.wakeup_preempt=0");
  static final Map<String, Double> HARMFUL_VALUES = Map.of("slice_max_us", 100_000.0, "slice_min_us", 20_000.0,
      "max_delay_us", 2_000_000.0, "slice_lag_us", 1_000_000.0, "kernel.slice_us", 1_000_000.0, "kernel.wakeup_preempt", 0.0);

  @TempDir Path dir;
  final List<String> lines = new CopyOnWriteArrayList<>();

  LearnerOptions options(SimRuntime rt, List<String> arms, int maxDecisions) {
    VerdictConfig v = new VerdictConfig(5, 0.01, 0.03, 3, 2, 1000);
    // the simulated workload has no latency-critical class: judge the wakeup delay, which the harmful set hurts most
    RewardConfig reward = RewardConfig.parse(Map.of("latency_class", "wakeup"));
    return new LearnerOptions(rt.url, SimRuntime.TOKEN, WINDOW, "linucb", arms, reward, v, 15, 7,
        dir.resolve("decisions.jldlog"), dir.resolve("state"), null, Duration.ZERO, maxDecisions);
  }

  List<JsonNode> audit() {
    return lines.stream().filter(l -> l.startsWith("{")).map(ApiCodec::tree).toList();
  }

  @Test
  @Timeout(120)
  void harmfulArmsAreRolledBackByTheVerdictTheLogHoldsPropensitiesAndARestartResumes() throws Exception {
    try (SimRuntime rt = new SimRuntime(dir, SimRuntime.looseGuards(WINDOW), Map.of());
         LearnerMetrics m = new LearnerMetrics("linucb")) {
      var bean = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
      long cpu0 = bean.getCurrentThreadCpuTime();
      long alloc0 = bean.getCurrentThreadAllocatedBytes();
      OnlineLearner l = new OnlineLearner(options(rt, HARMFUL, 2).withOpeEvery(2), OnlineLearner.client(rt.url, SimRuntime.TOKEN), m, lines::add);
      l.run(() -> false);
      long cpu = bean.getCurrentThreadCpuTime() - cpu0;
      long alloc = bean.getCurrentThreadAllocatedBytes() - alloc0;
      l.close();
      assertEquals(2, l.arms().size());
      assertEquals(2, l.decisions());
      double windows = m.count(MeterNames.LEARNER_WINDOWS, "baseline") + m.count(MeterNames.LEARNER_WINDOWS, "candidate")
          + m.count(MeterNames.LEARNER_WINDOWS, "skipped");
      System.out.printf("learner thread: %.0f windows, %.2f ms CPU and %.0f kB allocated per window (in-process, HTTP client"
          + " threads not counted)%n", windows, cpu / 1e6 / windows, alloc / 1024.0 / windows);
      assertEquals(Map.of("rollback", 2), nonZero(l.outcomes()), "both harmful arms rolled back by the verdict: " + lines);

      // the learner's audit lines: propose, rollback, propose, rollback, each with figures; then
      // (--ope-every 2) the off-policy evaluation of the two decisions
      List<String> events = audit().stream().map(j -> j.path("event").asText()).filter(e -> !e.equals("start")).toList();
      assertEquals(List.of("propose", "rollback", "propose", "rollback", "ope"), events);
      JsonNode rb = audit().stream().filter(j -> j.path("event").asText().equals("rollback")).findFirst().orElseThrow();
      assertTrue(rb.path("figures").path("candidate_mean").asDouble() < rb.path("figures").path("baseline_mean").asDouble(), rb.toString());

      // the runtime's audit log records the learner's rollbacks with the verdict's figures
      List<AuditEntry> runtimeAudit = rt.scheduler.canary().audit();
      List<AuditEntry> rollbacks = runtimeAudit.stream().filter(e -> e.event().equals("rollback")).toList();
      assertEquals(2, rollbacks.size(), runtimeAudit.toString());
      assertEquals("learner via api:token", rollbacks.get(0).provenance().author());
      assertEquals("linucb", rollbacks.get(0).provenance().model());
      assertTrue(rollbacks.get(0).provenance().figures().get("p_worse") < 0.03, rollbacks.get(0).provenance().toString());
      assertTrue(rollbacks.get(0).provenance().reason().contains("learner verdict: rollback"), rollbacks.get(0).provenance().reason());
      AuditEntry propose = runtimeAudit.stream().filter(e -> e.event().equals("propose")).findFirst().orElseThrow();
      assertEquals(2_000_000.0 / 2, Math.min(propose.values().get("max_delay_us"), 1_000_000.0), "the arm's values were proposed");
      assertTrue(propose.provenance().data().startsWith("baseline windows "), propose.provenance().data());

      // the decision log: one record per decision with the propensity it was chosen with
      List<LogRecord> log = DecisionLog.read(dir.resolve("decisions.jldlog")).records();
      assertEquals(2, log.size());
      assertEquals(0.5, log.get(0).propensity(), 1e-12, "LinUCB's first choice is an exact tie of 2 arms");
      assertEquals(ContextFeatures.SIZE, log.get(0).dimension());
      assertTrue(log.get(0).arm() != log.get(1).arm(), "the second decision tries the other arm (LinUCB's bonus)");
      JsonNode ope = audit().getLast().path("figures");
      double loggedMean = (log.get(0).reward() + log.get(1).reward()) / 2;
      assertEquals(2, ope.path("records").asDouble());
      assertEquals(loggedMean, ope.path("logged_mean").asDouble(), 1e-9);
      assertEquals(loggedMean, m.ope("logged"), 1e-9);
      assertEquals(ope.path("dr").asDouble(), m.ope("dr"), 1e-12);
      // SNIPS of a deterministic target is a weighted mean of the logged rewards of the records it agrees with
      double lo = Math.min(log.get(0).reward(), log.get(1).reward());
      double hi = Math.max(log.get(0).reward(), log.get(1).reward());
      assertTrue(m.ope("snips") >= lo - 1e-9 && m.ope("snips") <= hi + 1e-9, ope.toString());
      assertTrue(Double.isFinite(m.ope("dr")) && Double.isFinite(m.ope("ips")), ope.toString());
      assertTrue(l.progressLine().contains("OPE over 2 decisions: greedy DR"), l.progressLine());

      // a restarted learner replays the log into the same bandit state
      lines.clear();
      try (OnlineLearner again = new OnlineLearner(options(rt, HARMFUL, 2), OnlineLearner.client(rt.url, SimRuntime.TOKEN), m, lines::add)) {
        again.connect(() -> false);
        assertEquals(2, again.replayed());
        double[] x = log.get(1).context();
        double[] p1 = new double[2];
        double[] p2 = new double[2];
        l.bandit().probabilities(x, p1);
        again.bandit().probabilities(x, p2);
        assertArrayEquals(p1, p2, 1e-12);
        assertTrue(lines.stream().anyMatch(s -> s.contains("resumed: replayed 2 decisions")), lines.toString());
        // and evaluates the replayed decisions at start
        JsonNode atStart = audit().stream().filter(j -> j.path("event").asText().equals("ope")).findFirst().orElseThrow();
        assertEquals(2, atStart.path("figures").path("records").asDouble());
        assertEquals(ope.path("dr").asDouble(), atStart.path("figures").path("dr").asDouble(), 1e-12);
      }
    }
  }

  @Test
  @Timeout(120)
  void anArmBetterThanAHarmfulLastKnownGoodIsCommitted() throws Exception {
    // the runtime starts with the harmful set as last-known-good; the one arm is the defaults
    try (SimRuntime rt = new SimRuntime(dir, SimRuntime.looseGuards(WINDOW), HARMFUL_VALUES);
         LearnerMetrics m = new LearnerMetrics("linucb")) {
      List<String> defaults = List.of("slice_max_us=20000", "slice_min_us=1000", "max_delay_us=50000", "slice_lag_us=20000",
          "kernel.slice_us=5000", "kernel.wakeup_preempt=1");
      try (OnlineLearner l = new OnlineLearner(options(rt, defaults, 1), OnlineLearner.client(rt.url, SimRuntime.TOKEN), m, lines::add)) {
        l.run(() -> false);
        assertEquals(Map.of("commit", 1), nonZero(l.outcomes()), lines.toString());
      }
      assertEquals(20_000.0, rt.scheduler.canary().lastKnownGood().values().get("slice_max_us"), "the better set is last-known-good");
      AuditEntry commit = rt.scheduler.canary().audit().stream().filter(e -> e.event().equals("commit")).findFirst().orElseThrow();
      assertTrue(commit.provenance().figures().get("p_better") < 0.01, commit.provenance().toString());
      assertEquals(1.0, m.count(MeterNames.LEARNER_VERDICTS, "commit"));
      assertEquals(1.0, m.count(MeterNames.LEARNER_DECISIONS, null));
    }
  }

  @Test
  @Timeout(120)
  void aGuardRevertCountsAsABadOutcome() throws Exception {
    // the runtime's own guards at their defaults: they revert the harmful set before the learner can judge it
    try (SimRuntime rt = new SimRuntime(dir, GuardBounds.DEFAULTS.withWindow(WINDOW), Map.of());
         LearnerMetrics m = new LearnerMetrics("linucb");
         OnlineLearner l = new OnlineLearner(options(rt, List.of("slice_max_us=100000", "slice_min_us=20000", "max_delay_us=2000000",
             "slice_lag_us=1000000", "kernel.slice_us=1000000", "kernel.wakeup_preempt=0"), 1), OnlineLearner.client(rt.url, SimRuntime.TOKEN),
             m, lines::add)) {
      l.run(() -> false);
      assertEquals(Map.of("guard_revert", 1), nonZero(l.outcomes()), lines.toString());
      JsonNode end = audit().stream().filter(j -> j.path("event").asText().equals("guard_revert")).findFirst().orElseThrow();
      JsonNode f = end.path("figures");
      assertTrue(f.path("outcome").asDouble() < f.path("baseline_mean").asDouble(), "charged below the baseline: " + end.toString());
      assertEquals(f.path("outcome").asDouble(), DecisionLog.read(dir.resolve("decisions.jldlog")).records().get(0).reward(), 1e-12);
    }
  }

  /**
   * No exploration of arms the runtime's guard would revert: an arm a guard reverted is not
   * proposed again in the same run, and with every arm reverted the learner proposes nothing
   * more (before, LinUCB tried a reverted arm again once its bonus outgrew the bad outcome: arm 8
   * twice in boot 2026-12-07 17:17).
   */
  @Test
  @Timeout(120)
  void anArmAGuardRevertedIsNotProposedAgain() throws Exception {
    try (SimRuntime rt = new SimRuntime(dir, GuardBounds.DEFAULTS.withWindow(WINDOW), Map.of());
         LearnerMetrics m = new LearnerMetrics("linucb");
         OnlineLearner l = new OnlineLearner(options(rt, HARMFUL, 3), OnlineLearner.client(rt.url, SimRuntime.TOKEN), m, lines::add)) {
      l.run(() -> lines.stream().anyMatch(s -> s.contains("no parameter set left to try")));
      assertEquals(Map.of("guard_revert", 2), nonZero(l.outcomes()), lines.toString());
      List<LogRecord> log = DecisionLog.read(dir.resolve("decisions.jldlog")).records();
      assertEquals(2, log.size());
      assertTrue(log.get(0).arm() != log.get(1).arm(), "each harmful arm once: " + lines);
      assertEquals(1.0, log.get(1).propensity(), 1e-12, "the one arm left, chosen for sure");
      assertTrue(audit().stream().filter(j -> j.path("event").asText().equals("guard_revert"))
          .allMatch(j -> j.path("reason").asText().contains("is not proposed again in this run")), lines.toString());
    }
  }

  /** The arm whose values are in force is no candidate: a canary that changes nothing teaches nothing. */
  @Test
  @Timeout(120)
  void theArmInForceIsNotProposed() throws Exception {
    try (SimRuntime rt = new SimRuntime(dir, SimRuntime.looseGuards(WINDOW), Map.of());
         LearnerMetrics m = new LearnerMetrics("linucb");
         OnlineLearner l = new OnlineLearner(options(rt, List.of("slice_max_us=20000,10000"), 1), OnlineLearner.client(rt.url, SimRuntime.TOKEN),
             m, lines::add)) {
      l.run(() -> false);
      List<LogRecord> log = DecisionLog.read(dir.resolve("decisions.jldlog")).records();
      assertEquals(1, log.size(), lines.toString());
      assertEquals(1, log.get(0).arm(), "slice_max_us=20000 is the default, in force");
      assertEquals(1.0, log.get(0).propensity(), 1e-12, "without the arm in force LinUCB's first choice is no tie of 2");
      JsonNode propose = audit().stream().filter(j -> j.path("event").asText().equals("propose")).findFirst().orElseThrow();
      assertEquals(1.0, propose.path("figures").path("excluded_arms").asDouble(), propose.toString());
    }
  }

  /**
   * The chain a version's provenance links: train saves a reward model with its lineage, the
   * learner warm-starts from it and names it in its proposal, the runtime records that in the
   * version, and {@code policy history} prints it; the artifact names the data and the commit.
   */
  @Test
  @Timeout(120)
  void aWarmStartedProposalNamesItsArtifactAndTheArtifactItsDataAndCommit() throws Exception {
    Path registry = dir.resolve("registry");
    List<String> arms = List.of("slice_max_us=500,20000");
    javaland.lab.learn.Trainer.Result trained = javaland.lab.learn.Trainer.train(new javaland.lab.learn.Trainer.Options(null,
        List.of("hogs"), 4, 150_000_000L, "deadline", Map.of("slice_max_us", List.of(500.0, 20000.0)), 2, 1, RewardConfig.DEFAULT,
        javaland.learner.model.TribuoRewardModel.Settings.DEFAULT), registry, new javaland.lab.experiment.ExperimentRunner.Listener() {});
    javaland.models.registry.ModelArtifact artifact = trained.artifact();
    Path token = SimRuntime.tokenFile(dir);
    try (SimRuntime rt = new SimRuntime(registry, SimRuntime.looseGuards(WINDOW), Map.of(), token, Duration.ofMinutes(10));
         LearnerMetrics m = new LearnerMetrics("linucb")) {
      LearnerOptions o = options(rt, arms, 1);
      o = new LearnerOptions(o.url(), o.token(), o.window(), o.algorithm(), o.arms(), o.reward(), o.verdict(), o.maxCandidateWindows(),
          o.seed(), null, dir.resolve("state"), registry, Duration.ZERO, 1);
      try (OnlineLearner l = new OnlineLearner(o, OnlineLearner.client(rt.url, SimRuntime.TOKEN), m, lines::add)) {
        l.run(() -> false);
        var ref = javaland.models.registry.ArtifactRef.of(artifact, javaland.models.registry.Registry.open(registry, w -> {}).directory());
        assertEquals(ref, l.warmArtifact(), lines.toString());
        assertTrue(audit().stream().anyMatch(j -> j.path("event").asText().equals("warm_start")
            && j.path("reason").asText().contains(artifact.sha256())), lines.toString());

        // the runtime recorded the proposal with the artifact in its provenance, in its registry and audit log
        AuditEntry propose = rt.scheduler.canary().audit().stream().filter(e -> e.event().equals("propose")).findFirst().orElseThrow();
        assertEquals(ref, propose.provenance().artifact(), propose.toString());
        var registryNow = javaland.models.registry.Registry.open(registry, w -> {});
        var version = registryNow.version(propose.version()).orElseThrow();
        assertEquals(artifact.sha256(), version.provenance().artifact().sha256());
        assertTrue(registryNow.history().stream().filter(v -> v.version() != propose.version())
            .allMatch(v -> v.provenance().artifact() == null), "only the learner's proposal names it");

        // follow the link: the artifact, its bytes' hash, its data and its commit
        var meta = registryNow.artifact(version.provenance().artifact().id()).orElseThrow();
        assertEquals(version.provenance().artifact().sha256(), meta.sha256());
        assertEquals(meta.sha256(), java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
            .digest(java.nio.file.Files.readAllBytes(registryNow.artifactFile(meta.id())))), "sha256sum artifacts/NNNNNN.bin");
        assertEquals("hogs", meta.lineage().synthetic().getFirst().name());
        assertEquals(List.of(1L, 2L), meta.lineage().synthetic().getFirst().seeds());
        assertEquals(Map.of("slice_max_us", List.of(500.0, 20000.0)), meta.lineage().arms());
        assertEquals(javaland.models.registry.BuildInfo.current(), meta.lineage().build());

        // and policy history shows the link
        CliRun h = CliRun.run("policy", "history", "--url", rt.url, "--token-file", token.toString());
        assertEquals(0, h.code(), h.err());
        assertTrue(h.out().contains("      warm-started from artifact " + artifact.id() + " 'reward-model-deadline' sha256 "
            + artifact.sha256() + " in " + registryNow.directory()), h.out());
        CliRun hj = CliRun.run("policy", "history", "--url", rt.url, "--token-file", token.toString(), "--json");
        assertTrue(hj.out().contains("\"sha256\" : \"" + artifact.sha256() + "\""), hj.out());
      }
    }
  }

  static Map<String, Integer> nonZero(Map<String, Integer> m) {
    Map<String, Integer> out = new java.util.TreeMap<>(m);
    out.values().removeIf(v -> v == 0);
    return out;
  }
}
