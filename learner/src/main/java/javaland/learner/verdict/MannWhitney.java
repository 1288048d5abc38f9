package javaland.learner.verdict;

import java.util.Arrays;
import javaland.learner.bandit.NormalMax;

/**
 * Mann-Whitney U test of "candidate tends to be larger than baseline", normal approximation
 * with the tie correction and a continuity correction (adequate from about 8 samples a side,
 * which {@link VerdictConfig#minSamples} enforces).
 *
 * @param u U of the candidate: pairs where the candidate is larger, ties counting half
 * @param z standardised U (positive: candidate larger)
 * @param pGreater one-sided p-value of "candidate is stochastically larger"
 * @param pLess one-sided p-value of "candidate is stochastically smaller"
 * @param effect U/(n1·n2): P(candidate > baseline) + P(tie)/2, 0.5 when they are alike
 */
public record MannWhitney(double u, double z, double pGreater, double pLess, double effect) {
  public static MannWhitney test(double[] candidate, double[] baseline) {
    int n1 = candidate.length;
    int n2 = baseline.length;
    if (n1 == 0 || n2 == 0) throw new IllegalArgumentException("Mann-Whitney needs samples on both sides: " + n1 + " and " + n2);
    int n = n1 + n2;
    double[] all = new double[n];
    int[] idx = new int[n];
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      all[i] = i < n1 ? candidate[i] : baseline[i - n1];
      if (Double.isNaN(all[i])) throw new IllegalArgumentException("sample " + i + " is NaN");
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Double.compare(all[a], all[b]));
    for (int i = 0; i < n; i++) idx[i] = order[i];
    double rankSum1 = 0;
    double tieTerm = 0;
    for (int i = 0; i < n; ) {
      int j = i;
      while (j + 1 < n && all[idx[j + 1]] == all[idx[i]]) j++;
      double rank = (i + j) / 2.0 + 1;
      int t = j - i + 1;
      tieTerm += (double) t * t * t - t;
      for (int m = i; m <= j; m++) if (idx[m] < n1) rankSum1 += rank;
      i = j + 1;
    }
    double u = rankSum1 - n1 * (n1 + 1) / 2.0;
    double mean = n1 * (double) n2 / 2;
    double var = n1 * (double) n2 / 12 * ((n + 1) - tieTerm / ((double) n * (n - 1)));
    if (var <= 0) return new MannWhitney(u, 0, 1, 1, u / (n1 * (double) n2)); // all samples equal
    double sd = Math.sqrt(var);
    double zGreater = (u - mean - 0.5) / sd;
    double zLess = (u - mean + 0.5) / sd;
    return new MannWhitney(u, (u - mean) / sd, 1 - NormalMax.cdf(zGreater), NormalMax.cdf(zLess), u / (n1 * (double) n2));
  }
}
