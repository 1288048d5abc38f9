package javaland.learner.bandit;

/**
 * LinUCB (disjoint models, Li et al. 2010): plays the arm with the largest upper confidence
 * bound θ_aᵀx + α·sqrt(xᵀA_a⁻¹x) on its ridge estimate; see {@link LinearArms} for the
 * Sherman-Morrison updates and forgetting.
 *
 * <p>Deterministic given its history, so the propensity is 1, or 1/m when m arms tie exactly
 * (then one of them is drawn uniformly from the seeded generator).
 */
public final class LinUcb implements BanditPolicy {
  private final LinearArms model;
  private final double alpha;
  private final Rng rng;
  private final int[] ties;

  public LinUcb(int arms, int contextDimension, double alpha, double lambda, double discount, long seed) {
    if (!(alpha >= 0) || Double.isInfinite(alpha)) throw new IllegalArgumentException("alpha must be >= 0: " + alpha);
    this.model = new LinearArms(arms, contextDimension, lambda, discount);
    this.alpha = alpha;
    this.rng = new Rng(seed);
    this.ties = new int[arms];
  }

  @Override
  public int arms() {
    return model.k;
  }

  @Override
  public int contextDimension() {
    return model.d;
  }

  @Override
  public void decide(double[] context, boolean[] excluded, Decision out) {
    Checks.context(context, model.d);
    Checks.allowed(excluded, model.k);
    int n = best(context, excluded);
    out.set(ties[n == 1 ? 0 : rng.nextInt(n)], 1.0 / n);
  }

  @Override
  public void update(double[] context, int arm, double reward) {
    model.update(context, arm, reward);
  }

  @Override
  public void probabilities(double[] context, double[] out) {
    Checks.context(context, model.d);
    int n = best(context, null);
    for (int a = 0; a < model.k; a++) out[a] = 0;
    for (int i = 0; i < n; i++) out[ties[i]] = 1.0 / n;
  }

  /** The upper confidence bound of an arm at x. */
  public double ucb(int arm, double[] x) {
    return model.mean(arm, x) + alpha * Math.sqrt(model.variance(arm, x));
  }

  /** The ridge estimate of an arm's reward at x. */
  public double estimate(int arm, double[] x) {
    return model.mean(arm, x);
  }

  double[] inverse(int arm) {
    return model.inverse(arm);
  }

  private int best(double[] x, boolean[] excluded) {
    int n = 0;
    double top = Double.NEGATIVE_INFINITY;
    for (int a = 0; a < model.k; a++) {
      if (Checks.out(excluded, a)) continue;
      double s = ucb(a, x);
      if (s > top) {
        top = s;
        n = 0;
      }
      if (s == top) ties[n++] = a;
    }
    return n;
  }
}
