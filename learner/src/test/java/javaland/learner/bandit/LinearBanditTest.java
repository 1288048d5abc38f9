package javaland.learner.bandit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LinearBanditTest {
  // reward of arm a at x = THETA[a]·x + noise; the best arm depends on the context
  private static final double[][] THETA = {{0.5, 1.0, -1.0}, {0.5, -1.0, 1.0}, {0.6, 0.0, 0.0}};

  private static double[] context(Rng rng) {
    return new double[] {1.0, rng.nextDouble() * 2 - 1, rng.nextDouble() * 2 - 1};
  }

  private static int bestArm(double[] x) {
    int best = 0;
    for (int a = 1; a < THETA.length; a++) if (dot(THETA[a], x) > dot(THETA[best], x)) best = a;
    return best;
  }

  private static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) s += a[i] * b[i];
    return s;
  }

  /** Fraction of the last 500 of {@code rounds} decisions that picked the best arm for their context. */
  private static double lateAccuracy(BanditPolicy p, int rounds) {
    Rng env = new Rng(11);
    Decision d = new Decision();
    int good = 0;
    for (int t = 0; t < rounds; t++) {
      double[] x = context(env);
      p.decide(x, d);
      if (t >= rounds - 500 && d.arm() == bestArm(x)) good++;
      p.update(x, d.arm(), dot(THETA[d.arm()], x) + 0.2 * env.nextGaussian());
    }
    return good / 500.0;
  }

  @Test
  void linUcbLearnsTheContextualBestArm() {
    double acc = lateAccuracy(new LinUcb(3, 3, 0.5, 1.0, 1.0, 1), 3000);
    assertTrue(acc > 0.9, "accuracy " + acc);
  }

  @Test
  void linearThompsonLearnsTheContextualBestArm() {
    double acc = lateAccuracy(new LinearThompson(3, 3, 0.2, 1.0, 1.0, 1), 3000);
    assertTrue(acc > 0.9, "accuracy " + acc);
  }

  @Test
  void shermanMorrisonInverseEqualsTheDirectInverse() {
    LinUcb p = new LinUcb(2, 3, 1, 2.0, 1.0, 1);
    Rng rng = new Rng(3);
    double[] a = {2, 0, 0, 0, 2, 0, 0, 0, 2}; // λI
    for (int t = 0; t < 50; t++) {
      double[] x = context(rng);
      p.update(x, 1, rng.nextDouble());
      for (int i = 0; i < 3; i++) for (int j = 0; j < 3; j++) a[i * 3 + j] += x[i] * x[j];
    }
    double[] inv = p.inverse(1);
    // A · A⁻¹ = I
    for (int i = 0; i < 3; i++) {
      for (int j = 0; j < 3; j++) {
        double s = 0;
        for (int m = 0; m < 3; m++) s += a[i * 3 + m] * inv[m * 3 + j];
        assertEquals(i == j ? 1.0 : 0.0, s, 1e-9, "(A·A⁻¹)[" + i + "][" + j + "]");
      }
    }
  }

  @Test
  void ridgeEstimateMatchesTheNormalEquations() {
    // one-dimensional: θ = Σxr / (λ + Σx²)
    LinUcb p = new LinUcb(1, 1, 0, 1.0, 1.0, 1);
    p.update(new double[] {2}, 0, 4);
    p.update(new double[] {1}, 0, 1);
    assertEquals((8 + 1) / (1 + 4 + 1.0), p.estimate(0, new double[] {1}), 1e-12);
  }

  @Test
  void linUcbTiesAreSplitAndReported() {
    LinUcb p = new LinUcb(4, 2, 1, 1, 1.0, 7);
    double[] x = {1, 0.5};
    double[] probs = new double[4];
    p.probabilities(x, probs);
    for (double q : probs) assertEquals(0.25, q, 1e-12);
    BanditTestSupport.propensityMatchesFrequency(p, x, 100_000);
    p.update(x, 2, 5.0);
    Decision d = new Decision();
    p.decide(x, d);
    assertEquals(2, d.arm());
    assertEquals(1.0, d.propensity());
  }

  @Test
  void linearThompsonPropensityIsItsChoiceFrequency() {
    LinearThompson p = new LinearThompson(3, 2, 0.5, 1, 1.0, 5);
    double[] x = {1, 0.3};
    p.update(x, 0, 0.2);
    p.update(x, 1, 0.4);
    BanditTestSupport.propensityMatchesFrequency(p, x, 200_000);
  }

  @Test
  void forgettingReExploresAfterAChange() {
    double forgetful = lateShareOfNewBest(new LinUcb(2, 1, 2, 1, 0.98, 1));
    double stubborn = lateShareOfNewBest(new LinUcb(2, 1, 2, 1, 1.0, 1));
    assertTrue(forgetful > 0.7, "with forgetting, share of the new best arm late: " + forgetful);
    assertTrue(stubborn < 0.3, "without forgetting, 3000 old rewards should still dominate: " + stubborn);
  }

  /** Arm 0 is best for 3000 rounds, then arm 1 for 600: the share of arm 1 in the last 200. */
  private static double lateShareOfNewBest(LinUcb p) {
    double[] x = {1};
    Decision d = new Decision();
    for (int t = 0; t < 3000; t++) {
      p.decide(x, d);
      p.update(x, d.arm(), d.arm() == 0 ? 1.0 : 0.6);
    }
    int late = 0;
    for (int t = 0; t < 600; t++) {
      p.decide(x, d);
      if (t >= 400 && d.arm() == 1) late++;
      p.update(x, d.arm(), d.arm() == 0 ? 0.3 : 0.6);
    }
    return late / 200.0;
  }

  @Test
  void contextOfTheWrongSizeIsRejected() {
    LinUcb p = new LinUcb(2, 3, 1, 1, 1, 1);
    var e = assertThrows(IllegalArgumentException.class, () -> p.decide(new double[2], new Decision()));
    assertTrue(e.getMessage().contains("3 values"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> p.update(new double[] {1, Double.NaN, 0}, 0, 1));
    assertTrue(e.getMessage().contains("context[1]"), e.getMessage());
  }
}
