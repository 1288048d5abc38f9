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
    long roundTrips,
    long roundTripP50Ns,
    long roundTripP99Ns,
    long roundTripMaxNs) {

  /** Dispatches of any kind. */
  public long dispatches() {
    return userDispatches + kernelDispatches;
  }
}
