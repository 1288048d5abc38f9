package javaland.telemetry.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class DispatchRecorderTest {
  @Test
  void recordsDelaysByClassRoundTripsAndBatches() {
    DispatchRecorder r = new DispatchRecorder(List.of("interactive", "batch"));
    assertEquals(List.of("interactive", "batch", "other"), r.taskClasses());
    r.recordSchedDelay(0, 1_500);       // 1.5 us: bucket le=2us
    r.recordSchedDelay(0, 800);         // le=1us
    r.recordSchedDelay(1, 3_000_000);   // 3 ms: le=5ms
    r.recordSchedDelay(7, 10);          // unknown class: other
    r.recordSchedDelay(-1, -5);         // negative: 0, other
    r.recordRoundTrip(40_000);
    r.recordRoundTrip(200_000_000_000L); // above 100 s: clamped, +Inf
    r.recordBatch(3, 1_000);
    DispatchRecorder.Snapshot s = r.snapshot();
    assertEquals(1, s.batches());
    assertEquals(3, s.tasks());
    assertEquals(1_000, s.decideNs());
    HistogramData interactive = s.schedDelay().get(0);
    assertEquals(2, interactive.count());
    assertEquals(2_300, interactive.sumNs());
    long[] c = interactive.counts();
    assertEquals(1, c[0], "<= 1 us");
    assertEquals(1, c[1], "<= 2 us");
    assertEquals(1, s.schedDelay().get(1).count(LatencyBounds.bucketOf(r.boundsNs(), 5_000_000)));
    assertEquals(2, s.schedDelay().get(2).count());
    assertEquals(2, s.roundTrip().count());
    assertEquals(1, s.roundTrip().count(s.roundTrip().buckets() - 1), "+Inf");
    assertEquals(40_000 + DispatchRecorder.HIGHEST_NS, s.roundTrip().sumNs());
    assertTrue(s.roundTrip().maxNs() >= DispatchRecorder.HIGHEST_NS);
  }

  @Test
  void totalsAccumulateAcrossSnapshots() {
    DispatchRecorder r = new DispatchRecorder(List.of("a"));
    for (int i = 0; i < 10; i++) r.recordRoundTrip(1_000_000);
    assertEquals(10, r.snapshot().roundTrip().count());
    assertEquals(10, r.snapshot().roundTrip().count(), "nothing new: same totals");
    for (int i = 0; i < 5; i++) r.recordRoundTrip(1_000_000);
    HistogramData h = r.snapshot().roundTrip();
    assertEquals(15, h.count());
    assertEquals(15_000_000, h.sumNs());
    long[] cum = h.cumulativeCounts();
    assertEquals(15, cum[cum.length - 1]);
    // 1 ms is a bound; HdrHistogram keeps 2 significant digits, so it may land just above it
    int ms = LatencyBounds.bucketOf(r.boundsNs(), 1_000_000);
    assertEquals(15, h.count(ms) + h.count(ms + 1));
    assertTrue(h.p50Ns() >= 990_000 && h.p50Ns() <= 1_010_000, "p50 " + h.p50Ns());
  }

  @Test
  void batchesRecordEachTasksDelay() {
    DispatchRecorder r = new DispatchRecorder(List.of("a", "b"));
    long[] enq = {100, 200, 300, 400};
    int[] cls = {0, 1, 1, 5};
    DispatchRecorder.TaskTimes t = new DispatchRecorder.TaskTimes() {
      @Override
      public int taskClass(int i) {
        return cls[i];
      }

      @Override
      public long enqueuedAtNs(int i) {
        return enq[i];
      }
    };
    r.recordBatch(t, 4, 10_100, 777);
    DispatchRecorder.Snapshot s = r.snapshot();
    assertEquals(1, s.batches());
    assertEquals(4, s.tasks());
    assertEquals(777, s.decideNs());
    assertEquals(1, s.schedDelay().get(0).count());
    assertEquals(10_000, s.schedDelay().get(0).sumNs());
    assertEquals(2, s.schedDelay().get(1).count());
    assertEquals(9_900 + 9_800, s.schedDelay().get(1).sumNs());
    assertEquals(1, s.schedDelay().get(2).count(), "class 5 is other");
  }

  @Test
  void aWriterAndReadersLoseNothing() throws Exception {
    DispatchRecorder r = new DispatchRecorder(List.of("a"));
    int n = 2_000_000;
    AtomicBoolean done = new AtomicBoolean();
    Thread reader = Thread.ofPlatform().start(() -> {
      while (!done.get()) r.snapshot();
    });
    Thread writer = Thread.ofPlatform().start(() -> {
      for (int i = 0; i < n; i++) {
        r.recordSchedDelay(0, 1_000 + (i & 1023));
        if ((i & 31) == 0) r.recordBatch(32, 10);
      }
    });
    writer.join();
    done.set(true);
    reader.join();
    DispatchRecorder.Snapshot s = r.snapshot();
    assertEquals(n, s.schedDelay().get(0).count());
    assertEquals(n / 32, s.batches());
    long expectSum = 0;
    for (int i = 0; i < n; i++) expectSum += 1_000 + (i & 1023);
    assertEquals(expectSum, s.schedDelay().get(0).sumNs());
  }

  @Test
  void windowsFromTwoCumulativeSnapshots() {
    DispatchRecorder r = new DispatchRecorder(List.of("a"));
    for (int i = 0; i < 100; i++) r.recordRoundTrip(3_000);      // <= 5 us
    HistogramData before = r.snapshot().roundTrip();
    for (int i = 0; i < 90; i++) r.recordRoundTrip(300_000);     // <= 500 us
    for (int i = 0; i < 10; i++) r.recordRoundTrip(30_000_000);  // <= 50 ms
    HistogramData window = r.snapshot().roundTrip().minus(before);
    assertEquals(100, window.count());
    assertEquals(90 * 300_000L + 10 * 30_000_000L, window.sumNs());
    assertEquals(500_000, window.bucketQuantileNs(0.5));
    assertEquals(500_000, window.bucketQuantileNs(0.9));
    assertEquals(50_000_000, window.bucketQuantileNs(0.99));
    assertEquals(0, HistogramData.empty(r.boundsNs()).bucketQuantileNs(0.99));
  }

  @Test
  void rejectsReservedOrDuplicateClassesAndBadBounds() {
    assertThrows(IllegalArgumentException.class, () -> new DispatchRecorder(List.of("other")));
    assertThrows(IllegalArgumentException.class, () -> new DispatchRecorder(List.of("a", "a")));
    assertThrows(IllegalArgumentException.class, () -> new DispatchRecorder(List.of("a"), new long[] {5, 5}));
  }

  @Test
  void kernelBucketsAreRebucketedWithoutOvercounting() {
    // like the kernel's log-linear buckets: (0,1000], (1000,1100], (1100,2000], (2000, inf)
    BucketCounts k = new BucketCounts(new long[] {1_000, 1_100, 2_000, Long.MAX_VALUE}, new long[] {5, 3, 2, 1}, 12_345, 9_999_999);
    HistogramData h = HistogramData.rebucket(k, new long[] {1_000, 2_000, 5_000});
    assertArrayEquals(new long[] {5, 5, 0, 1}, h.counts());
    assertEquals(11, h.count());
    assertEquals(12_345, h.sumNs());
    assertEquals(1_100, h.p50Ns(), "rank 6 is in (1000, 1100]");
    assertArrayEquals(new long[] {5, 10, 10, 11}, h.cumulativeCounts());
  }
}
