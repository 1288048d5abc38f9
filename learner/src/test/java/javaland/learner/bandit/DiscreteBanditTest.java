package javaland.learner.bandit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DiscreteBanditTest {
  private static final double[] MEANS = {0.1, 0.5, 0.3, 0.45};

  /** Plays T rounds with Gaussian rewards (sd 0.3); returns how often the best arm was played in the last quarter. */
  private static double bestFractionLate(BanditPolicy policy, int rounds, long seed) {
    Rng env = new Rng(seed);
    Decision d = new Decision();
    int late = 0;
    for (int t = 0; t < rounds; t++) {
      policy.decide(null, d);
      policy.update(null, d.arm(), MEANS[d.arm()] + 0.3 * env.nextGaussian());
      if (t >= rounds * 3 / 4 && d.arm() == 1) late++;
    }
    return late / (rounds / 4.0);
  }

  @Test
  void epsilonGreedyFindsTheBestArm() {
    double f = bestFractionLate(new EpsilonGreedy(4, 0.1, 1.0, 1), 4000, 2);
    // greedy part plays the best arm; exploration plays it epsilon/K of the time
    assertTrue(f > 0.85, "best arm fraction " + f);
  }

  @Test
  void thompsonFindsTheBestArm() {
    double f = bestFractionLate(new GaussianThompson(4, 0, 1, 0.3, 1.0, 1), 4000, 2);
    assertTrue(f > 0.9, "best arm fraction " + f);
  }

  @Test
  void epsilonGreedyPropensityIsItsChoiceFrequency() {
    EpsilonGreedy p = new EpsilonGreedy(4, 0.2, 1.0, 3);
    p.update(null, 0, 1.0);
    p.update(null, 1, 2.0);
    p.update(null, 2, 2.0); // two greedy arms tie
    p.update(null, 3, 0.0);
    double[] probs = new double[4];
    p.probabilities(null, probs);
    assertArrayEquals(new double[] {0.05, 0.45, 0.45, 0.05}, probs, 1e-12);
    BanditTestSupport.propensityMatchesFrequency(p, null, 200_000);
  }

  @Test
  void thompsonPropensityIsItsChoiceFrequency() {
    GaussianThompson p = new GaussianThompson(3, 0, 1, 1, 1.0, 5);
    p.update(null, 0, 0.4);
    p.update(null, 1, 0.6);
    p.update(null, 1, 0.2);
    BanditTestSupport.propensityMatchesFrequency(p, null, 200_000);
  }

  @Test
  void thompsonPosteriorIsConjugate() {
    GaussianThompson p = new GaussianThompson(1, 1.0, 2.0, 0.5, 1.0, 1);
    p.update(null, 0, 3.0);
    p.update(null, 0, 2.0);
    // precision 1/4 + 2/0.25 = 8.25; mean (1/4*1 + 4*5)/8.25
    assertEquals((0.25 + 20) / 8.25, p.posteriorMean(0), 1e-12);
  }

  @Test
  void forgettingFollowsAChangedWorld() {
    EpsilonGreedy forgetful = new EpsilonGreedy(2, 0.1, 0.95, 1);
    EpsilonGreedy stubborn = new EpsilonGreedy(2, 0.1, 1.0, 1);
    Decision d = new Decision();
    for (BanditPolicy p : new BanditPolicy[] {forgetful, stubborn}) {
      for (int t = 0; t < 2000; t++) {
        p.decide(null, d);
        p.update(null, d.arm(), d.arm() == 0 ? 1.0 : 0.0);
      }
      for (int t = 0; t < 200; t++) { // arm 1 becomes the better one
        p.decide(null, d);
        p.update(null, d.arm(), d.arm() == 0 ? 0.0 : 0.5);
      }
    }
    assertTrue(forgetful.mean(0) < forgetful.mean(1), "forgetful policy still prefers the old arm");
    assertTrue(stubborn.mean(0) > stubborn.mean(1), "without forgetting, 2000 old rewards should dominate");
  }

  @Test
  void sameSeedSameDecisions() {
    int[] a = run(new GaussianThompson(4, 0, 1, 0.3, 1.0, 42));
    int[] b = run(new GaussianThompson(4, 0, 1, 0.3, 1.0, 42));
    int[] c = run(new GaussianThompson(4, 0, 1, 0.3, 1.0, 43));
    assertArrayEquals(a, b);
    assertTrue(!java.util.Arrays.equals(a, c), "a different seed should give a different run");
  }

  private static int[] run(BanditPolicy p) {
    Rng env = new Rng(9);
    Decision d = new Decision();
    int[] arms = new int[300];
    for (int t = 0; t < arms.length; t++) {
      p.decide(null, d);
      arms[t] = d.arm();
      p.update(null, d.arm(), MEANS[d.arm()] + 0.3 * env.nextGaussian());
    }
    return arms;
  }

  @Test
  void badArgumentsAreNamed() {
    var e = assertThrows(IllegalArgumentException.class, () -> new EpsilonGreedy(3, 1.5, 1, 1));
    assertTrue(e.getMessage().contains("epsilon"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new GaussianThompson(3, 0, 1, 1, 0, 1));
    assertTrue(e.getMessage().contains("discount"), e.getMessage());
    var p = new EpsilonGreedy(3, 0.1, 1, 1);
    e = assertThrows(IllegalArgumentException.class, () -> p.update(null, 3, 1));
    assertTrue(e.getMessage().contains("arm 3"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> p.update(null, 0, Double.NaN));
    assertTrue(e.getMessage().contains("reward"), e.getMessage());
  }
}
