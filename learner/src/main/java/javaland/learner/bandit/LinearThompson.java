package javaland.learner.bandit;

/**
 * Linear Thompson sampling (disjoint models, Agrawal and Goyal 2013): each arm's reward at x is
 * drawn from N(θ_aᵀx, v²·xᵀA_a⁻¹x), the projection of the posterior N(θ_a, v²A_a⁻¹) onto x, and
 * the largest draw is played. See {@link LinearArms} for the updates and forgetting.
 *
 * <p>Because the arms' models are independent, the propensity is exactly the probability that
 * one of K independent normals is the largest: computed by {@link NormalMax} (quadrature), not
 * by Monte Carlo.
 */
public final class LinearThompson implements BanditPolicy {
  private final LinearArms model;
  private final double v;
  private final Rng rng;
  private final double[] mean;
  private final double[] sd;
  private final double[] allowedMean;
  private final double[] allowedSd;
  private final NormalMax normalMax;

  /** @param v posterior scale (exploration): the reward noise's standard deviation is a good start */
  public LinearThompson(int arms, int contextDimension, double v, double lambda, double discount, long seed) {
    Checks.positive("v (posterior scale)", v);
    this.model = new LinearArms(arms, contextDimension, lambda, discount);
    this.v = v;
    this.rng = new Rng(seed);
    this.mean = new double[arms];
    this.sd = new double[arms];
    this.allowedMean = new double[arms];
    this.allowedSd = new double[arms];
    this.normalMax = new NormalMax(arms);
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
    posterior(context);
    int m = Checks.allowed(excluded, model.k);
    int best = -1;
    int bestAt = 0;
    double top = Double.NEGATIVE_INFINITY;
    for (int a = 0, i = 0; a < model.k; a++) {
      if (Checks.out(excluded, a)) continue;
      double draw = mean[a] + sd[a] * rng.nextGaussian();
      // the allowed arms' posteriors, packed at the front, for the propensity
      allowedMean[i] = mean[a];
      allowedSd[i] = sd[a];
      if (best < 0 || draw > top) {
        top = draw;
        best = a;
        bestAt = i;
      }
      i++;
    }
    out.set(best, m == 1 ? 1.0 : normalMax.probabilityMax(allowedMean, allowedSd, m, bestAt));
  }

  @Override
  public void update(double[] context, int arm, double reward) {
    model.update(context, arm, reward);
  }

  @Override
  public void probabilities(double[] context, double[] out) {
    posterior(context);
    if (model.k == 1) {
      out[0] = 1;
      return;
    }
    normalMax.probabilities(mean, sd, model.k, out);
  }

  public double estimate(int arm, double[] x) {
    return model.mean(arm, x);
  }

  private void posterior(double[] x) {
    Checks.context(x, model.d);
    for (int a = 0; a < model.k; a++) {
      mean[a] = model.mean(a, x);
      // a zero context has zero variance; keep the normal proper so the propensity is defined
      sd[a] = Math.max(1e-12, v * Math.sqrt(model.variance(a, x)));
    }
  }
}
