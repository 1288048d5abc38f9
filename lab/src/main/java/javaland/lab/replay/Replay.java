package javaland.lab.replay;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import javaland.runtime.Scheduler;
import javaland.sdk.CpuTopology;
import javaland.runtime.kernel.SchedEventListener;
import javaland.runtime.kernel.TaskBatch;
import javaland.runtime.kernel.sim.SimConfig;
import javaland.runtime.kernel.sim.SimKernel;
import javaland.runtime.kernel.sim.SimMetrics;
import javaland.runtime.kernel.sim.Workload;
import javaland.runtime.loop.DispatchLoop;
import javaland.runtime.policy.PolicyCatalog;
import javaland.sdk.Policy;
import javaland.runtime.policy.ConfiguredPolicy;

/**
 * Replays a {@link TraceWorkload} under a policy on the simulated kernel, as fast as it goes,
 * on the calling thread.
 *
 * <pre>{@code
 * TraceWorkload tw = TraceWorkload.load(Path.of("trace.txt"));
 * ReplayResult r = Replay.run(tw, "deadline", Map.of("slice_max_us", 5000.0), Replay.Options.defaults().withSeed(7));
 * System.out.println(r.toJson());
 * }</pre>
 *
 * <p>Parameters are validated as {@code ./javaland run --set} validates them: the policy's own
 * against its {@link Policy#parameters()}, {@code kernel.*} against
 * {@link Scheduler#KERNEL_PARAMETERS}; an unknown name or a value out of range throws
 * IllegalArgumentException naming it. The same trace, policy, parameters, options and seed give
 * a bit-identical {@link ReplayResult#toJson()}. Replays of one TraceWorkload may run on several
 * threads at once (each gets its own policy instance and simulated kernel).
 */
public final class Replay {
  /** Called every {@code progressIntervalNs} of wall-clock time while simulating, on the simulating thread. */
  @FunctionalInterface
  public interface ProgressListener {
    /**
     * @param virtualNs simulated time so far
     * @param traceSpanNs the trace's own span, for comparison (a replay may take longer or shorter)
     * @param simEvents discrete events simulated so far
     * @param elapsedNs wall-clock time since the simulation started
     */
    void progress(long virtualNs, long traceSpanNs, long simEvents, long elapsedNs);
  }

  /**
   * How to replay.
   *
   * @param nrCpus simulated CPUs; 0: the trace's (with its topology, if the trace has one)
   * @param seed the workload's seed (a trace has no randomness of its own: see {@link TraceWorkload#workload})
   * @param config the simulated machine and its costs; null: {@link SimConfig#of(CpuTopology)} defaults.
   *     Its topology is used as is (nrCpus is then ignored); kernel.* parameters override its tunables
   * @param listener the simulated kernel's scheduling events go there (a SchedEventRecorder, a
   *     delay histogram); null: nowhere
   * @param progress see {@link ProgressListener}; null: none
   */
  public record Options(int nrCpus, long seed, SimConfig config, SchedEventListener listener, ProgressListener progress,
      long progressIntervalNs) {
    public Options {
      if (nrCpus < 0 || nrCpus > 4096) throw new IllegalArgumentException("CPUs must be within 1..4096 (0: the trace's), got " + nrCpus);
    }

    public static Options defaults() {
      return new Options(0, 1, null, null, null, 2_000_000_000L);
    }

    public Options withCpus(int n) {
      return new Options(n, seed, config, listener, progress, progressIntervalNs);
    }

    public Options withSeed(long s) {
      return new Options(nrCpus, s, config, listener, progress, progressIntervalNs);
    }

    public Options withConfig(SimConfig c) {
      return new Options(nrCpus, seed, c, listener, progress, progressIntervalNs);
    }

    public Options withListener(SchedEventListener l) {
      return new Options(nrCpus, seed, config, l, progress, progressIntervalNs);
    }

    public Options withProgress(ProgressListener p, long intervalNs) {
      return new Options(nrCpus, seed, config, listener, p, intervalNs);
    }
  }

  private Replay() {}

  /**
   * Checks a policy name and its parameters without running anything (do it before a long load):
   * throws IllegalArgumentException naming the unknown policy, the unknown parameter (with the
   * known ones) or the value out of range.
   */
  public static ConfiguredPolicy validate(String policy, Map<String, Double> parameters) {
    return ConfiguredPolicy.of(policy, parameters);
  }

  /** Loads {@code trace} (defaults: lenient, wakeup edges) and replays it on its own CPU count. */
  public static ReplayResult run(Path trace, String policy, Map<String, Double> parameters, long seed) throws IOException {
    validate(policy, parameters);
    return run(TraceWorkload.load(trace), policy, parameters, Options.defaults().withSeed(seed));
  }

  public static ReplayResult run(TraceWorkload trace, String policy, Map<String, Double> parameters, Options options) {
    SimMetrics m = simulate(trace.workload(options.seed()), trace.topology(), trace.info().spanNs(), policy, parameters, options);
    return ReplayResult.of(trace, policy, parameters, options.seed(), m);
  }

  /**
   * Runs any workload (a synthetic one, say) exactly as a replay runs a trace's, on
   * {@code topology} unless the options name a CPU count or a config: for callers that put
   * synthetic workloads and traces side by side. {@code spanNs} is only for progress reports.
   */
  public static SimMetrics simulate(Workload workload, CpuTopology topology, long spanNs, String policy,
      Map<String, Double> parameters, Options options) {
    ConfiguredPolicy p = ConfiguredPolicy.of(policy, parameters);
    SimConfig c = options.config();
    if (c == null) {
      boolean own = options.nrCpus() == 0 || options.nrCpus() == topology.nrCpus();
      c = SimConfig.of(own ? topology : CpuTopology.flat(options.nrCpus()));
    }
    SimKernel k = new SimKernel(workload, c.withParams(p.kernel()));
    k.setListener(options.listener());
    return loop(k, p.policy(), options, spanNs);
  }

  /** What {@link SimKernel#runToCompletion} does, with progress reports. */
  private static SimMetrics loop(SimKernel k, Policy policy, Options o, long spanNs) {
    TaskBatch batch = new TaskBatch(256);
    ProgressListener progress = o.progress();
    long interval = Math.max(1, o.progressIntervalNs());
    long started = System.nanoTime();
    long next = started + interval;
    int polls = 0;
    k.registerDispatcherThread();
    while (k.exitInfo().isEmpty()) {
      if (k.poll(batch, 50) > 0) {
        policy.schedule(batch, k);
        k.submit(batch);
      }
      if (progress != null && (++polls & 1023) == 0) {
        long now = System.nanoTime();
        if (now >= next) {
          next = now + interval;
          progress.progress(k.nowNs(), spanNs, k.events(), now - started);
        }
      }
    }
    return k.metrics();
  }
}
