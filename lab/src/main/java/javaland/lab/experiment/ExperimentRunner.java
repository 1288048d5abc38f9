package javaland.lab.experiment;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import javaland.lab.experiment.ExperimentSpec.Variant;
import javaland.runtime.kernel.sim.SimConfig;
import javaland.runtime.kernel.sim.SimKernel;
import javaland.runtime.kernel.sim.SimMetrics;
import javaland.runtime.kernel.sim.Workload;
import javaland.runtime.policy.ConfiguredPolicy;

/**
 * Runs the cross product variants x workloads x seeds, each a {@link SimKernel} run as fast as
 * it goes, on a fixed pool of threads. Each run is independent and deterministic, so results do
 * not depend on the pool: they are returned in spec order (variant, then workload, then seed).
 */
public final class ExperimentRunner {
  /** One run's identity and what it measured. */
  public record RunResult(int index, Variant variant, WorkloadSource workload, long seed, SimMetrics metrics,
      long[] delayBins) {}

  /** Told about progress, from the pool's threads. */
  public interface Listener {
    default void started(int total) {}

    default void finished(RunResult r, int done, int total) {}
  }

  private ExperimentRunner() {}

  /** The simulated machine and costs of one run. */
  static SimConfig config(ExperimentSpec spec, WorkloadSource w, ConfiguredPolicy c) {
    ExperimentSpec.SimCosts s = spec.sim();
    SimConfig cfg = SimConfig.of(w.topology())
        .withRoundTrip(s.roundTripNs(), s.decideNsPerTask())
        .withWakeLatency(s.wakeLatencyNs())
        .withSwitchCost(s.switchCostNs());
    return cfg.withParams(c.kernel());
  }

  /** One run: a fresh policy, a fresh workload from the seed, a fresh simulated kernel. */
  static RunResult runOne(ExperimentSpec spec, int index, Variant v, WorkloadSource ws, long seed) throws Exception {
    ConfiguredPolicy c = v.configure();
    Workload w = ws.workload(seed);
    SimKernel k = new SimKernel(w, config(spec, ws, c));
    DelayBins.Recorder rec = new DelayBins.Recorder(w);
    k.setListener(rec);
    SimMetrics m = k.runToCompletion(c.policy());
    return new RunResult(index, v, ws, seed, m, DelayBins.of(rec.delays));
  }

  /**
   * Runs everything on {@code threads} threads (at least 1) and returns the results in spec
   * order. The first failing run stops the rest and is rethrown, naming the run.
   */
  public static List<RunResult> run(ExperimentSpec spec, int threads, Listener listener) throws Exception {
    int total = spec.runs();
    for (WorkloadSource w : spec.workloads()) {
      try {
        w.prepare();
      } catch (Exception e) {
        throw new RunFailed("workload " + w.label() + ": " + (e.getMessage() == null ? e.toString() : e.getMessage()), e);
      }
    }
    listener.started(total);
    AtomicInteger done = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(threads, total)), r -> {
      Thread t = new Thread(r, "experiment-run");
      t.setDaemon(true);
      return t;
    });
    try {
      List<Future<RunResult>> futures = new ArrayList<>(total);
      int index = 0;
      for (Variant v : spec.variants()) {
        for (WorkloadSource w : spec.workloads()) {
          for (long seed : spec.seeds()) {
            int i = index++;
            futures.add(pool.submit(() -> {
              RunResult r;
              try {
                r = runOne(spec, i, v, w, seed);
              } catch (Exception | Error e) {
                throw new RunFailed("run " + (i + 1) + "/" + total + " (" + v.label() + " on " + w.label() + ", seed "
                    + seed + ") failed: " + (e.getMessage() == null ? e.toString() : e.getMessage()), e);
              }
              listener.finished(r, done.incrementAndGet(), total);
              return r;
            }));
          }
        }
      }
      List<RunResult> out = new ArrayList<>(total);
      for (Future<RunResult> f : futures) {
        try {
          out.add(f.get());
        } catch (ExecutionException e) {
          if (e.getCause() instanceof RunFailed rf) throw rf;
          throw e;
        }
      }
      return out;
    } finally {
      pool.shutdownNow();
    }
  }

  /** A run that threw; the message names it. */
  public static final class RunFailed extends RuntimeException {
    private static final long serialVersionUID = 1L;

    RunFailed(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
