package javaland.lab.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javaland.lab.experiment.SpecException.Problem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The learner and rollback kinds: valid specs parse into what they say; every error names its key and line. */
class LearnerSpecTest {
  @TempDir Path dir;

  private static final String LEARNER = """
      name: l
      kind: learner
      policy: deadline
      arms:
        slice_max_us: [500, 5000]
        kernel.idle_fastpath: [0, 1]
      algorithms: [thompson, epsilon-greedy]
      windows: 40
      brute_force_seeds: 3
      seeds: 2
      duration: 100ms
      workloads:
        - mix
      """;

  private static final String ROLLBACK = """
      name: r
      kind: rollback
      policy: deadline
      workload: mix
      window: 200ms
      harmful:
        slice_max_us: 100000
        kernel.wakeup_preempt: 0
      """;

  private Spec parse(String yaml) throws SpecException {
    return Spec.parse(yaml, "spec.yaml", dir);
  }

  private Problem one(String yaml, int line, String key, String text) {
    List<Problem> ps = assertThrows(SpecException.class, () -> parse(yaml)).problems();
    assertEquals(1, ps.size(), ps.toString());
    Problem p = ps.get(0);
    assertEquals(line, p.line(), p.toString());
    assertEquals(key, p.key(), p.toString());
    assertTrue(p.message().contains(text), p.toString());
    return p;
  }

  @Test
  void aLearnerSpecParses() throws Exception {
    LearnerSpec s = assertInstanceOf(LearnerSpec.class, parse(LEARNER));
    assertEquals("deadline", s.policy());
    assertEquals(Map.of("slice_max_us", List.of(500.0, 5000.0), "kernel.idle_fastpath", List.of(0.0, 1.0)), s.arms());
    assertEquals(List.of("thompson", "epsilon-greedy"), s.algorithms());
    assertEquals(40, s.windows());
    assertEquals(3, s.bruteForceSeeds());
    assertEquals(List.of(1L, 2L), s.seeds());
    assertEquals(0.95, s.target());
    assertEquals(0.25, s.noiseSd());
    assertEquals(1, s.workloads().size());
    assertEquals(100_000_000L, ((WorkloadSource.Synthetic) s.workloads().get(0)).durationNs());
  }

  @Test
  void aRollbackSpecParsesWithDefaults() throws Exception {
    RollbackSpec s = assertInstanceOf(RollbackSpec.class, parse(ROLLBACK));
    assertEquals("mix", s.workload());
    assertEquals(200, s.window().toMillis());
    assertEquals(4, s.baselineWindows());
    assertEquals(2, s.maxRollbackWindows());
    assertEquals(4, s.topology().nrCpus());
    assertEquals(Map.of("slice_max_us", 100_000.0, "kernel.wakeup_preempt", 0.0), s.harmful());
  }

  @Test
  void theShippedSpecsAreValid() throws Exception {
    Path specs = Path.of("specs");
    assertInstanceOf(LearnerSpec.class, Spec.load(specs.resolve("learner-convergence.yaml")));
    assertInstanceOf(RollbackSpec.class, Spec.load(specs.resolve("learner-rollback.yaml")));
    AutotuneSpec twin = (AutotuneSpec) Spec.load(specs.resolve("autotune-twin.yaml"));
    assertEquals(List.of("server-hogs", "server-hogs-trace"), twin.workloads().stream().map(WorkloadSource::label).toList());
    assertEquals(2, twin.rules().size());
  }

  @Test
  void anUnknownKindIsNamedWithTheChoices() {
    one(LEARNER.replace("kind: learner", "kind: bandit"), 2, "kind", "unknown kind 'bandit'; choose one of grid, learner, rollback, autotune");
  }

  @Test
  void aGridKeyInALearnerSpecIsUnknown() {
    one(LEARNER + "policies: [fifo]\n", 14, "policies", "unknown key; known keys here: name, kind,");
  }

  @Test
  void anArmOutsideItsParametersRangeIsNamed() {
    one(LEARNER.replace("[500, 5000]", "[500, 999999]"), 5, "arms.slice_max_us[1]", "999999 is out of range 100..100000 us");
  }

  @Test
  void anUnknownArmParameterListsTheSchema() {
    one(LEARNER.replace("slice_max_us:", "slice_maximum:"), 5, "arms.slice_maximum", "unknown parameter of policy deadline; known: slice_max_us");
  }

  @Test
  void oneArmIsNotEnough() {
    one(LEARNER.replace("[500, 5000]", "500").replace("[0, 1]", "0"), 4, "arms", "gives one arm");
  }

  @Test
  void anUnknownAlgorithmIsNamed() {
    one(LEARNER.replace("[thompson, epsilon-greedy]", "[thompson, ucb1]"), 7, "algorithms[1]",
        "unknown algorithm 'ucb1'; choose one of thompson, epsilon-greedy, linucb");
  }

  @Test
  void windowsMustBeAnIntegerInRange() {
    one(LEARNER.replace("windows: 40", "windows: 1"), 8, "windows", "1 is out of range 2..100000");
    one(LEARNER.replace("windows: 40", "windows: \"40\""), 8, "windows", "expected an integer, got the string '40'");
  }

  @Test
  void everyProblemIsListedAtOnce() {
    List<Problem> ps = assertThrows(SpecException.class, () -> parse(LEARNER.replace("policy: deadline", "policy: deadline\ncolour: red")
        .replace("target", "x").replace("windows: 40", "windows: 0").replace("- mix", "- mixx"))).problems();
    assertEquals(List.of("colour", "windows", "workloads[0]"), ps.stream().map(Problem::key).toList(), ps.toString());
  }

  @Test
  void aHarmfulValueOutOfRangeIsNamedAndTheSetIsRequired() {
    one(ROLLBACK.replace("slice_max_us: 100000", "slice_max_us: 100001"), 7, "harmful.slice_max_us", "100001 is out of range 100..100000 us");
    one(ROLLBACK.replace("""
        harmful:
          slice_max_us: 100000
          kernel.wakeup_preempt: 0
        """, ""), 1, "harmful", "is required");
  }

  @Test
  void aRollbackWorkloadMustBeSyntheticAndTheWindowSensible() {
    one(ROLLBACK.replace("workload: mix", "workload: web"), 4, "workload", "unknown synthetic workload 'web'");
    one(ROLLBACK.replace("window: 200ms", "window: 10ms"), 5, "window", "10ms is out of range 50ms..60s");
  }

  @Test
  void aLearnerSpecIsNotAGridExperiment() {
    SpecException e = assertThrows(SpecException.class, () -> ExperimentSpec.parse(LEARNER, "spec.yaml", dir));
    assertTrue(e.getMessage().contains("this is a 'learner' spec"), e.getMessage());
  }
}
