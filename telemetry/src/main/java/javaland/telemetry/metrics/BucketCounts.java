package javaland.telemetry.metrics;

import java.util.Arrays;

/**
 * A cumulative latency histogram kept outside Java, e.g. the kernel's round-trip histogram
 * ({@code rt_hist}, {@code rt_sum_ns}, {@code rt_max_ns} in the BPF counters): bucket {@code i}
 * holds the values in {@code (upperBoundsNs[i-1], upperBoundsNs[i]]}. The last bound may be
 * {@link Long#MAX_VALUE} (a catch-all bucket).
 */
public record BucketCounts(long[] upperBoundsNs, long[] counts, long sumNs, long maxNs) {
  public BucketCounts {
    if (upperBoundsNs.length != counts.length) {
      throw new IllegalArgumentException(counts.length + " counts for " + upperBoundsNs.length + " bounds");
    }
    for (int i = 1; i < upperBoundsNs.length; i++) {
      if (upperBoundsNs[i] <= upperBoundsNs[i - 1]) {
        throw new IllegalArgumentException("bounds must ascend: " + Arrays.toString(upperBoundsNs));
      }
    }
    upperBoundsNs = upperBoundsNs.clone();
    counts = counts.clone();
  }

  @Override
  public long[] upperBoundsNs() {
    return upperBoundsNs.clone();
  }

  @Override
  public long[] counts() {
    return counts.clone();
  }
}
