package javaland.telemetry.metrics;

import java.util.Arrays;

/**
 * The bucket upper bounds ({@code le}) the latency histograms are exported with: 1-2-5 steps from
 * 1 µs to 10 s, 22 buckets plus +Inf. Fixed, so PromQL's {@code histogram_quantile} can aggregate
 * across restarts and instances.
 */
public final class LatencyBounds {
  private static final long[] DEFAULT_NS = {
      1_000L, 2_000L, 5_000L,
      10_000L, 20_000L, 50_000L,
      100_000L, 200_000L, 500_000L,
      1_000_000L, 2_000_000L, 5_000_000L,
      10_000_000L, 20_000_000L, 50_000_000L,
      100_000_000L, 200_000_000L, 500_000_000L,
      1_000_000_000L, 2_000_000_000L, 5_000_000_000L, 10_000_000_000L};

  private LatencyBounds() {}

  /** A copy of the default bounds, in nanoseconds, ascending. */
  public static long[] defaultNs() {
    return DEFAULT_NS.clone();
  }

  /** Checks {@code bounds} are positive and strictly ascending; returns a copy. */
  static long[] check(long[] bounds) {
    if (bounds.length == 0) throw new IllegalArgumentException("at least one bucket bound is needed");
    for (int i = 0; i < bounds.length; i++) {
      if (bounds[i] <= 0 || (i > 0 && bounds[i] <= bounds[i - 1])) {
        throw new IllegalArgumentException("bucket bounds must be positive and ascending: " + Arrays.toString(bounds));
      }
    }
    return bounds.clone();
  }

  /** The index of the first bound >= {@code ns}, or {@code bounds.length} (the +Inf bucket). */
  static int bucketOf(long[] bounds, long ns) {
    int i = Arrays.binarySearch(bounds, ns);
    return i >= 0 ? i : -i - 1;
  }
}
