package javaland.runtime.kernel.sim;

import javaland.runtime.kernel.KernelStats;
import javaland.runtime.kernel.LatencyBuckets;

/**
 * The simulated kernel half's counters, as BPF keeps them: struct jl_counters, the round-trip
 * histogram and struct jl_sched_delay (runnable to running, per class: 0 woke up, 1 put back),
 * all in LatencyBuckets' scheme. Written by SimMachine's event loop only.
 */
final class SimCounters {
  long queued, userDispatches, kernelDispatches, idleDispatches, exemptDispatches, fallbacks, ringFull, congested,
      cancelled, bounced, heartbeats, preempted, classDispatches, ruleDispatches, ruleLapsed, ruleYields, ruleRequeues, sliceClamped, deadlineClamped, rtCount, rtMax, rtSum;
  final long[] rtHist = new long[SimMachine.RT_BUCKETS];
  final long[][] sdHist = new long[2][SimMachine.RT_BUCKETS];
  final long[] sdSum = new long[2];

  KernelStats stats() {
    return new KernelStats(queued, userDispatches, kernelDispatches, idleDispatches, exemptDispatches, fallbacks, ringFull,
        congested, cancelled, bounced, heartbeats, preempted, classDispatches, ruleDispatches, ruleLapsed, ruleYields, ruleRequeues, sliceClamped, deadlineClamped, rtCount, LatencyBuckets.quantile(rtHist, 0.50),
        LatencyBuckets.quantile(rtHist, 0.99), rtMax);
  }

  /** The round-trip histogram, a copy. */
  long[] roundTripHistogram() {
    return rtHist.clone();
  }

  /** The scheduling-delay histograms per class, a copy. */
  long[][] schedDelayHistograms() {
    return new long[][] {sdHist[0].clone(), sdHist[1].clone()};
  }

  long[] schedDelaySumsNs() {
    return sdSum.clone();
  }
}
