package javaland.learner.ope;

import java.util.List;

/**
 * Off-policy estimators of a target policy's value from a log gathered by another policy, with
 * importance weights w = π(a|x)/p where p is the logged propensity:
 *
 * <ul>
 *   <li>IPS: mean of w·r. Unbiased when every arm the target may play had p &gt; 0; variance
 *       grows with the weights.
 *   <li>Self-normalised IPS: Σw·r / Σw. Slightly biased, much lower variance when weights are
 *       large; invariant to adding a constant to the reward.
 *   <li>Doubly robust: mean of Σ_a π(a|x)·q(x,a) + w·(r − q(x,a_logged)). Unbiased if either
 *       the propensities or the reward model q are right; lower variance than IPS the better q.
 * </ul>
 *
 * Standard errors: the sample standard deviation of the per-record terms over √n (SNIPS: the
 * delta method). Intervals are normal approximations, fine for the thousands of records a run
 * of windows gives, optimistic for a few dozen.
 */
public final class OffPolicy {
  private OffPolicy() {}

  public static Estimate ips(List<LogRecord> log, int arms, TargetPolicy target) {
    double[] w = weights(log, arms, target);
    double[] terms = new double[w.length];
    for (int i = 0; i < w.length; i++) terms[i] = w[i] * log.get(i).reward();
    return meanEstimate("ips", terms, ess(w));
  }

  public static Estimate selfNormalisedIps(List<LogRecord> log, int arms, TargetPolicy target) {
    double[] w = weights(log, arms, target);
    double sw = 0;
    double swr = 0;
    for (int i = 0; i < w.length; i++) {
      sw += w[i];
      swr += w[i] * log.get(i).reward();
    }
    if (sw == 0) throw new IllegalArgumentException("the target policy never plays an arm that the log played");
    double v = swr / sw;
    double var = 0;
    for (int i = 0; i < w.length; i++) {
      double e = w[i] * (log.get(i).reward() - v);
      var += e * e;
    }
    return Estimate.of("snips", v, Math.sqrt(var) / sw, w.length, ess(w));
  }

  public static Estimate doublyRobust(List<LogRecord> log, int arms, TargetPolicy target, RewardModel model) {
    check(log, arms);
    double[] pi = new double[arms];
    double[] terms = new double[log.size()];
    double[] w = new double[log.size()];
    for (int i = 0; i < log.size(); i++) {
      LogRecord r = log.get(i);
      double[] x = r.context();
      probabilities(target, x, pi, i);
      double direct = 0;
      for (int a = 0; a < arms; a++) if (pi[a] > 0) direct += pi[a] * model.predict(x, a);
      w[i] = pi[r.arm()] / r.propensity();
      terms[i] = direct + w[i] * (r.reward() - model.predict(x, r.arm()));
    }
    return meanEstimate("dr", terms, ess(w));
  }

  private static double[] weights(List<LogRecord> log, int arms, TargetPolicy target) {
    check(log, arms);
    double[] pi = new double[arms];
    double[] w = new double[log.size()];
    for (int i = 0; i < w.length; i++) {
      LogRecord r = log.get(i);
      probabilities(target, r.context(), pi, i);
      w[i] = pi[r.arm()] / r.propensity();
    }
    return w;
  }

  private static void probabilities(TargetPolicy target, double[] x, double[] pi, int record) {
    target.probabilities(x, pi);
    double sum = 0;
    for (double p : pi) {
      if (!(p >= 0 && p <= 1)) throw new IllegalArgumentException("target policy gave probability " + p + " at record " + record);
      sum += p;
    }
    if (Math.abs(sum - 1) > 1e-4) {
      throw new IllegalArgumentException("target policy's probabilities sum to " + sum + " at record " + record);
    }
  }

  private static void check(List<LogRecord> log, int arms) {
    if (log.size() < 2) throw new IllegalArgumentException("off-policy evaluation needs at least 2 records, got " + log.size());
    for (int i = 0; i < log.size(); i++) {
      LogRecord r = log.get(i);
      if (r.arm() >= arms) throw new IllegalArgumentException("record " + i + " played arm " + r.arm() + " of only " + arms);
    }
  }

  private static Estimate meanEstimate(String method, double[] terms, double ess) {
    int n = terms.length;
    double mean = 0;
    for (double t : terms) mean += t;
    mean /= n;
    double var = 0;
    for (double t : terms) var += (t - mean) * (t - mean);
    var /= (n - 1);
    return Estimate.of(method, mean, Math.sqrt(var / n), n, ess);
  }

  private static double ess(double[] w) {
    double s = 0;
    double s2 = 0;
    for (double x : w) {
      s += x;
      s2 += x * x;
    }
    return s2 == 0 ? 0 : s * s / s2;
  }
}
