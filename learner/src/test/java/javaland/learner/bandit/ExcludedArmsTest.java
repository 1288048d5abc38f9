package javaland.learner.bandit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Supplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Arms the online learner must not propose (a runtime guard reverted them, or they are the values
 * in force): a policy told to exclude them never chooses them, and the propensity it reports is
 * the frequency of its choice under that restriction (what the decision log and off-policy
 * evaluation need).
 */
class ExcludedArmsTest {
  private static final double[] X = {1.0, 0.3, -0.2};
  // arm 1 is the best; excluding it must move the choice to the others
  private static final double[] REWARD = {0.2, 0.9, 0.5, 0.1};

  private static BanditPolicy trained(String kind, long seed) {
    BanditPolicy p = switch (kind) {
      case "linucb" -> new LinUcb(4, 3, 1.0, 1.0, 1.0, seed);
      case "lints" -> new LinearThompson(4, 3, 0.3, 1.0, 1.0, seed);
      case "thompson" -> new GaussianThompson(4, 0, 1, 0.5, 1.0, seed);
      case "egreedy" -> new EpsilonGreedy(4, 0.2, 1.0, seed);
      default -> throw new AssertionError(kind);
    };
    for (int r = 0; r < 3; r++) for (int a = 0; a < 4; a++) p.update(X, a, REWARD[a] + 0.05 * (r - 1));
    return p;
  }

  @ParameterizedTest
  @ValueSource(strings = {"linucb", "lints", "thompson", "egreedy"})
  void anExcludedArmIsNeverChosenAndThePropensityIsUnderTheRestriction(String kind) {
    BanditPolicy p = trained(kind, 7);
    boolean[] excluded = {false, true, false, false};
    int draws = 100_000;
    int[] count = new int[4];
    double[] reported = new double[4];
    Decision d = new Decision();
    for (int t = 0; t < draws; t++) {
      p.decide(X, excluded, d);
      assertFalse(excluded[d.arm()], "chose excluded arm " + d.arm());
      count[d.arm()]++;
      reported[d.arm()] = d.propensity();
    }
    double total = 0;
    for (int a = 0; a < 4; a++) {
      if (count[a] == 0) continue;
      double f = count[a] / (double) draws;
      double se = Math.sqrt(Math.max(f * (1 - f), 1e-12) / draws);
      assertEquals(reported[a], f, 4.5 * se + 2e-3, kind + ": frequency of arm " + a);
      total += reported[a];
    }
    assertEquals(1.0, total, 5e-3, kind + ": the allowed arms' propensities sum to 1");
  }

  @ParameterizedTest
  @ValueSource(strings = {"linucb", "lints", "thompson", "egreedy"})
  void noneExcludedIsTheUnrestrictedPolicyAndNoneLeftIsAnError(String kind) {
    Supplier<BanditPolicy> make = () -> trained(kind, 11);
    BanditPolicy a = make.get();
    BanditPolicy b = make.get();
    Decision da = new Decision();
    Decision db = new Decision();
    for (int t = 0; t < 200; t++) {
      a.decide(X, da);
      b.decide(X, new boolean[4], db);
      assertEquals(da.arm(), db.arm(), "draw " + t);
      assertEquals(da.propensity(), db.propensity(), 1e-12);
    }
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> a.decide(X, new boolean[] {true, true, true, true}, da));
    assertTrue(e.getMessage().contains("every one of the 4 arms is excluded"), e.getMessage());
  }
}
