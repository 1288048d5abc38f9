package javaland.runtime.control;

import javaland.runtime.Scheduler;
import javaland.runtime.canary.Canary;
import javaland.runtime.kernel.Kernel;
import javaland.runtime.kernel.KernelStats;
import javaland.runtime.kernel.LatencyBuckets;
import javaland.runtime.loop.DispatchLoop;
import javaland.telemetry.metrics.BucketCounts;
import javaland.telemetry.metrics.DispatchCounts;
import javaland.telemetry.metrics.JavalandMetrics;
import javaland.telemetry.psi.PsiReader;

/** The {@code javaland_*} meters of a scheduler: what they read, as docs/metrics.md names them. */
final class SchedulerMetrics {
  private SchedulerMetrics() {}

  static JavalandMetrics of(Scheduler s) {
    JavalandMetrics.Builder metrics = JavalandMetrics.builder()
        .recorder(s.recorder())
        .dispatches(() -> dispatchCounts(s.kernel()))
        .kernelRoundTrip(() -> roundTrips(s.kernel()))
        .kernelSchedDelay(DispatchLoop.TASK_CLASSES.get(0), () -> schedDelays(s.kernel(), 0))
        .kernelSchedDelay(DispatchLoop.TASK_CLASSES.get(1), () -> schedDelays(s.kernel(), 1))
        .queueDepth("ring", () -> {
          Kernel k = s.kernel();
          return k == null ? 0 : k.backlog();
        })
        .policyVersion(s::policyVersion)
        .buildInfo(javaland.models.registry.BuildInfo.current())
        .attached(Kernel.KINDS, () -> {
          Kernel k = s.kernel();
          return k == null || k.exitInfo().isPresent() ? null : k.kind();
        })
        .faults(Scheduler.FAULT_KINDS, s::faults)
        .restarts(javaland.runtime.restart.Restarts.EVENTS, e -> s.restarts().count(e))
        .psi(PsiReader.system());
    Canary c = s.canary();
    if (c != null) metrics.canary(c::stateCode, Canary.rollbackReasons(), c::rollbacks);
    javaland.runtime.rules.LearnedClassStore learned = s.learnedClasses();
    if (learned != null) {
      metrics.learnedClasses(javaland.sdk.TaskClass.assignableLabels(), javaland.runtime.rules.LearnedClassStore.STATES, learned::count);
    }
    PsiReader.ownCgroup(javaland.telemetry.log.Log.named("psi").at(javaland.telemetry.log.Log.Level.WARN))
        .filter(r -> !r.scope().equals("/")) // the root group is the system
        .ifPresent(metrics::psi);
    return metrics.build();
  }

  /** The kernel's counters as disjoint dispatch paths (see docs/metrics.md). */
  static DispatchCounts dispatchCounts(Kernel k) {
    if (k == null) return DispatchCounts.ZERO;
    KernelStats s = k.stats();
    long rule = s.ruleDispatches() + s.ruleYields() + s.ruleRequeues();
    return new DispatchCounts(s.userDispatches() - s.bounced(), s.kernelDispatches() - s.fallbacks() - rule,
        s.cancelled(), s.fallbacks(), s.bounced(), rule);
  }

  /** The kernel's own round-trip histogram; null (no round trip yet) before attach or without one. */
  static BucketCounts roundTrips(Kernel k) {
    if (k == null) return null;
    long[] hist = k.roundTripHistogram();
    if (hist.length == 0) return null;
    return new BucketCounts(upperBounds(hist.length), hist, k.roundTripSumNs(), k.stats().roundTripMaxNs());
  }

  /** The kernel's scheduling-delay histogram of class {@code c}; null before attach or without one. */
  static BucketCounts schedDelays(Kernel k, int c) {
    if (k == null) return null;
    long[][] hists = k.schedDelayHistograms();
    long[] sums = k.schedDelaySumsNs();
    if (c >= hists.length || c >= sums.length || hists[c].length == 0) return null;
    long[] hist = hists[c];
    long[] upper = upperBounds(hist.length);
    long max = 0;
    for (int i = 0; i < hist.length; i++) {
      if (hist[i] != 0) max = LatencyBuckets.upperBound(i);
    }
    return new BucketCounts(upper, hist, sums[c], max);
  }

  private static long[] upperBounds(int n) {
    long[] upper = new long[n];
    for (int i = 0; i < n; i++) upper[i] = LatencyBuckets.upperBound(i);
    upper[n - 1] = Long.MAX_VALUE; // the last bucket takes everything above
    return upper;
  }
}
