package javaland.learner.ope;

import java.util.List;

/**
 * Per-arm ridge regression of reward on context, fitted from a log: the simple reward model
 * the doubly robust estimator needs when no better one is at hand.
 */
public final class RidgeRewardModel implements RewardModel {
  private final double[][] theta;

  private RidgeRewardModel(double[][] theta) {
    this.theta = theta;
  }

  public static RidgeRewardModel fit(List<LogRecord> log, int arms, double lambda) {
    if (log.isEmpty()) throw new IllegalArgumentException("cannot fit a reward model to an empty log");
    int d = log.getFirst().dimension();
    double[][] theta = new double[arms][];
    for (int a = 0; a < arms; a++) {
      double[] m = new double[d * d];
      double[] b = new double[d];
      for (int i = 0; i < d; i++) m[i * d + i] = lambda;
      for (LogRecord r : log) {
        if (r.dimension() != d) throw new IllegalArgumentException("log mixes context sizes " + d + " and " + r.dimension());
        if (r.arm() != a) continue;
        for (int i = 0; i < d; i++) {
          b[i] += r.reward() * r.context(i);
          for (int j = 0; j < d; j++) m[i * d + j] += r.context(i) * r.context(j);
        }
      }
      theta[a] = solve(m, b, d);
    }
    return new RidgeRewardModel(theta);
  }

  @Override
  public double predict(double[] context, int arm) {
    double s = 0;
    for (int i = 0; i < theta[arm].length; i++) s += theta[arm][i] * context[i];
    return s;
  }

  /** Gaussian elimination with partial pivoting; m is symmetric positive definite (ridge). */
  static double[] solve(double[] m, double[] b, int d) {
    for (int c = 0; c < d; c++) {
      int p = c;
      for (int r = c + 1; r < d; r++) if (Math.abs(m[r * d + c]) > Math.abs(m[p * d + c])) p = r;
      if (p != c) {
        for (int j = 0; j < d; j++) {
          double t = m[c * d + j];
          m[c * d + j] = m[p * d + j];
          m[p * d + j] = t;
        }
        double t = b[c];
        b[c] = b[p];
        b[p] = t;
      }
      for (int r = c + 1; r < d; r++) {
        double f = m[r * d + c] / m[c * d + c];
        for (int j = c; j < d; j++) m[r * d + j] -= f * m[c * d + j];
        b[r] -= f * b[c];
      }
    }
    double[] x = new double[d];
    for (int r = d - 1; r >= 0; r--) {
      double s = b[r];
      for (int j = r + 1; j < d; j++) s -= m[r * d + j] * x[j];
      x[r] = s / m[r * d + r];
    }
    return x;
  }
}
