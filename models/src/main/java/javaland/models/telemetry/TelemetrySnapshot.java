package javaland.models.telemetry;

import java.util.Map;
import java.util.Objects;

/**
 * Cumulative counters of a running scheduler at one instant, as the runtime serves them to the
 * learner ({@code GET /api/v1/stats}). Two snapshots make a {@link TelemetryWindow}; nothing here
 * is a rate, so a reader that misses a poll loses resolution, not data.
 *
 * @param monotonicNs the runtime's monotonic clock when taken
 * @param epochMs wall clock when taken
 * @param policyVersion the parameter version in force when taken
 * @param userDispatches tasks dispatched by the policy's decisions
 * @param kernelDispatches tasks the kernel half dispatched itself (exempt, idle fast path, rescue)
 * @param cancelled decisions cancelled as stale
 * @param fallbacks tasks the kernel dispatched because Java was late or the ring full
 * @param queueDepth tasks waiting for a decision now (a gauge, not cumulative)
 * @param exited true once the kernel unloaded the scheduler (a stall, an error)
 * @param delayUpperNs upper bound of each scheduling-delay bucket, ns, ascending
 * @param delayCounts per task class (wakeup, requeue, or rule classes such as latency-critical),
 *     the cumulative count in each bucket of {@code delayUpperNs}
 * @param psiTotalUs cumulative PSI stall time, us, keyed "cpu.some", "memory.full", ... (missing
 *     resources are absent)
 * @param cpus CPUs the scheduler schedules on (0 when unknown)
 * @param cpuBusyNs cumulative time those CPUs ran tasks, summed over CPUs (-1 when unknown)
 */
public record TelemetrySnapshot(long monotonicNs, long epochMs, long policyVersion, long userDispatches,
    long kernelDispatches, long cancelled, long fallbacks, long queueDepth, boolean exited, long[] delayUpperNs,
    Map<String, long[]> delayCounts, Map<String, Double> psiTotalUs, int cpus, long cpuBusyNs) {
  /** Without CPU busy time: utilisation is then unknown (NaN in the window). */
  public TelemetrySnapshot(long monotonicNs, long epochMs, long policyVersion, long userDispatches,
      long kernelDispatches, long cancelled, long fallbacks, long queueDepth, boolean exited, long[] delayUpperNs,
      Map<String, long[]> delayCounts, Map<String, Double> psiTotalUs) {
    this(monotonicNs, epochMs, policyVersion, userDispatches, kernelDispatches, cancelled, fallbacks, queueDepth,
        exited, delayUpperNs, delayCounts, psiTotalUs, 0, -1);
  }

  public TelemetrySnapshot {
    Objects.requireNonNull(delayUpperNs, "delayUpperNs");
    delayCounts = Map.copyOf(delayCounts);
    psiTotalUs = Map.copyOf(psiTotalUs);
    for (Map.Entry<String, long[]> e : delayCounts.entrySet()) {
      if (e.getValue().length != delayUpperNs.length) {
        throw new IllegalArgumentException("delay class " + e.getKey() + " has " + e.getValue().length
            + " buckets, expected " + delayUpperNs.length);
      }
    }
  }

  /** Every task the scheduler placed, whoever decided. */
  public long dispatches() {
    return userDispatches + kernelDispatches;
  }
}
