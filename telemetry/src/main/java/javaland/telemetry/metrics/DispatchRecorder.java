package javaland.telemetry.metrics;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.WriterReaderPhaser;

/**
 * What the dispatch thread records per task and per batch, without a metrics API, a lock or an
 * allocation: scheduling delay by task class, round trip, and batch counters. Values go into
 * plain HdrHistograms and long fields of the active interval; a reader ({@link #snapshot}, at
 * scrape or push time) swaps in a fresh interval and folds the old one into the totals, the
 * same interval-swap as HdrHistogram's {@code Recorder}.
 *
 * <p><b>One writer.</b> The record methods are meant for one thread at a time (the dispatch
 * thread); concurrent writers would lose counts, not corrupt anything. Readers may be any
 * threads. A write costs two uncontended atomic increments (the phaser) plus the histogram
 * update; {@link #recordBatch(TaskTimes, int, long, long)} pays the phaser once for a whole
 * batch. Values are clamped to 0..{@value #HIGHEST_NS} ns; a task class outside the list is
 * counted as {@value #OTHER_CLASS}. Nothing here throws on the hot path.
 */
public final class DispatchRecorder {
  /** The class recorded for an index outside {@link #taskClasses()}. */
  public static final String OTHER_CLASS = "other";
  /** Longest value kept as is (100 s); longer ones are recorded as this. */
  public static final long HIGHEST_NS = 100_000_000_000L;
  private static final int DIGITS = 2;

  /** The tasks of one batch as the recorder sees them; implemented by the runtime over its TaskBatch. */
  public interface TaskTimes {
    /** Index into {@link #taskClasses()} of task {@code i}. */
    int taskClass(int i);

    /** When the kernel queued task {@code i}, CLOCK_MONOTONIC ns (the clock of {@link System#nanoTime()} on Linux). */
    long enqueuedAtNs(int i);
  }

  private final List<String> classes;
  private final int other;
  private final long[] boundsNs;
  private final WriterReaderPhaser phaser = new WriterReaderPhaser();
  private volatile Interval active;
  private Interval inactive;

  // Totals since start; guarded by this (readers only).
  private final Histogram[] delayTotal;
  private final long[] delaySumTotal;
  private final Histogram roundTripTotal;
  private long roundTripSumTotal;
  private long batchesTotal;
  private long tasksTotal;
  private long decideNsTotal;

  /** Records for these task classes (tag values of {@code javaland_sched_delay_seconds}), default buckets. */
  public DispatchRecorder(List<String> taskClasses) {
    this(taskClasses, LatencyBounds.defaultNs());
  }

  public DispatchRecorder(List<String> taskClasses, long[] boundsNs) {
    List<String> c = new ArrayList<>(taskClasses);
    if (c.contains(OTHER_CLASS)) throw new IllegalArgumentException("'" + OTHER_CLASS + "' is reserved");
    if (c.stream().distinct().count() != c.size()) throw new IllegalArgumentException("duplicate task class in " + c);
    c.add(OTHER_CLASS);
    this.classes = Collections.unmodifiableList(c);
    this.other = c.size() - 1;
    this.boundsNs = LatencyBounds.check(boundsNs);
    this.active = new Interval(c.size());
    this.inactive = new Interval(c.size());
    this.delayTotal = new Histogram[c.size()];
    for (int i = 0; i < c.size(); i++) delayTotal[i] = newHistogram();
    this.delaySumTotal = new long[c.size()];
    this.roundTripTotal = newHistogram();
  }

  /** The task classes, {@value #OTHER_CLASS} last. */
  public List<String> taskClasses() {
    return classes;
  }

  public long[] boundsNs() {
    return boundsNs.clone();
  }

  // ---- the hot path: dispatch thread only, allocation-free ----

  /** One task waited {@code ns} between being queued by the kernel and being decided. */
  public void recordSchedDelay(int taskClass, long ns) {
    long e = phaser.writerCriticalSectionEnter();
    try {
      Interval a = active;
      int c = classIndex(taskClass);
      long v = clamp(ns);
      a.delay[c].recordValue(v);
      a.delaySum[c] += v;
    } finally {
      phaser.writerCriticalSectionExit(e);
    }
  }

  /** One round trip (queued by the kernel to decision applied) took {@code ns}. */
  public void recordRoundTrip(long ns) {
    long e = phaser.writerCriticalSectionEnter();
    try {
      Interval a = active;
      long v = clamp(ns);
      a.roundTrip.recordValue(v);
      a.roundTripSum += v;
    } finally {
      phaser.writerCriticalSectionExit(e);
    }
  }

  /** A batch of {@code tasks} was decided in {@code decideNs} (counters only). */
  public void recordBatch(int tasks, long decideNs) {
    long e = phaser.writerCriticalSectionEnter();
    try {
      Interval a = active;
      a.batches++;
      a.tasks += tasks;
      a.decideNs += Math.max(0, decideNs);
    } finally {
      phaser.writerCriticalSectionExit(e);
    }
  }

  /**
   * A batch of {@code n} tasks decided at {@code decidedAtNs} (System.nanoTime()) in
   * {@code decideNs}: the batch counters plus each task's scheduling delay, under one phaser
   * entry.
   */
  public void recordBatch(TaskTimes tasks, int n, long decidedAtNs, long decideNs) {
    long e = phaser.writerCriticalSectionEnter();
    try {
      Interval a = active;
      Histogram[] delay = a.delay;
      long[] sum = a.delaySum;
      for (int i = 0; i < n; i++) {
        int c = classIndex(tasks.taskClass(i));
        long v = clamp(decidedAtNs - tasks.enqueuedAtNs(i));
        delay[c].recordValue(v);
        sum[c] += v;
      }
      a.batches++;
      a.tasks += n;
      a.decideNs += Math.max(0, decideNs);
    } finally {
      phaser.writerCriticalSectionExit(e);
    }
  }

  private int classIndex(int c) {
    return c >= 0 && c < other ? c : other;
  }

  private static long clamp(long ns) {
    return ns < 0 ? 0 : Math.min(ns, HIGHEST_NS);
  }

  // ---- readers ----

  /** Everything recorded so far. Swaps the interval; may be called from any thread. */
  public synchronized Snapshot snapshot() {
    phaser.readerLock();
    try {
      inactive.reset();
      Interval drained = active;
      active = inactive;
      inactive = drained;
      phaser.flipPhase(); // waits until no writer is still in the drained interval
    } finally {
      phaser.readerUnlock();
    }
    Interval d = inactive;
    for (int c = 0; c < delayTotal.length; c++) {
      delayTotal[c].add(d.delay[c]);
      delaySumTotal[c] += d.delaySum[c];
    }
    roundTripTotal.add(d.roundTrip);
    roundTripSumTotal += d.roundTripSum;
    batchesTotal += d.batches;
    tasksTotal += d.tasks;
    decideNsTotal += d.decideNs;

    List<HistogramData> delays = new ArrayList<>(classes.size());
    for (int c = 0; c < delayTotal.length; c++) delays.add(HistogramData.of(delayTotal[c], delaySumTotal[c], boundsNs));
    return new Snapshot(classes, HistogramData.of(roundTripTotal, roundTripSumTotal, boundsNs),
        Collections.unmodifiableList(delays), batchesTotal, tasksTotal, decideNsTotal);
  }

  /**
   * Totals since the recorder was made.
   *
   * @param schedDelay one per task class, in the order of {@code taskClasses}
   * @param decideNs time spent deciding, summed over batches
   */
  public record Snapshot(List<String> taskClasses, HistogramData roundTrip, List<HistogramData> schedDelay,
      long batches, long tasks, long decideNs) {}

  private static Histogram newHistogram() {
    return new Histogram(1, HIGHEST_NS, DIGITS);
  }

  /** What the writer fills between two snapshots. */
  private static final class Interval {
    final Histogram[] delay;
    final long[] delaySum;
    final Histogram roundTrip = newHistogram();
    long roundTripSum;
    long batches;
    long tasks;
    long decideNs;

    Interval(int classes) {
      delay = new Histogram[classes];
      for (int i = 0; i < classes; i++) delay[i] = newHistogram();
      delaySum = new long[classes];
    }

    void reset() {
      for (Histogram h : delay) h.reset();
      java.util.Arrays.fill(delaySum, 0);
      roundTrip.reset();
      roundTripSum = 0;
      batches = 0;
      tasks = 0;
      decideNs = 0;
    }
  }
}
