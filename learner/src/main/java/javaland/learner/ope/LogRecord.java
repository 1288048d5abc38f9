package javaland.learner.ope;

/**
 * One logged decision: in {@code context} the policy played {@code arm}, which it chose with
 * probability {@code propensity}, and {@code reward} was observed afterwards.
 */
public record LogRecord(long epochMs, double[] context, int arm, double propensity, double reward) {
  public LogRecord {
    if (context == null) throw new IllegalArgumentException("log record: context is null");
    context = context.clone();
    if (arm < 0) throw new IllegalArgumentException("log record: arm " + arm + " is negative");
    if (!(propensity > 0 && propensity <= 1)) {
      throw new IllegalArgumentException("log record: propensity " + propensity + " is not in (0, 1]");
    }
    if (!Double.isFinite(reward)) throw new IllegalArgumentException("log record: reward " + reward + " is not finite");
    for (int i = 0; i < context.length; i++) {
      if (!Double.isFinite(context[i])) {
        throw new IllegalArgumentException("log record: context[" + i + "] = " + context[i] + " is not finite");
      }
    }
  }

  @Override
  public double[] context() {
    return context.clone();
  }

  /** Context value i without copying. */
  public double context(int i) {
    return context[i];
  }

  public int dimension() {
    return context.length;
  }
}
