package javaland.learner.verdict;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import javaland.learner.bandit.Rng;
import javaland.learner.verdict.CanaryJudge.Outcome;
import org.junit.jupiter.api.Test;

class VerdictTest {
  @Test
  void uCountsPairsWithTiesAsHalf() {
    Rng rng = new Rng(1);
    for (int rep = 0; rep < 50; rep++) {
      double[] a = new double[3 + rng.nextInt(20)];
      double[] b = new double[3 + rng.nextInt(20)];
      for (int i = 0; i < a.length; i++) a[i] = rng.nextInt(6); // many ties
      for (int i = 0; i < b.length; i++) b[i] = rng.nextInt(6);
      double pairs = 0;
      for (double x : a) for (double y : b) pairs += x > y ? 1 : x == y ? 0.5 : 0;
      MannWhitney mw = MannWhitney.test(a, b);
      assertEquals(pairs, mw.u(), 1e-9);
      assertEquals(pairs / (a.length * b.length), mw.effect(), 1e-12);
    }
  }

  @Test
  void pValueMatchesTheNormalApproximationByHand() {
    // candidate {1,2,2,3}, baseline {2,3,4,5}: ranks 1, 3, 3, 5.5 → R1 = 12.5, U = 2.5;
    // ties: {2,2,2} (t=3) and {3,3} (t=2): Σ(t³−t) = 24 + 6 = 30;
    // var = 16/12 · (9 − 30/56) = 11.2857..., z(less) = (2.5 − 8 + 0.5)/sqrt(var)
    MannWhitney mw = MannWhitney.test(new double[] {1, 2, 2, 3}, new double[] {2, 3, 4, 5});
    assertEquals(2.5, mw.u(), 1e-12);
    double sd = Math.sqrt(16.0 / 12 * (9 - 30.0 / 56));
    assertEquals(javaland.learner.bandit.NormalMax.cdf(-5.0 / sd), mw.pLess(), 1e-9);
    assertTrue(mw.pGreater() > 0.9);
  }

  @Test
  void bootstrapIntervalCoversTheTrueDifference() {
    Rng rng = new Rng(2);
    int covered = 0;
    for (int rep = 0; rep < 200; rep++) {
      double[] a = new double[30];
      double[] b = new double[30];
      for (int i = 0; i < 30; i++) {
        a[i] = 1 + rng.nextGaussian();
        b[i] = rng.nextGaussian();
      }
      BootstrapCi ci = BootstrapCi.meanDifference(a, b, 1000, 0.9, rep);
      assertTrue(ci.lo() <= ci.difference() && ci.difference() <= ci.hi());
      if (ci.lo() <= 1 && 1 <= ci.hi()) covered++;
    }
    // nominal 90%; the percentile bootstrap runs slightly narrow at n = 30
    assertTrue(covered >= 160 && covered <= 195, "90% interval covered the truth " + covered + "/200 times");
  }

  /** Runs one canary of up to {@code windows} windows: each window adds one sample a side. */
  static Outcome[] canary(double shift, int windows, long seed, int[] decidedAt) {
    Rng rng = new Rng(seed);
    CanaryJudge judge = new CanaryJudge(VerdictConfig.DEFAULT, seed);
    double[] cand = new double[windows];
    double[] base = new double[windows];
    for (int w = 0; w < windows; w++) {
      cand[w] = shift + rng.nextGaussian();
      base[w] = rng.nextGaussian();
      var j = judge.judge(java.util.Arrays.copyOf(cand, w + 1), java.util.Arrays.copyOf(base, w + 1));
      if (j.outcome() != Outcome.CONTINUE) {
        decidedAt[0] = w + 1;
        return new Outcome[] {j.outcome()};
      }
    }
    decidedAt[0] = windows;
    return new Outcome[] {Outcome.CONTINUE};
  }

  static int[] outcomes(double shift, int reps, int windows) {
    int[] counts = new int[3];
    int[] at = new int[1];
    for (int s = 0; s < reps; s++) counts[canary(shift, windows, 1000 + s, at)[0].ordinal()]++;
    return counts;
  }

  @Test
  void falsePositiveRatesUnderNoDifference() {
    int reps = 300;
    int[] c = outcomes(0, reps, 30); // up to 30 windows, judged after every one
    double commit = c[Outcome.COMMIT.ordinal()] / (double) reps;
    double rollback = c[Outcome.ROLLBACK.ordinal()] / (double) reps;
    System.out.printf("no difference, 30 windows: commit %.3f rollback %.3f%n", commit, rollback);
    // judged 23 times each: the streaks keep the repeated looks from inflating the error much
    assertTrue(commit <= 0.05, "false commit rate " + commit);
    assertTrue(rollback <= 0.10, "false rollback rate " + rollback);
  }

  @Test
  void powerAgainstAOneSigmaShift() {
    int reps = 300;
    int[] better = outcomes(1.0, reps, 30);
    int[] worse = outcomes(-1.0, reps, 30);
    double commit = better[Outcome.COMMIT.ordinal()] / (double) reps;
    double rollback = worse[Outcome.ROLLBACK.ordinal()] / (double) reps;
    System.out.printf("one sigma: commit power %.3f, rollback power %.3f; wrong way: %d, %d%n", commit, rollback,
        better[Outcome.ROLLBACK.ordinal()], worse[Outcome.COMMIT.ordinal()]);
    assertTrue(commit >= 0.9, "commit power " + commit);
    assertTrue(rollback >= 0.9, "rollback power " + rollback);
    assertEquals(0, better[Outcome.ROLLBACK.ordinal()], "a better candidate was rolled back");
    assertEquals(0, worse[Outcome.COMMIT.ordinal()], "a worse candidate was committed");
  }

  @Test
  void hysteresisNeedsConsecutiveAgreement() {
    CanaryJudge judge = new CanaryJudge(VerdictConfig.DEFAULT, 1);
    double[] good = {5, 6, 7, 5, 6, 7, 5, 6, 7, 6};
    double[] base = {0, 1, 0, 1, 0, 1, 0, 1, 0, 1};
    double[] same = {0, 1, 0, 1, 0, 1, 0, 1, 0, 1};
    assertEquals(Outcome.CONTINUE, judge.judge(good, base).outcome());
    assertEquals(Outcome.CONTINUE, judge.judge(good, base).outcome());
    var unsure = judge.judge(same, base); // breaks the streak
    assertEquals("UNSURE", unsure.raw());
    assertEquals(Outcome.CONTINUE, judge.judge(good, base).outcome());
    assertEquals(Outcome.CONTINUE, judge.judge(good, base).outcome());
    var commit = judge.judge(good, base);
    assertEquals(Outcome.COMMIT, commit.outcome(), commit.reason());
    assertTrue(commit.reason().contains("BETTER x3"), commit.reason());
    assertThrows(IllegalStateException.class, () -> judge.judge(good, base));
    judge.reset();
    double[] bad = {-5, -6, -7, -5, -6, -7, -5, -6, -7, -6};
    assertEquals(Outcome.CONTINUE, judge.judge(bad, base).outcome());
    assertEquals(Outcome.ROLLBACK, judge.judge(bad, base).outcome(), "rollback needs only 2 in a row");
  }

  @Test
  void tooFewSamplesNeverDecide() {
    CanaryJudge judge = new CanaryJudge(VerdictConfig.DEFAULT, 1);
    for (int i = 0; i < 10; i++) {
      var j = judge.judge(new double[] {9, 9, 9, 9, 9, 9, 9}, new double[] {0, 0, 0, 0, 0, 0, 0});
      assertEquals(Outcome.CONTINUE, j.outcome());
      assertTrue(j.reason().contains("need 8 windows"), j.reason());
    }
  }
}
