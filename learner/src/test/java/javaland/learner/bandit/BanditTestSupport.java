package javaland.learner.bandit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Checks shared by the policy tests. */
final class BanditTestSupport {
  private BanditTestSupport() {}

  /**
   * The propensity a policy reports must be the frequency with which it actually picks that
   * arm, with the policy frozen (no updates), and probabilities() must agree with it.
   */
  static void propensityMatchesFrequency(BanditPolicy policy, double[] context, int draws) {
    int k = policy.arms();
    double[] p = new double[k];
    policy.probabilities(context, p);
    double total = 0;
    for (double x : p) total += x;
    assertEquals(1.0, total, 1e-6, "probabilities sum");
    int[] count = new int[k];
    Decision d = new Decision();
    for (int t = 0; t < draws; t++) {
      policy.decide(context, d);
      count[d.arm()]++;
      assertEquals(p[d.arm()], d.propensity(), 1e-9, "reported propensity vs probabilities()");
    }
    for (int a = 0; a < k; a++) {
      double se = Math.sqrt(Math.max(p[a] * (1 - p[a]), 1e-12) / draws);
      assertEquals(p[a], count[a] / (double) draws, 4.5 * se + 1e-4, "frequency of arm " + a);
    }
  }
}
