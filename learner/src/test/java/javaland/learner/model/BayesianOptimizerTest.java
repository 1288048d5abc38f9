package javaland.learner.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import javaland.learner.bandit.Rng;
import javaland.sdk.Parameter;
import org.junit.jupiter.api.Test;

class BayesianOptimizerTest {
  static final List<Parameter> SPECS = List.of(
      Parameter.of("slice_us", 100, 20000, 3000, "us", "slice"),
      Parameter.of("wake_boost", 0, 1, 0.5, "", "boost"));

  /** Peak 0 at slice 6070 µs (0.3 of the range), boost 0.7; scaled units (−0.005 is 0.07 away). */
  static double reward(Map<String, Double> p) {
    double a = (p.get("slice_us") - 100) / 19900 - 0.3;
    double b = p.get("wake_boost") - 0.7;
    return -(a * a + b * b);
  }

  static double bayes(long seed, int budget) {
    BayesianOptimizer bo = new BayesianOptimizer(SPECS, seed);
    for (int i = 0; i < budget; i++) {
      Map<String, Double> p = bo.suggest();
      bo.observe(p, reward(p));
    }
    return bo.bestReward();
  }

  static double random(long seed, int budget) {
    Rng rng = new Rng(seed);
    double best = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < budget; i++) {
      best = Math.max(best, reward(Map.of("slice_us", 100 + 19900 * rng.nextDouble(), "wake_boost", rng.nextDouble())));
    }
    return best;
  }

  @Test
  void findsThePeakAndBeatsRandomSearch() {
    int wins = 0;
    for (long seed = 1; seed <= 8; seed++) {
      double bo = bayes(seed, 20);
      assertTrue(bo > -0.005, "seed " + seed + ": best reward " + bo + " (peak 0)");
      if (bo > random(seed + 100, 20)) wins++;
    }
    assertTrue(wins >= 7, "Bayesian optimisation beat random search in only " + wins + " of 8 runs");
  }

  @Test
  void equalRewardsEverywhereStillGiveASuggestion() {
    // a flat landscape (a workload no parameter changes): the process cannot be normalised; it explores
    BayesianOptimizer bo = new BayesianOptimizer(SPECS, 0.2, 1e-3, 2, 100, 3);
    for (int i = 0; i < 6; i++) {
      Map<String, Double> p = bo.suggest();
      assertEquals(2, p.size());
      assertTrue(p.get("slice_us") >= 100 && p.get("slice_us") <= 20000, p.toString());
      bo.observe(p, -1.5);
    }
    assertEquals(-1.5, bo.bestReward());
  }

  @Test
  void deterministicGivenTheSeed() {
    assertEquals(bayes(5, 12), bayes(5, 12), 0.0);
  }

  @Test
  void badObservationsAreNamed() {
    BayesianOptimizer bo = new BayesianOptimizer(SPECS, 1);
    var e = assertThrows(IllegalArgumentException.class, () -> bo.observe(Map.of("slice_us", 500.0), 1));
    assertTrue(e.getMessage().contains("lacks parameter wake_boost"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> bo.observe(Map.of("slice_us", 50.0, "wake_boost", 0.1), 1));
    assertTrue(e.getMessage().contains("slice_us"), e.getMessage());
  }
}
