package javaland.runtime.kernel;

/**
 * The bucket scheme of the kernel's round-trip histogram (bpf/histograms.h, rt_bucket):
 * exact below 8 ns, then 8 equal sub-buckets per power of two, so a percentile read from it is
 * at most 12.5% above the true value.
 */
public final class LatencyBuckets {
  /**
   * Buckets of every such histogram, the kernel's (bpf/intf.h JL_RT_BUCKETS, checked by
   * LatencyBucketsTest), the wire's, the simulated kernel's and the loop's: up to about 2^41 ns.
   */
  public static final int COUNT = 320;

  private LatencyBuckets() {}

  /** Same function as the BPF side. */
  public static int bucketOf(long ns, int buckets) {
    if (ns < 8) return (int) Math.max(ns, 0);
    int msb = 63 - Long.numberOfLeadingZeros(ns);
    int idx = (msb - 2) * 8 + (int) ((ns >>> (msb - 3)) & 7);
    return Math.min(idx, buckets - 1);
  }

  /** The largest value that falls into bucket {@code idx}. */
  public static long upperBound(int idx) {
    if (idx < 8) return idx;
    int msb = idx / 8 + 2;
    int sub = idx % 8;
    return ((8L + sub) << (msb - 3)) + (1L << (msb - 3)) - 1;
  }

  /** The {@code q}-quantile (0..1) of a bucket histogram, as a bucket's upper bound; 0 when empty. */
  public static long quantile(long[] counts, double q) {
    long total = 0;
    for (long c : counts) total += c;
    if (total == 0) return 0;
    long rank = (long) Math.ceil(q * total);
    if (rank < 1) rank = 1;
    long seen = 0;
    for (int i = 0; i < counts.length; i++) {
      seen += counts[i];
      if (seen >= rank) return upperBound(i);
    }
    return upperBound(counts.length - 1);
  }
}
