package javaland.runtime.kernel.sim;

import java.util.concurrent.TimeUnit;
import javaland.policies.DeadlinePolicy;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Simulated scheduling events per second on one core (issue 3's target: 2 million): one whole
 * run of a busy mixed workload (SimEventRateBench's) with DeadlinePolicy per operation. JMH
 * reports the time per run; the {@code events} counter, normalised by JMH to a rate, is the
 * figure to read. See docs/benchmarks.md for the command.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Thread)
public class SimKernelBenchmark {
  /** JMH divides by the measured time: events per second. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  public static class Events {
    public long events;

    @Setup(Level.Iteration)
    public void reset() {
      events = 0;
    }
  }

  private Workload workload;
  private SimConfig config;

  @Setup
  public void setUp() {
    workload = SimEventRateBench.workload(1);
    config = SimConfig.of(SimConfig.topology(2, 8, 2));
  }

  @Benchmark
  public long wholeRun(Events counter) {
    SimKernel k = new SimKernel(workload, config);
    k.runToCompletion(new DeadlinePolicy());
    long n = k.metrics().events();
    counter.events += n;
    return n;
  }
}
