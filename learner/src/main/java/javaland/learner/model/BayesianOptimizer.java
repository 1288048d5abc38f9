package javaland.learner.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javaland.learner.bandit.NormalMax;
import javaland.learner.bandit.Rng;
import javaland.sdk.Parameter;
import smile.math.kernel.GaussianKernel;
import smile.regression.GaussianProcessRegression;

/**
 * Bayesian optimisation of continuous parameters: a Gaussian process (Smile, RBF kernel) over
 * the parameters scaled to [0,1], and expected improvement to choose the next setting to try.
 * What Tribuo lacks: a model of its own uncertainty, which tells the learner where trying a
 * setting is worth it when a grid of arms would be too coarse or too large.
 *
 * <p>The first {@code initialRandom} suggestions are uniform (seeded); after that, the best
 * expected improvement among random candidates and small perturbations of the best setting so
 * far. Maximises the reward.
 */
public final class BayesianOptimizer {
  private final List<Parameter> specs;
  private final double lengthScale;
  private final double noise;
  private final int initialRandom;
  private final int candidates;
  private final Rng rng;
  private final List<double[]> xs = new ArrayList<>();
  private final List<Double> ys = new ArrayList<>();
  private GaussianProcessRegression<double[]> gp;

  /**
   * @param lengthScale RBF length scale in scaled units (0.2: a fifth of each range)
   * @param noise observation noise variance of the reward, as Smile's GP takes it
   */
  public BayesianOptimizer(List<Parameter> specs, double lengthScale, double noise, int initialRandom, int candidates,
      long seed) {
    if (specs.isEmpty()) throw new IllegalArgumentException("nothing to optimise: no parameters");
    for (Parameter p : specs) {
      if (!(p.max() > p.min())) throw new IllegalArgumentException("parameter " + p.name() + " has an empty range");
    }
    if (!(lengthScale > 0)) throw new IllegalArgumentException("lengthScale must be positive: " + lengthScale);
    if (!(noise > 0)) throw new IllegalArgumentException("noise must be positive: " + noise);
    if (initialRandom < 2) throw new IllegalArgumentException("initialRandom must be at least 2: " + initialRandom);
    if (candidates < 10) throw new IllegalArgumentException("candidates must be at least 10: " + candidates);
    this.specs = List.copyOf(specs);
    this.lengthScale = lengthScale;
    this.noise = noise;
    this.initialRandom = initialRandom;
    this.candidates = candidates;
    this.rng = new Rng(seed);
  }

  public BayesianOptimizer(List<Parameter> specs, long seed) {
    this(specs, 0.2, 1e-3, 5, 2000, seed);
  }

  /** The next setting to try. */
  public Map<String, Double> suggest() {
    if (xs.size() < initialRandom || gp == null) return toParameters(randomPoint());
    double best = bestReward();
    double[] top = xs.get(bestIndex());
    double[] bestX = null;
    double bestEi = -1;
    double[] est = new double[2];
    for (int c = 0; c < candidates; c++) {
      double[] x = c % 2 == 0 ? randomPoint() : perturb(top, 0.1);
      double mean = gp.predict(x, est);
      double sd = Math.sqrt(Math.max(est[1] * est[1], 1e-18));
      double gain = mean - best;
      double z = gain / sd;
      double ei = gain * NormalMax.cdf(z) + sd * Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
      if (ei > bestEi) {
        bestEi = ei;
        bestX = x;
      }
    }
    // every candidate's EI undefined: the process could not be fitted (e.g. all rewards equal, which
    // its normalisation divides by): nothing to exploit, so explore
    return toParameters(bestX != null ? bestX : randomPoint());
  }

  /** Records the reward seen with {@code parameters} and refits the process. */
  public void observe(Map<String, Double> parameters, double reward) {
    if (!Double.isFinite(reward)) throw new IllegalArgumentException("reward must be finite: " + reward);
    double[] x = new double[specs.size()];
    for (int i = 0; i < x.length; i++) {
      Parameter p = specs.get(i);
      Double v = parameters.get(p.name());
      if (v == null) throw new IllegalArgumentException("observation lacks parameter " + p.name());
      p.check(v);
      x[i] = (v - p.min()) / (p.max() - p.min());
    }
    xs.add(x);
    ys.add(reward);
    refit();
  }

  /** Refits on all observations (what one window of online learning costs, beside the suggestion). */
  public void refit() {
    if (xs.size() < 2) return;
    double[][] x = xs.toArray(double[][]::new);
    double[] y = ys.stream().mapToDouble(Double::doubleValue).toArray();
    gp = GaussianProcessRegression.fit(x, y, new GaussianKernel(lengthScale),
        new GaussianProcessRegression.Options(noise, true));
  }

  public int observations() {
    return xs.size();
  }

  /** The best setting observed so far and its reward. */
  public Map<String, Double> best() {
    if (xs.isEmpty()) throw new IllegalStateException("nothing observed yet");
    return toParameters(xs.get(bestIndex()));
  }

  public double bestReward() {
    return ys.get(bestIndex());
  }

  private int bestIndex() {
    int b = 0;
    for (int i = 1; i < ys.size(); i++) if (ys.get(i) > ys.get(b)) b = i;
    return b;
  }

  private double[] randomPoint() {
    double[] x = new double[specs.size()];
    for (int i = 0; i < x.length; i++) x[i] = rng.nextDouble();
    return x;
  }

  private double[] perturb(double[] x, double scale) {
    double[] out = new double[x.length];
    for (int i = 0; i < x.length; i++) out[i] = Math.min(1, Math.max(0, x[i] + scale * rng.nextGaussian()));
    return out;
  }

  private Map<String, Double> toParameters(double[] x) {
    Map<String, Double> out = new TreeMap<>();
    for (int i = 0; i < x.length; i++) {
      Parameter p = specs.get(i);
      out.put(p.name(), Math.min(p.max(), Math.max(p.min(), p.min() + x[i] * (p.max() - p.min()))));
    }
    return out;
  }
}
