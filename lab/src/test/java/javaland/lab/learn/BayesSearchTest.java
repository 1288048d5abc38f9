package javaland.lab.learn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javaland.lab.experiment.ExperimentRunner;
import javaland.learner.model.TribuoRewardModel;
import javaland.learner.reward.RewardConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code train --search bo|both} on the simulated kernel: the Smile GP against the grid's brute force. */
class BayesSearchTest {
  /** Nine slices over two orders of magnitude: what the grid tries, and the range BO searches. */
  static final Map<String, List<Double>> ARMS =
      Map.of("slice_max_us", List.of(250.0, 500.0, 1000.0, 2000.0, 3000.0, 5000.0, 8000.0, 12000.0, 20000.0));

  @TempDir Path dir;

  static Trainer.Options options(Trainer.Search search, int budget, int threads) {
    return new Trainer.Options(null, List.of("hogs"), 4, 150_000_000L, "deadline", ARMS, 2, threads, RewardConfig.DEFAULT,
        TribuoRewardModel.Settings.DEFAULT, search, budget);
  }

  /**
   * Measured (hogs, 4 CPUs, 150 ms, seeds 1-2): the grid's best is slice 250 µs at reward -0.759,
   * its worst 20000 µs at -5.222; BO (log scale) reaches the same point at its 6th evaluation.
   * Asserted: within 5% of the grid's best-to-worst spread, in 6 evaluations against the grid's 9.
   */
  @Test
  void findsNearlyTheGridsBestWithFewerEvaluationsAndIsDeterministic() throws Exception {
    Trainer.Result r = Trainer.train(options(Trainer.Search.BOTH, 6, 1), null, new ExperimentRunner.Listener() {});
    assertEquals(1, r.bayes().size());
    BayesSearch.Result b = r.bayes().getFirst();
    Trainer.WorkloadResult g = r.workloads().getFirst();
    assertEquals(6, b.points().size());
    assertTrue(b.points().size() < r.grid().size());
    double spread = g.bestReward() - g.worstReward();
    assertTrue(spread > 1, "the slice matters on hogs: " + g.bestReward() + " vs " + g.worstReward());
    assertTrue(b.bestReward() >= g.bestReward() - 0.05 * spread,
        "BO best " + b.bestReward() + " at " + b.best() + " vs grid best " + g.bestReward() + " (spread " + spread + ")");
    for (BayesSearch.Point p : b.points()) {
      double v = p.values().get("slice_max_us");
      assertTrue(v >= 250 && v <= 20000 && v == Math.rint(v), "searched within the grid's range, whole µs: " + v);
    }
    // the curve never goes down and ends at the best
    for (int i = 1; i < b.bestSoFar().length; i++) assertTrue(b.bestSoFar()[i] >= b.bestSoFar()[i - 1]);
    assertEquals(b.bestReward(), b.bestSoFar()[5]);
    // grid samples (9 arms x 2 seeds) and BO samples (6 x 2) both train the model
    assertEquals(30, r.samples());

    Trainer.Result again = Trainer.train(options(Trainer.Search.BOTH, 6, 2), null, new ExperimentRunner.Listener() {});
    assertArrayEquals(b.bestSoFar(), again.bayes().getFirst().bestSoFar(), 0.0);
    assertEquals(b.best(), again.bayes().getFirst().best());
  }

  @Test
  void boAloneRunsNoGridAndSavesTheModel() throws Exception {
    Trainer.Result r = Trainer.train(options(Trainer.Search.BO, 4, 0), dir.resolve("reg"), new ExperimentRunner.Listener() {});
    assertTrue(r.workloads().isEmpty());
    assertEquals(4, r.bayes().getFirst().points().size());
    assertEquals(8, r.samples(), "4 points x 2 seeds");
    assertEquals("reward-model-deadline", r.artifact().name());
    assertTrue(r.data().contains("search bo, budget 4"), r.data());
  }

  @Test
  void badSearchesAreNamed() {
    var e = assertThrows(IllegalArgumentException.class, () -> BayesSearch.space("deadline", Map.of("slice_max_us", List.of(500.0))));
    assertTrue(e.getMessage().contains("no parameter two values"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> options(Trainer.Search.BO, 1, 1));
    assertTrue(e.getMessage().contains("--budget must be within 2..1000, got 1"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> BayesSearch.space("deadline", Map.of("slice_max_us", List.of(1.0, 500.0))));
    assertTrue(e.getMessage().contains("slice_max_us"), e.getMessage());
  }
}
