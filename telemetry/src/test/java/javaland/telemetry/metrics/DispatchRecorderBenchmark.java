package javaland.telemetry.metrics;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * What the dispatch thread pays per task for metrics ({@link DispatchRecorder}):
 *
 * <ul>
 *   <li>{@code schedDelay}: one {@code recordSchedDelay} call (one task, its own phaser entry);
 *   <li>{@code delayAndRoundTrip}: {@code recordSchedDelay} + {@code recordRoundTrip};
 *   <li>{@code batch}: {@code recordBatch(TaskTimes, n, ...)}, the batch counters and every
 *       task's delay under one phaser entry; ns/op divided by {@code n} is the per-task cost.
 * </ul>
 *
 * <p>Nothing scrapes during the measurement: a snapshot's work and allocation happen on the
 * scraping thread, and JMH's {@code gc.alloc.rate.norm} would count them too. (The interval swap
 * costs the writer nothing but, rarely, a contended cache line;
 * {@code DispatchRecorderAllocationTest} checks the writer allocates nothing while another thread
 * scrapes.) Run {@link #main} for ns per task and {@code gc.alloc.rate.norm} (must be ~0 B/op);
 * see telemetry/README.md for the command line.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class DispatchRecorderBenchmark {
  /** Tasks per batch, for {@link #batch} only. */
  @State(Scope.Thread)
  public static class Batch {
    @Param({"1", "32", "256"})
    public int n;
  }

  private DispatchRecorder recorder;
  private long[] enq;
  private int[] cls;
  private DispatchRecorder.TaskTimes times;
  private long i;
  private long now;

  @Setup(Level.Trial)
  public void setUp() {
    recorder = new DispatchRecorder(List.of("normal", "high", "low", "kthread"));
    enq = new long[256];
    cls = new int[256];
    for (int k = 0; k < 256; k++) {
      enq[k] = -(1_000L + (k * 7919L) % 5_000_000L); // 1 us .. 5 ms before "now"
      cls[k] = k % 5;
    }
    long[] e = enq;
    int[] c = cls;
    times = new DispatchRecorder.TaskTimes() {
      @Override
      public int taskClass(int t) {
        return c[t];
      }

      @Override
      public long enqueuedAtNs(int t) {
        return now + e[t];
      }
    };
  }

  @Benchmark
  public void schedDelay() {
    i++;
    recorder.recordSchedDelay((int) (i & 3), 1_000 + ((i * 7919) & 0x3fffff));
  }

  @Benchmark
  public void delayAndRoundTrip() {
    i++;
    recorder.recordSchedDelay((int) (i & 3), 1_000 + ((i * 7919) & 0x3fffff));
    recorder.recordRoundTrip(10_000 + ((i * 104729) & 0xfffff));
  }

  @Benchmark
  public void batch(Batch b) {
    now += 1_000_000;
    recorder.recordBatch(times, b.n, now, 5_000);
  }

  /** Runs the benchmarks with the GC profiler and prints ns and bytes per task. */
  public static void main(String[] args) throws RunnerException {
    Collection<RunResult> results = new Runner(new OptionsBuilder()
        .include(DispatchRecorderBenchmark.class.getName())
        .addProfiler(GCProfiler.class)
        .build()).run();
    System.out.printf("%n%-20s %6s %12s %12s %22s%n", "benchmark", "n", "ns/op", "ns/task", "gc.alloc.rate.norm");
    for (RunResult r : results) {
      String bench = r.getParams().getBenchmark().replaceAll(".*\\.", "");
      String n = r.getParams().getParam("n");
      int tasks = n == null ? 1 : Integer.parseInt(n);
      Result<?> primary = r.getPrimaryResult();
      Result<?> alloc = r.getSecondaryResults().get("gc.alloc.rate.norm");
      System.out.printf("%-20s %6d %12.2f %12.2f %17.3f B/op%n", bench, tasks, primary.getScore(),
          primary.getScore() / tasks, alloc == null ? Double.NaN : alloc.getScore());
    }
  }
}
