package javaland.lab.learn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javaland.lab.experiment.ExperimentRunner;
import javaland.learner.model.TribuoRewardModel;
import javaland.learner.reward.RewardConfig;
import javaland.models.registry.ModelArtifact;
import javaland.models.registry.Registry;
import javaland.runtime.kernel.sim.SimConfig;
import javaland.runtime.kernel.sim.SimKernel;
import javaland.runtime.kernel.sim.Workload;
import javaland.runtime.kernel.sim.Workloads;
import javaland.policies.DeadlinePolicy;
import javaland.trace.SchedEventRecorder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Offline training: repeatable with its seeds, finds the arm brute force shows, saves a usable model with provenance. */
class TrainerTest {
  @TempDir Path dir;
  Path traces;

  private static final Map<String, List<Double>> ARMS = Map.of("slice_max_us", List.of(500.0, 5000.0, 20000.0));

  @BeforeEach
  void recordATrace() throws Exception {
    traces = Files.createDirectories(dir.resolve("traces"));
    Workload w = Workloads.named("mix", 3, 4, 200_000_000L);
    SimKernel k = new SimKernel(w, SimConfig.of(4));
    try (SchedEventRecorder rec = SchedEventRecorder.attach(k, w, traces.resolve("mix.jlt"), Map.of("policy", "deadline"))) {
      k.runToCompletion(new DeadlinePolicy());
    }
    Files.writeString(traces.resolve("notes.txt"), "not a trace: ignored");
  }

  private Trainer.Options options(int threads) {
    return new Trainer.Options(traces, List.of("hogs"), 4, 200_000_000L, "deadline", ARMS, 2, threads, RewardConfig.DEFAULT,
        TribuoRewardModel.Settings.DEFAULT);
  }

  @Test
  void sameInputsAndSeedsGiveTheSameRewardsBestArmsAndModel() throws Exception {
    Trainer.Result a = Trainer.train(options(1), dir.resolve("reg-a"), new ExperimentRunner.Listener() {});
    Trainer.Result b = Trainer.train(options(2), dir.resolve("reg-b"), new ExperimentRunner.Listener() {});
    assertEquals(List.of("mix", "hogs"), a.workloads().stream().map(Trainer.WorkloadResult::label).toList());
    assertEquals(2 * 3 * 2, a.samples());
    for (int i = 0; i < a.workloads().size(); i++) {
      assertArrayEquals(a.workloads().get(i).meanReward(), b.workloads().get(i).meanReward());
      assertEquals(a.workloads().get(i).bestArm(), b.workloads().get(i).bestArm());
    }
    double[] x = Trainer.features(new double[javaland.models.context.ContextFeatures.SIZE], a.grid().vector(0));
    assertEquals(a.model().predict(x), b.model().predict(x));
    assertEquals(a.rmse(), b.rmse());
    // a different model seed fits a different model from the same samples
    Trainer.Options other = new Trainer.Options(traces, List.of("hogs"), 4, 200_000_000L, "deadline", ARMS, 2, 2,
        RewardConfig.DEFAULT, new TribuoRewardModel.Settings(30, 0.1, 4, 99));
    Trainer.Result c = Trainer.train(other, null, new ExperimentRunner.Listener() {});
    assertArrayEquals(a.workloads().get(0).meanReward(), c.workloads().get(0).meanReward());
    assertTrue(a.model().predict(x) != c.model().predict(x), "the model's seed matters");
  }

  @Test
  void theBestArmIsTheOneWithTheBestMeanAndTheModelIsSavedWithItsProvenance() throws Exception {
    Trainer.Result r = Trainer.train(options(0), dir.resolve("reg"), new ExperimentRunner.Listener() {});
    for (Trainer.WorkloadResult w : r.workloads()) {
      for (double m : w.meanReward()) assertTrue(m <= w.bestReward(), w.label());
      assertEquals(r.grid().parameters(w.bestArm()).get("slice_max_us"), w.best().get("slice_max_us"));
    }
    // on hogs, short slices cut the delay of the hogs waiting behind each other: 500 us wins (see the simulator)
    assertEquals(500.0, r.workloads().get(1).best().get("slice_max_us"));
    Registry reg = Registry.open(dir.resolve("reg"), m -> {});
    ModelArtifact a = reg.latestArtifact(Trainer.artifactName("deadline")).orElseThrow();
    assertEquals("reward-model-deadline", a.name());
    assertEquals(r.artifact(), a);
    assertEquals("train", a.provenance().author());
    assertTrue(a.provenance().data().contains("mix.jlt") && a.provenance().data().contains("hogs")
        && a.provenance().data().contains("seeds 1..2"), a.provenance().data());
    assertTrue(a.provenance().model().startsWith("tribuo"), a.provenance().model());
    assertEquals(12.0, a.provenance().figures().get("samples"));
    TribuoRewardModel back = TribuoRewardModel.fromBytes(reg.readArtifact(a));
    assertEquals(Trainer.featureNames(r.grid()), back.featureNames());
    double[] x = Trainer.features(new double[javaland.models.context.ContextFeatures.SIZE], r.grid().vector(1));
    assertEquals(r.model().predict(x), back.predict(x), 1e-12);
  }

  @Test
  void badInputIsNamedBeforeAnythingRuns() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Trainer.train(
        new Trainer.Options(dir.resolve("nope"), List.of(), 4, 200_000_000L, "deadline", ARMS, 1, 1, RewardConfig.DEFAULT,
            TribuoRewardModel.Settings.DEFAULT), null, new ExperimentRunner.Listener() {}));
    assertTrue(e.getMessage().contains("no such directory"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Trainer.train(
        new Trainer.Options(traces, List.of(), 4, 200_000_000L, "deadline", Map.of("slice_max_us", List.of(1.0, 500.0)), 1, 1,
            RewardConfig.DEFAULT, TribuoRewardModel.Settings.DEFAULT), null, new ExperimentRunner.Listener() {}));
    assertTrue(e.getMessage().contains("slice_max_us"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> ArmSpec.parse(List.of("slice_max_us=500,x")));
    assertEquals("--arms slice_max_us=500,x: 'x' is not a number", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> ArmSpec.parse(List.of("slice_max_us")));
    assertTrue(e.getMessage().contains("expected NAME=V1,V2"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> ArmSpec.parse(List.of("a=1", "a=2")));
    assertTrue(e.getMessage().contains("a given twice"), e.getMessage());
    assertEquals(Map.of("slice_max_us", List.of(500.0, 2000.0), "kernel.idle_fastpath", List.of(0.0, 1.0)),
        ArmSpec.parse(List.of("slice_max_us=500,2000", "kernel.idle_fastpath=0,1")));
    assertEquals(Map.of("slice_max_us", List.of(500.0, 1000.0, 2000.0, 5000.0, 20000.0), "kernel.idle_fastpath", List.of(0.0, 1.0)),
        ArmSpec.defaults("deadline"), "the default grid is what the parameters declare");
  }

  @Test
  void trainFindsCompressedTracesBesideThePlainOnes() throws Exception {
    Path d = Files.createDirectory(dir.resolve("listing"));
    for (String n : new String[] {"b.jlt.gz", "a.jlt", "notes.txt", "c.jlt.gz.part"}) Files.writeString(d.resolve(n), "x");
    assertEquals(List.of(d.resolve("a.jlt"), d.resolve("b.jlt.gz")), Trainer.traces(d));
  }
}
