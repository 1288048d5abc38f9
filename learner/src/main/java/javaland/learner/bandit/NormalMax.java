package javaland.learner.bandit;

/**
 * The probability that arm {@code a} has the largest of independent normal draws
 * N(mean[i], sd[i]²): Thompson sampling's propensity in closed form up to quadrature,
 *
 * <pre>P(a) = ∫ φ_a(x) Π_{b≠a} Φ((x − mean[b]) / sd[b]) dx</pre>
 *
 * integrated with Simpson's rule over mean[a] ± {@value #Z_MAX}·sd[a], split at breakpoints one
 * standard deviation apart for arm a and for every arm narrower than a (where a narrow arm's Φ
 * turns from 0 to 1 the grid is as fine as that arm needs). Deterministic; the probabilities of
 * all arms sum to 1 within 1e-6 (tested against Monte Carlo). Monte Carlo would need about 10^12
 * draws for that accuracy, and its noise would leak into the off-policy estimates.
 *
 * <p>One instance per policy: it owns the scratch array that keeps it allocation-free.
 */
public final class NormalMax {
  static final double Z_MAX = 8.0;
  private static final int BREAKS_PER_ARM = 13; // mean ± 6 sd, one sd apart
  private static final int SIMPSON_INTERVALS = 12; // per segment, even
  private static final double INV_SQRT_2PI = 0.3989422804014327;
  private final double[] breaks;

  public NormalMax(int arms) {
    this.breaks = new double[2 * (int) Z_MAX + 1 + arms * BREAKS_PER_ARM];
  }

  /** P(draw of arm a is the largest of the first n arms). Each sd must be positive and finite. */
  public double probabilityMax(double[] mean, double[] sd, int n, int a) {
    double lo = mean[a] - Z_MAX * sd[a];
    double hi = mean[a] + Z_MAX * sd[a];
    int m = 0;
    for (int c = -(int) Z_MAX; c <= Z_MAX; c++) breaks[m++] = mean[a] + c * sd[a];
    for (int b = 0; b < n; b++) {
      if (b == a || sd[b] >= sd[a]) continue;
      for (int c = -BREAKS_PER_ARM / 2; c <= BREAKS_PER_ARM / 2; c++) {
        double x = mean[b] + c * sd[b];
        if (x > lo && x < hi) breaks[m++] = x;
      }
    }
    sort(breaks, m);
    double total = 0;
    for (int s = 0; s + 1 < m; s++) {
      double x0 = breaks[s];
      double h = (breaks[s + 1] - x0) / SIMPSON_INTERVALS;
      if (!(h > 0)) continue;
      double seg = 0;
      for (int i = 0; i <= SIMPSON_INTERVALS; i++) {
        double w = (i == 0 || i == SIMPSON_INTERVALS) ? 1 : (i % 2 == 1 ? 4 : 2);
        seg += w * integrand(mean, sd, n, a, x0 + i * h);
      }
      total += seg * h / 3;
    }
    return Math.min(1.0, Math.max(0.0, total));
  }

  /** All arms' probabilities into out (their sum is 1 within the quadrature error, not forced). */
  public void probabilities(double[] mean, double[] sd, int n, double[] out) {
    for (int a = 0; a < n; a++) out[a] = probabilityMax(mean, sd, n, a);
  }

  private static double integrand(double[] mean, double[] sd, int n, int a, double x) {
    double z = (x - mean[a]) / sd[a];
    double f = INV_SQRT_2PI * Math.exp(-0.5 * z * z) / sd[a];
    for (int b = 0; b < n && f > 0; b++) {
      if (b != a) f *= cdf((x - mean[b]) / sd[b]);
    }
    return f;
  }

  private static void sort(double[] v, int n) {
    for (int i = 1; i < n; i++) {
      double x = v[i];
      int j = i - 1;
      while (j >= 0 && v[j] > x) {
        v[j + 1] = v[j];
        j--;
      }
      v[j + 1] = x;
    }
  }

  /** Standard normal CDF, from erfc (Numerical Recipes' Chebyshev fit, relative error < 1.2e-7). */
  public static double cdf(double x) {
    return 0.5 * erfc(-x / Math.sqrt(2));
  }

  static double erfc(double x) {
    double z = Math.abs(x);
    double t = 1 / (1 + 0.5 * z);
    double r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
        + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587
        + t * (-0.82215223 + t * 0.17087277)))))))));
    return x >= 0 ? r : 2 - r;
  }
}
