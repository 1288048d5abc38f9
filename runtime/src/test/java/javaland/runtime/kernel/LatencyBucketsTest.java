package javaland.runtime.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.LongStream;
import javaland.runtime.kernel.bpf.Wire;
import org.junit.jupiter.api.Test;

class LatencyBucketsTest {
  private static final int B = Wire.RT_BUCKETS;
  /** Values at or above this land in the last (overflow) bucket. */
  private static final long TOP = 1L << 42;

  /**
   * rt_bucket from bpf/javaland.bpf.c, ported line by line: v is a u64, shifts are logical. Java
   * must read the kernel's histogram with the kernel's bucket scheme; this copy is the guard.
   */
  static int rtBucket(long v) {
    int msb = 0;
    long x = v;
    if (Long.compareUnsigned(v, 8) < 0) return (int) v;
    if ((x >>> 32) != 0) { msb += 32; x >>>= 32; }
    if ((x >>> 16) != 0) { msb += 16; x >>>= 16; }
    if ((x >>> 8) != 0) { msb += 8; x >>>= 8; }
    if ((x >>> 4) != 0) { msb += 4; x >>>= 4; }
    if ((x >>> 2) != 0) { msb += 2; x >>>= 2; }
    if ((x >>> 1) != 0) { msb += 1; }
    int idx = (msb - 2) * 8 + (int) ((v >>> (msb - 3)) & 7);
    return Integer.compareUnsigned(idx, B) < 0 ? idx : B - 1;
  }

  /** The C function this test ported; when it changes, update rtBucket and LatencyBuckets. */
  private static final String RT_BUCKET_C = """
      static __always_inline u32 rt_bucket(u64 v)
      {
      	u32 msb = 0;
      	u64 x = v;
      	if (v < 8)
      		return (u32)v;
      	if (x >> 32) { msb += 32; x >>= 32; }
      	if (x >> 16) { msb += 16; x >>= 16; }
      	if (x >> 8) { msb += 8; x >>= 8; }
      	if (x >> 4) { msb += 4; x >>= 4; }
      	if (x >> 2) { msb += 2; x >>= 2; }
      	if (x >> 1) { msb += 1; }
      	u32 idx = (msb - 2) * 8 + (u32)((v >> (msb - 3)) & 7);
      	return idx < JL_RT_BUCKETS ? idx : JL_RT_BUCKETS - 1;
      }
      """;

  /** Every power of two and its neighbours, a dense low range, and random values of all sizes. */
  static long[] values() {
    LongStream.Builder b = LongStream.builder();
    for (long v = 0; v <= 70_000; v++) b.add(v);
    for (int p = 3; p < 63; p++) {
      long two = 1L << p;
      for (long d = -3; d <= 3; d++) b.add(two + d);
      for (int sub = 0; sub < 8 && p >= 3; sub++) {
        long edge = (8L + sub) << (p - 3);
        b.add(edge - 1).add(edge).add(edge + 1);
      }
    }
    Random rnd = new Random(7);
    for (int k = 0; k < 200_000; k++) b.add(rnd.nextLong() >>> rnd.nextInt(64));
    b.add(Long.MAX_VALUE);
    return b.build().filter(v -> v >= 0).sorted().distinct().toArray();
  }

  @Test
  void javaAgreesWithTheKernelsBucketFunction() {
    for (long v : values()) {
      assertEquals(rtBucket(v), LatencyBuckets.bucketOf(v, B), "bucket of " + v);
    }
  }

  @Test
  void thePortIsOfTheCurrentCSource() throws IOException {
    Path src = findUp("bpf/histograms.h");
    assumeTrue(src != null, "bpf/histograms.h not found above " + Path.of("").toAbsolutePath());
    String c = Files.readString(src);
    Matcher m = Pattern.compile("static __always_inline u32 rt_bucket\\(u64 v\\)\\s*\\{.*?\\n\\}", Pattern.DOTALL).matcher(c);
    assertTrue(m.find(), "rt_bucket is gone from " + src);
    assertEquals(squash(RT_BUCKET_C), squash(m.group()),
        "rt_bucket in " + src + " changed: update the port here and LatencyBuckets.bucketOf");
    Path intf = src.resolveSibling("intf.h");
    assertTrue(Files.readString(intf).matches("(?s).*#define JL_RT_BUCKETS " + B + "\\b.*"),
        "JL_RT_BUCKETS in intf.h differs from Wire.RT_BUCKETS = " + B);
  }

  private static String squash(String s) {
    return s.replaceAll("\\s+", " ").trim();
  }

  private static Path findUp(String rel) {
    for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
      if (Files.isRegularFile(d.resolve(rel))) return d.resolve(rel);
    }
    return null;
  }

  @Test
  void bucketOfIsMonotonicAndUpperBoundIsTightAbove() {
    long[] vs = values(); // sorted
    int prev = -1;
    for (long v : vs) {
      int b = LatencyBuckets.bucketOf(v, B);
      assertTrue(b >= prev, "bucketOf(" + v + ") = " + b + " < " + prev);
      assertTrue(b >= 0 && b < B);
      prev = b;
      if (v >= TOP) {
        assertEquals(B - 1, b, "overflow bucket for " + v);
        continue;
      }
      long ub = LatencyBuckets.upperBound(b);
      assertTrue(ub >= v, "upperBound(" + b + ") = " + ub + " < " + v);
      if (v < 8) assertEquals(v, ub, "exact below 8");
      else assertTrue(ub <= v * 1.125 + 1, "upperBound(" + b + ") = " + ub + " more than 12.5% above " + v);
      if (b > 0) assertTrue(LatencyBuckets.upperBound(b - 1) < v, "the bucket below already holds " + v);
    }
  }

  @Test
  void upperBoundIsTheLastValueOfItsBucket() {
    for (int i = 0; i < B; i++) {
      long ub = LatencyBuckets.upperBound(i);
      assertEquals(i, LatencyBuckets.bucketOf(ub, B), "bucketOf(upperBound(" + i + "))");
      if (i < B - 1) assertEquals(i + 1, LatencyBuckets.bucketOf(ub + 1, B), "the value after upperBound(" + i + ")");
      if (i > 0) assertTrue(ub > LatencyBuckets.upperBound(i - 1));
    }
    assertEquals(TOP - 1, LatencyBuckets.upperBound(B - 1), "the histogram covers up to ~73 minutes");
  }

  @Test
  void edgeValues() {
    assertEquals(0, LatencyBuckets.bucketOf(-5, B), "negative is 0");
    assertEquals(B - 1, LatencyBuckets.bucketOf(Long.MAX_VALUE, B));
    assertEquals(15, LatencyBuckets.bucketOf(1_000_000, 16), "clamped to the number of buckets");
    assertEquals(8, LatencyBuckets.bucketOf(8, B));
    assertEquals(15, LatencyBuckets.bucketOf(15, B));
    assertEquals(16, LatencyBuckets.bucketOf(16, B));
    assertEquals(16, LatencyBuckets.bucketOf(17, B), "from 16 on, sub-buckets are 2 wide");
  }

  @Test
  void emptyHistogramGivesZero() {
    long[] counts = new long[B];
    for (double q : new double[] {0, 0.5, 0.99, 1}) assertEquals(0, LatencyBuckets.quantile(counts, q));
    assertEquals(0, LatencyBuckets.quantile(new long[0], 0.5));
  }

  @Test
  void quantileIsAtMostOneBucketAboveTheExactValue() {
    Random rnd = new Random(11);
    double[] qs = {0, 0.01, 0.25, 0.5, 0.9, 0.99, 0.999, 1};
    for (int trial = 0; trial < 50; trial++) {
      int n = 1 + rnd.nextInt(trial < 10 ? 10 : 20_000);
      long[] samples = new long[n];
      long[] counts = new long[B];
      for (int k = 0; k < n; k++) {
        // log-uniform from 1 ns to ~1 s, the spread of real round trips
        samples[k] = (long) Math.exp(rnd.nextDouble() * Math.log(1e9));
        counts[LatencyBuckets.bucketOf(samples[k], B)]++;
      }
      Arrays.sort(samples);
      for (double q : qs) {
        long rank = Math.max(1, (long) Math.ceil(q * n));
        long exact = samples[(int) rank - 1];
        long est = LatencyBuckets.quantile(counts, q);
        assertTrue(est >= exact, "q" + q + ": " + est + " below exact " + exact);
        assertTrue(est <= exact * 1.125 + 1, "q" + q + ": " + est + " more than 12.5% above exact " + exact);
      }
    }
  }

  @Test
  void quantileOfKnownValues() {
    long[] counts = new long[B];
    for (long v = 1; v <= 100; v++) counts[LatencyBuckets.bucketOf(v * 1_000, B)]++; // 1us..100us
    long p50 = LatencyBuckets.quantile(counts, 0.5);
    long p99 = LatencyBuckets.quantile(counts, 0.99);
    assertTrue(p50 >= 50_000 && p50 <= 50_000 * 1.125, "p50 " + p50);
    assertTrue(p99 >= 99_000 && p99 <= 99_000 * 1.125, "p99 " + p99);
    assertEquals(LatencyBuckets.upperBound(LatencyBuckets.bucketOf(100_000, B)), LatencyBuckets.quantile(counts, 1));
    assertEquals(LatencyBuckets.upperBound(LatencyBuckets.bucketOf(1_000, B)), LatencyBuckets.quantile(counts, 0));
  }
}
