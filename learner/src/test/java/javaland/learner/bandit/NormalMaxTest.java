package javaland.learner.bandit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class NormalMaxTest {
  @Test
  void cdfMatchesKnownValues() {
    assertEquals(0.5, NormalMax.cdf(0), 1e-7);
    assertEquals(0.8413447460685429, NormalMax.cdf(1), 1e-7);
    assertEquals(0.02275013194817921, NormalMax.cdf(-2), 1e-7);
    assertEquals(0.9986501019683699, NormalMax.cdf(3), 1e-7);
  }

  @Test
  void twoArmsMatchTheClosedForm() {
    double[] mean = {1.0, 0.3};
    double[] sd = {0.5, 1.2};
    double expected = NormalMax.cdf((1.0 - 0.3) / Math.sqrt(0.25 + 1.44));
    assertEquals(expected, new NormalMax(2).probabilityMax(mean, sd, 2, 0), 1e-6);
    assertEquals(1 - expected, new NormalMax(2).probabilityMax(mean, sd, 2, 1), 1e-6);
  }

  @Test
  void manyArmsMatchMonteCarloAndSumToOne() {
    double[] mean = {0.0, 0.2, -0.1, 0.25, 0.1};
    double[] sd = {0.3, 0.05, 0.5, 0.2, 1.0};
    double[] p = new double[5];
    new NormalMax(5).probabilities(mean, sd, 5, p);
    double sum = 0;
    for (double x : p) sum += x;
    assertEquals(1.0, sum, 1e-6, "probabilities sum");
    Rng rng = new Rng(7);
    int draws = 400_000;
    int[] wins = new int[5];
    for (int t = 0; t < draws; t++) {
      int best = 0;
      double top = Double.NEGATIVE_INFINITY;
      for (int a = 0; a < 5; a++) {
        double x = mean[a] + sd[a] * rng.nextGaussian();
        if (x > top) {
          top = x;
          best = a;
        }
      }
      wins[best]++;
    }
    for (int a = 0; a < 5; a++) {
      // 4 standard errors of a binomial proportion
      double se = Math.sqrt(p[a] * (1 - p[a]) / draws);
      assertEquals(p[a], wins[a] / (double) draws, 4 * se + 1e-4, "arm " + a);
    }
  }
}
