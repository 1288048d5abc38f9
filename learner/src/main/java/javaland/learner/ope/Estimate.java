package javaland.learner.ope;

/**
 * An off-policy estimate of a target policy's mean reward per decision, with its standard error
 * and a normal-approximation 95% interval.
 *
 * @param effectiveSampleSize (Σw)²/Σw² of the importance weights: how many on-policy samples
 *     the log is worth for this target; far below n means the estimate leans on a few records
 */
public record Estimate(String method, double value, double standardError, double lo, double hi, int n,
    double effectiveSampleSize) {
  static final double Z95 = 1.959963984540054;

  static Estimate of(String method, double value, double se, int n, double ess) {
    return new Estimate(method, value, se, value - Z95 * se, value + Z95 * se, n, ess);
  }

  public boolean covers(double v) {
    return lo <= v && v <= hi;
  }
}
