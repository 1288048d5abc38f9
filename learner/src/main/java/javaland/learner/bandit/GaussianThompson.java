package javaland.learner.bandit;

/**
 * Thompson sampling over a discrete arm set with Gaussian rewards of known noise: each arm's
 * mean has the conjugate posterior N(m, 1/τ) from the prior N(priorMean, priorSd²) and the
 * (discounted) rewards seen, τ = 1/priorSd² + n/noiseSd². Each decision draws one mean per arm
 * and plays the largest.
 *
 * <p>Propensity: the probability that the played arm's draw is the largest, by
 * {@link NormalMax} (one-dimensional quadrature, deterministic), not Monte Carlo.
 */
public final class GaussianThompson implements BanditPolicy {
  private final int k;
  private final double priorMean;
  private final double priorPrecision;
  private final double noisePrecision;
  private final Rng rng;
  private final ArmTallies tallies;
  private final double[] mean;
  private final double[] sd;
  private final double[] allowedMean;
  private final double[] allowedSd;
  private final NormalMax normalMax;

  public GaussianThompson(int arms, double priorMean, double priorSd, double noiseSd, double discount, long seed) {
    Checks.arms(arms);
    Checks.positive("priorSd", priorSd);
    Checks.positive("noiseSd", noiseSd);
    Checks.discount(discount);
    if (!Double.isFinite(priorMean)) throw new IllegalArgumentException("priorMean must be finite: " + priorMean);
    this.k = arms;
    this.priorMean = priorMean;
    this.priorPrecision = 1 / (priorSd * priorSd);
    this.noisePrecision = 1 / (noiseSd * noiseSd);
    this.rng = new Rng(seed);
    this.tallies = new ArmTallies(arms, discount);
    this.mean = new double[arms];
    this.sd = new double[arms];
    this.allowedMean = new double[arms];
    this.allowedSd = new double[arms];
    this.normalMax = new NormalMax(arms);
  }

  @Override
  public int arms() {
    return k;
  }

  @Override
  public int contextDimension() {
    return 0;
  }

  @Override
  public void decide(double[] context, boolean[] excluded, Decision out) {
    posterior();
    int m = Checks.allowed(excluded, k);
    int best = -1;
    int bestAt = 0;
    double top = Double.NEGATIVE_INFINITY;
    for (int a = 0, i = 0; a < k; a++) {
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
    Checks.arm(arm, k);
    Checks.reward(reward);
    tallies.add(arm, reward);
  }

  @Override
  public void probabilities(double[] context, double[] out) {
    posterior();
    if (k == 1) {
      out[0] = 1;
      return;
    }
    normalMax.probabilities(mean, sd, k, out);
  }

  /** Posterior mean of an arm's reward. */
  public double posteriorMean(int arm) {
    double tau = priorPrecision + tallies.count[arm] * noisePrecision;
    return (priorPrecision * priorMean + noisePrecision * tallies.sum[arm]) / tau;
  }

  private void posterior() {
    for (int a = 0; a < k; a++) {
      double tau = priorPrecision + tallies.count[a] * noisePrecision;
      mean[a] = (priorPrecision * priorMean + noisePrecision * tallies.sum[a]) / tau;
      sd[a] = 1 / Math.sqrt(tau);
    }
  }
}
