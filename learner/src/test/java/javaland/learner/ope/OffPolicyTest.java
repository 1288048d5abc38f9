package javaland.learner.ope;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import javaland.learner.bandit.Rng;
import org.junit.jupiter.api.Test;

/**
 * Synthetic logs whose target values are known in closed form. Context x = (1, u), u ~ U(0,1);
 * reward of arm a = THETA[a]·x + N(0, 0.2²); the logging policy prefers arm 0 for u &lt; 0.5 and
 * arm 2 above, with probabilities {0.6, 0.3, 0.1} mirrored.
 */
class OffPolicyTest {
  static final double[][] THETA = {{1.0, -1.0}, {0.5, 0.0}, {0.0, 1.5}};
  static final int ARMS = 3;

  static double[] logging(double u) {
    return u < 0.5 ? new double[] {0.6, 0.3, 0.1} : new double[] {0.1, 0.3, 0.6};
  }

  /** Target A: arm 2 for u < 0.5 (which the log rarely played there), arm 0 above. */
  static final TargetPolicy CONTRARIAN = (x, out) -> {
    out[0] = x[1] < 0.5 ? 0 : 1;
    out[1] = 0;
    out[2] = x[1] < 0.5 ? 1 : 0;
  };

  /** E over u of the contrarian's reward: ∫0^.5 1.5u du + ∫.5^1 (1 − u) du = 0.1875 + 0.125. */
  static final double CONTRARIAN_VALUE = 0.1875 + 0.125;

  /** Target B: uniform over the arms; value = mean over arms of E[θ·x] = (0.5 + 0.5 + 0.75)/3. */
  static final TargetPolicy UNIFORM = (x, out) -> java.util.Arrays.fill(out, 1.0 / 3);
  static final double UNIFORM_VALUE = (0.5 + 0.5 + 0.75) / 3;

  static List<LogRecord> log(int n, long seed) {
    Rng rng = new Rng(seed);
    List<LogRecord> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      double u = rng.nextDouble();
      double[] p = logging(u);
      double c = rng.nextDouble();
      int a = c < p[0] ? 0 : c < p[0] + p[1] ? 1 : 2;
      double r = THETA[a][0] + THETA[a][1] * u + 0.2 * rng.nextGaussian();
      out.add(new LogRecord(i, new double[] {1, u}, a, p[a], r));
    }
    return out;
  }

  static final RewardModel TRUE_MODEL = (x, a) -> THETA[a][0] + THETA[a][1] * x[1];

  @Test
  void everyEstimatorCoversTheTrueValue() {
    List<LogRecord> log = log(20_000, 1);
    RewardModel fitted = RidgeRewardModel.fit(log, ARMS, 1e-3);
    for (var e : List.of(OffPolicy.ips(log, ARMS, CONTRARIAN), OffPolicy.selfNormalisedIps(log, ARMS, CONTRARIAN),
        OffPolicy.doublyRobust(log, ARMS, CONTRARIAN, fitted), OffPolicy.doublyRobust(log, ARMS, CONTRARIAN, (x, a) -> 0))) {
      assertTrue(e.covers(CONTRARIAN_VALUE), e + " does not cover " + CONTRARIAN_VALUE);
      assertTrue(e.standardError() < 0.02, "interval too wide to mean anything: " + e);
    }
    for (var e : List.of(OffPolicy.ips(log, ARMS, UNIFORM), OffPolicy.selfNormalisedIps(log, ARMS, UNIFORM),
        OffPolicy.doublyRobust(log, ARMS, UNIFORM, fitted))) {
      assertTrue(e.covers(UNIFORM_VALUE), e + " does not cover " + UNIFORM_VALUE);
    }
  }

  @Test
  void intervalsHaveRoughlyTheirNominalCoverage() {
    int reps = 200;
    int ips = 0;
    int dr = 0;
    for (int s = 0; s < reps; s++) {
      List<LogRecord> log = log(2000, 100 + s);
      if (OffPolicy.ips(log, ARMS, CONTRARIAN).covers(CONTRARIAN_VALUE)) ips++;
      if (OffPolicy.doublyRobust(log, ARMS, CONTRARIAN, RidgeRewardModel.fit(log, ARMS, 1e-3)).covers(CONTRARIAN_VALUE)) dr++;
    }
    // 95% nominal; 200 reps give a binomial sd of 1.5 points
    assertTrue(ips >= 0.90 * reps, "IPS coverage " + ips + "/" + reps);
    assertTrue(dr >= 0.90 * reps, "DR coverage " + dr + "/" + reps);
  }

  @Test
  void aGoodRewardModelShrinksTheDoublyRobustError() {
    List<LogRecord> log = log(5000, 3);
    Estimate ips = OffPolicy.ips(log, ARMS, CONTRARIAN);
    Estimate dr = OffPolicy.doublyRobust(log, ARMS, CONTRARIAN, TRUE_MODEL);
    assertTrue(dr.standardError() < 0.6 * ips.standardError(), "DR " + dr + " vs IPS " + ips);
    // with the true model, DR's error is only the noise the reweighting cannot remove
    assertEquals(CONTRARIAN_VALUE, dr.value(), 4 * dr.standardError());
  }

  @Test
  void onPolicyWeightsAreOne() {
    List<LogRecord> log = log(1000, 4);
    Estimate e = OffPolicy.ips(log, ARMS, (x, out) -> {
      double[] p = logging(x[1]);
      System.arraycopy(p, 0, out, 0, 3);
    });
    assertEquals(1000, e.effectiveSampleSize(), 1e-6);
    double mean = log.stream().mapToDouble(LogRecord::reward).average().orElseThrow();
    assertEquals(mean, e.value(), 1e-12);
  }

  @Test
  void badInputIsNamed() {
    List<LogRecord> log = log(10, 5);
    var e = assertThrows(IllegalArgumentException.class, () -> OffPolicy.ips(log, 2, CONTRARIAN));
    assertTrue(e.getMessage().contains("of only 2"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> OffPolicy.ips(log, 3, (x, out) -> java.util.Arrays.fill(out, 0.5)));
    assertTrue(e.getMessage().contains("sum to 1.5"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new LogRecord(0, new double[] {1}, 0, 0.0, 1));
    assertTrue(e.getMessage().contains("propensity 0.0"), e.getMessage());
  }
}
