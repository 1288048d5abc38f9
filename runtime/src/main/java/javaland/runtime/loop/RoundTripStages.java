package javaland.runtime.loop;

import javaland.runtime.kernel.LatencyBuckets;
import javaland.runtime.kernel.TaskBatch;

/**
 * Where the round trip of a task Java decides goes, up to the decision written: from the kernel's
 * enqueue to the loop reading the record ({@code read}: the wait for the dispatch thread to be
 * woken and to come round), and to its decision written to the kernel ({@code decided}: plus the
 * classifier and the policy). The kernel measures the whole trip, to the decision applied
 * ({@code roundtrip_us}); what it has beyond {@code decided} is the wait for a CPU to run
 * dispatch() and drain the decision. Also counted: wake-ups of the loop that found nothing to read.
 *
 * <p>Histograms in the kernel's log buckets ({@link LatencyBuckets}), of {@code long[]}: recording
 * allocates nothing. One writer, the loop thread; a reader's copy may be slightly stale.
 */
public final class RoundTripStages {
  public static final int BUCKETS = LatencyBuckets.COUNT;

  private final long[] read = new long[BUCKETS];
  private final long[] decided = new long[BUCKETS];
  // the tasks that woke up among them: slice expiries wait for the next batch on purpose, wakeups should not
  private final long[] readWakeups = new long[BUCKETS];
  private volatile long emptyWakeups;

  /** The loop read {@code n} tasks of {@code b} at {@code readNs} and wrote their decisions at {@code decidedNs} (kernel clock). */
  void record(TaskBatch b, int n, long readNs, long decidedNs) {
    for (int i = 0; i < n; i++) {
      long enq = b.enqueuedAtNs(i);
      int r = LatencyBuckets.bucketOf(readNs - enq, BUCKETS);
      read[r]++;
      if (b.wokeUp(i)) readWakeups[r]++;
      decided[LatencyBuckets.bucketOf(decidedNs - enq, BUCKETS)]++;
    }
  }

  /** The loop was woken (or its wait timed out) with nothing to read. */
  void emptyWakeup() {
    emptyWakeups++;
  }

  /** A copy of what was recorded so far. */
  public Snapshot snapshot() {
    return new Snapshot(read.clone(), decided.clone(), readWakeups.clone(), emptyWakeups);
  }

  /** What a {@link RoundTripStages} had recorded; {@link #NONE} before any loop ran. */
  public record Snapshot(long[] read, long[] decided, long[] readWakeups, long emptyWakeups) {
    public static final Snapshot NONE = new Snapshot(new long[BUCKETS], new long[BUCKETS], new long[BUCKETS], 0);

    public long readWakeupsQuantileNs(double q) {
      return LatencyBuckets.quantile(readWakeups, q);
    }

    public long readQuantileNs(double q) {
      return LatencyBuckets.quantile(read, q);
    }

    public long decidedQuantileNs(double q) {
      return LatencyBuckets.quantile(decided, q);
    }
  }
}
