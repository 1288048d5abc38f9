package javaland.telemetry.metrics;

import java.util.Arrays;
import org.HdrHistogram.AbstractHistogram;
import org.HdrHistogram.HistogramIterationValue;

/**
 * A latency distribution as exported: cumulative since start, in fixed buckets.
 *
 * @param upperBoundsNs the buckets' inclusive upper bounds, ascending (the {@code le} values)
 * @param counts per bucket, not cumulative; one longer than the bounds, the last entry counts
 *     what lies above the last bound (+Inf)
 * @param count all values; equals the sum of {@code counts}
 * @param sumNs the sum of all values
 * @param maxNs the largest value seen (0 when empty)
 * @param p50Ns median, read from a finer histogram than the buckets (0 when empty)
 * @param p99Ns 99th percentile, likewise
 */
public record HistogramData(long[] upperBoundsNs, long[] counts, long count, long sumNs, long maxNs,
    long p50Ns, long p99Ns) {
  public HistogramData {
    if (counts.length != upperBoundsNs.length + 1) {
      throw new IllegalArgumentException(counts.length + " counts for " + upperBoundsNs.length + " bounds (+Inf needs one more)");
    }
    upperBoundsNs = upperBoundsNs.clone();
    counts = counts.clone();
  }

  /** No values yet. */
  public static HistogramData empty(long[] boundsNs) {
    return new HistogramData(boundsNs, new long[boundsNs.length + 1], 0, 0, 0, 0, 0);
  }

  @Override
  public long[] upperBoundsNs() {
    return upperBoundsNs.clone();
  }

  @Override
  public long[] counts() {
    return counts.clone();
  }

  public int buckets() {
    return counts.length;
  }

  /** Count of bucket {@code i} (not cumulative); {@code i == buckets() - 1} is +Inf. */
  public long count(int i) {
    return counts[i];
  }

  /** Upper bound of bucket {@code i} in seconds; +Inf for the last. */
  public double upperBoundSeconds(int i) {
    return i < upperBoundsNs.length ? upperBoundsNs[i] / 1e9 : Double.POSITIVE_INFINITY;
  }

  /** Values at or below each bound, the +Inf one last (Prometheus' {@code _bucket} series). */
  public long[] cumulativeCounts() {
    long[] c = new long[counts.length];
    long run = 0;
    for (int i = 0; i < counts.length; i++) {
      run += counts[i];
      c[i] = run;
    }
    return c;
  }

  public double sumSeconds() {
    return sumNs / 1e9;
  }

  /** From an HdrHistogram holding every value so far (at its resolution: 2 significant digits). */
  static HistogramData of(AbstractHistogram h, long sumNs, long[] boundsNs) {
    long[] counts = new long[boundsNs.length + 1];
    if (h.getTotalCount() == 0) return new HistogramData(boundsNs, counts, 0, 0, 0, 0, 0);
    for (HistogramIterationValue v : h.recordedValues()) {
      counts[LatencyBounds.bucketOf(boundsNs, v.getValueIteratedTo())] += v.getCountAtValueIteratedTo();
    }
    return new HistogramData(boundsNs, counts, h.getTotalCount(), sumNs, h.getMaxValue(),
        h.getValueAtPercentile(50), h.getValueAtPercentile(99));
  }

  /**
   * From a histogram kept elsewhere (the kernel's round-trip buckets, see {@link BucketCounts}),
   * re-bucketed onto {@code boundsNs}: a source bucket counts under the first bound at or above
   * its own upper bound, so a bound's cumulative count never includes a value above it.
   */
  public static HistogramData rebucket(BucketCounts src, long[] boundsNs) {
    long[] counts = new long[boundsNs.length + 1];
    long total = 0;
    long[] up = src.upperBoundsNs();
    long[] c = src.counts();
    for (int i = 0; i < c.length; i++) {
      if (c[i] == 0) continue;
      counts[LatencyBounds.bucketOf(boundsNs, up[i])] += c[i];
      total += c[i];
    }
    return new HistogramData(boundsNs, counts, total, src.sumNs(), src.maxNs(),
        quantile(up, c, total, 0.50), quantile(up, c, total, 0.99));
  }

  /**
   * What was added between {@code earlier} and this (both cumulative, same bounds): a window's
   * histogram, e.g. for a learner's reward. Max and percentiles are this one's (since start).
   */
  public HistogramData minus(HistogramData earlier) {
    if (!Arrays.equals(upperBoundsNs, earlier.upperBoundsNs)) throw new IllegalArgumentException("different bounds");
    long[] c = counts.clone();
    for (int i = 0; i < c.length; i++) c[i] = Math.max(0, c[i] - earlier.counts[i]);
    return new HistogramData(upperBoundsNs, c, Math.max(0, count - earlier.count), Math.max(0, sumNs - earlier.sumNs),
        maxNs, p50Ns, p99Ns);
  }

  /**
   * The {@code q}-quantile (0..1) read from the buckets, as the upper bound of the bucket where
   * it falls (what PromQL's histogram_quantile would bracket; no interpolation); 0 when empty,
   * {@link Long#MAX_VALUE} when it falls in +Inf.
   */
  public long bucketQuantileNs(double q) {
    if (count == 0) return 0;
    long[] up = Arrays.copyOf(upperBoundsNs, counts.length);
    up[counts.length - 1] = Long.MAX_VALUE;
    return quantile(up, counts, count, q);
  }

  private static long quantile(long[] upper, long[] counts, long total, double q) {
    if (total == 0) return 0;
    long rank = Math.max(1, (long) Math.ceil(q * total));
    long seen = 0;
    for (int i = 0; i < counts.length; i++) {
      seen += counts[i];
      if (seen >= rank) return upper[i];
    }
    return upper[upper.length - 1];
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof HistogramData h && Arrays.equals(upperBoundsNs, h.upperBoundsNs)
        && Arrays.equals(counts, h.counts) && count == h.count && sumNs == h.sumNs && maxNs == h.maxNs
        && p50Ns == h.p50Ns && p99Ns == h.p99Ns;
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(counts) + Long.hashCode(sumNs);
  }

  @Override
  public String toString() {
    return "HistogramData[count=" + count + ", sum=" + sumNs + "ns, max=" + maxNs + "ns, p50=" + p50Ns
        + "ns, p99=" + p99Ns + "ns, counts=" + Arrays.toString(counts) + "]";
  }
}
