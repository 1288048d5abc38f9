package javaland.lab.learn;

import java.util.HashMap;
import java.util.Map;
import javaland.learner.reward.Reward;
import javaland.models.context.ContextFeatures;
import javaland.models.telemetry.TelemetrySnapshot;
import javaland.models.telemetry.TelemetryWindow;
import javaland.runtime.Scheduler;
import javaland.runtime.kernel.KernelStats;
import javaland.runtime.kernel.LatencyBuckets;
import javaland.runtime.kernel.SchedEventListener;
import javaland.runtime.rules.RuleSet;
import javaland.runtime.rules.TaskClassifier;
import javaland.runtime.kernel.sim.SimConfig;
import javaland.runtime.kernel.sim.SimKernel;
import javaland.runtime.kernel.sim.SimMetrics;
import javaland.runtime.kernel.sim.Workload;
import javaland.runtime.loop.DispatchLoop;
import javaland.runtime.policy.PolicyCatalog;
import javaland.runtime.policy.ConfiguredPolicy;

/**
 * One learning window played offline: a workload run to its end under one parameter set on a
 * fresh simulated kernel, scored exactly as the online learner scores a live window. The kernel's
 * cumulative counters before (all zero) and after the run are turned into two
 * {@link TelemetrySnapshot}s the way {@code Scheduler.snapshot()} builds them from a live kernel
 * (same delay classes and buckets), and the learner's {@link Reward} and
 * {@link ContextFeatures} are computed over the {@link TelemetryWindow} between them.
 *
 * <p>The simulated kernel has no PSI, so the window has none and the reward's pressure term is 0
 * offline; everything else (delay p99 of the wakeup and requeue classes, dispatch rate,
 * fallbacks) is the same figure the live learner reads.
 *
 * @param window the run as one telemetry window (its length is the run's virtual makespan)
 * @param context the window's context features ({@link ContextFeatures#toArray()})
 * @param reward the learner's reward of the window (NaN if it cannot be scored: no delay samples)
 * @param metrics everything the simulator measured
 */
public record SimWindow(TelemetryWindow window, ContextFeatures context, double reward, SimMetrics metrics) {

  /** Whether the run ended in a stall or deadlock rather than with every task done. */
  public boolean failed() {
    return metrics.exit() == null || metrics.exit().isError();
  }

  /**
   * Runs {@code workload} under {@code policy} with {@code parameters} (validated as {@code --set}
   * validates them; an unknown name or a value out of range throws naming it) on a kernel
   * configured by {@code base} with the kernel half's knobs of the parameters (their defaults where not given).
   */
  public static SimWindow run(Workload workload, SimConfig base, String policy, Map<String, Double> parameters,
      Reward reward) {
    ConfiguredPolicy p = ConfiguredPolicy.of(policy, parameters);
    SimKernel k = new SimKernel(workload, base.withParams(p.kernel()));
    SimMetrics m = k.runToCompletion(p.policy());
    TelemetryWindow w = TelemetryWindow.between(start(k), end(k, m));
    int cpus = k.topology().nrCpus();
    return new SimWindow(w, ContextFeatures.of(w, cpus), reward.score(w), m);
  }

  /**
   * The same, with the task classes the runtime would apply: every batch goes through a
   * {@link TaskClassifier} over {@code rules} (the person's rules, or learned classes below them)
   * before the policy sees it, as DispatchLoop does, with the resolver run between batches; the
   * classifier hands classified tasks down to the kernel half as the runtime's does. {@code
   * listener} (may be null) sees the run's scheduling events, e.g. a {@link
   * javaland.runtime.rules.TaskProfiler} for {@code GET /tasks}'s counters.
   */
  public static SimWindow run(Workload workload, SimConfig base, String policy, Map<String, Double> parameters, Reward reward,
      RuleSet rules, SchedEventListener listener) {
    ConfiguredPolicy p = ConfiguredPolicy.of(policy, parameters);
    SimKernel k = new SimKernel(workload, base.withParams(p.kernel()));
    if (listener != null) k.setListener(listener);
    TaskClassifier c = new TaskClassifier(() -> rules, k::taskInfo, k.taskClasses());
    SimMetrics m = k.runToCompletion(p.policy(), c::classify, c::resolvePending);
    TelemetryWindow w = TelemetryWindow.between(start(k), end(k, m));
    int cpus = k.topology().nrCpus();
    return new SimWindow(w, ContextFeatures.of(w, cpus), reward.score(w), m);
  }

  private static long[] upper(int buckets) {
    long[] upper = new long[buckets];
    for (int i = 0; i < buckets; i++) upper[i] = LatencyBuckets.upperBound(i);
    return upper;
  }

  /** The kernel's counters at time 0: nothing dispatched yet. */
  private static TelemetrySnapshot start(SimKernel k) {
    long[][] h = k.schedDelayHistograms();
    int buckets = h.length == 0 ? 0 : h[0].length;
    Map<String, long[]> delays = new HashMap<>();
    for (int c = 0; c < h.length && c < DispatchLoop.TASK_CLASSES.size(); c++) {
      delays.put(DispatchLoop.TASK_CLASSES.get(c), new long[buckets]);
    }
    return new TelemetrySnapshot(0, 0, 1, 0, 0, 0, 0, 0, false, upper(buckets), delays, Map.of(), k.topology().nrCpus(), 0);
  }

  private static TelemetrySnapshot end(SimKernel k, SimMetrics m) {
    long[][] h = k.schedDelayHistograms();
    int buckets = h.length == 0 ? 0 : h[0].length;
    Map<String, long[]> delays = new HashMap<>();
    for (int c = 0; c < h.length && c < DispatchLoop.TASK_CLASSES.size(); c++) {
      delays.put(DispatchLoop.TASK_CLASSES.get(c), h[c].clone());
    }
    KernelStats st = k.stats();
    // a run that ended normally is not an unload; only an error exit counts as one
    boolean exited = m.exit() != null && m.exit().isError();
    return new TelemetrySnapshot(Math.max(1, k.nowNs()), 0, 1, st.userDispatches(), st.kernelDispatches(), st.cancelled(),
        st.fallbacks(), k.backlog(), exited, upper(buckets), delays, Map.of(), k.topology().nrCpus(), k.cpuBusyNs());
  }
}
