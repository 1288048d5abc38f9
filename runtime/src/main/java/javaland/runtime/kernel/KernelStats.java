package javaland.runtime.kernel;

/**
 * The kernel half's counters at one instant (all monotonic since attach), and the round trip of
 * tasks that went through user space: from the kernel queueing the task to the kernel applying
 * the decision, measured with kernel timestamps.
 */
public record KernelStats(
    long queued,
    long userDispatches,
    long kernelDispatches,
    long idleDispatches,
    long exemptDispatches,
    long fallbacks,
    long ringFull,
    long congested,
    long cancelled,
    long bounced,
    long heartbeats,
    long preempted,
    long classDispatches,
    long ruleDispatches,
    long ruleLapsed,
    long ruleYields,
    long ruleRequeues,
    long sliceClamped,
    long deadlineClamped,
    long roundTrips,
    long roundTripP50Ns,
    long roundTripP99Ns,
    long roundTripMaxNs) {

  /**
   * Dispatches BPF made alone by values Java set: the idle fast path (kernel.idle_fastpath), the
   * rules' latency-critical class and the rules policies pushed down (Decision.wakeup): wakeups,
   * yields, and returns after a preemption before the slice ran out.
   */
  public long byJavaValues() {
    return idleDispatches + classDispatches + ruleDispatches + ruleYields + ruleRequeues;
  }

  /** Dispatches of any kind. */
  public long dispatches() {
    return userDispatches + kernelDispatches;
  }
}
