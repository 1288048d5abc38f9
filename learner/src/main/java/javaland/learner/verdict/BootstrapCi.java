package javaland.learner.verdict;

import java.util.Arrays;
import javaland.learner.bandit.Rng;

/**
 * Percentile bootstrap confidence interval of mean(candidate) − mean(baseline), resampling each
 * side independently with a seeded generator (the same samples and seed give the same interval).
 */
public record BootstrapCi(double difference, double lo, double hi, double level) {
  public static BootstrapCi meanDifference(double[] candidate, double[] baseline, int resamples, double level, long seed) {
    if (candidate.length == 0 || baseline.length == 0) {
      throw new IllegalArgumentException("bootstrap needs samples on both sides: " + candidate.length + " and " + baseline.length);
    }
    if (resamples < 100) throw new IllegalArgumentException("bootstrap needs at least 100 resamples, got " + resamples);
    if (!(level > 0 && level < 1)) throw new IllegalArgumentException("confidence level must be in (0, 1): " + level);
    Rng rng = new Rng(seed);
    double[] diffs = new double[resamples];
    for (int r = 0; r < resamples; r++) diffs[r] = resampledMean(candidate, rng) - resampledMean(baseline, rng);
    Arrays.sort(diffs);
    double alpha = (1 - level) / 2;
    int lo = (int) Math.floor(alpha * (resamples - 1));
    int hi = (int) Math.ceil((1 - alpha) * (resamples - 1));
    return new BootstrapCi(mean(candidate) - mean(baseline), diffs[lo], diffs[hi], level);
  }

  private static double resampledMean(double[] x, Rng rng) {
    double s = 0;
    for (int i = 0; i < x.length; i++) s += x[rng.nextInt(x.length)];
    return s / x.length;
  }

  /** The mean; NaN for no values (0.0 / 0). */
  public static double mean(double[] x) {
    double s = 0;
    for (double v : x) s += v;
    return s / x.length;
  }
}
