package javaland.runtime.kernel.sim;

import java.util.Locale;
import java.util.Map;
import javaland.runtime.kernel.ExitInfo;
import javaland.runtime.kernel.KernelStats;
import org.HdrHistogram.Histogram;

/**
 * What one simulated run measured. Equal runs give equal records (doubles compare bit for bit),
 * which is what the determinism tests check.
 *
 * @param workload the workload's name
 * @param seed the workload's seed
 * @param nrCpus simulated CPUs
 * @param tasks simulated tasks
 * @param events discrete events the simulator processed
 * @param makespanNs virtual time from start to the last exit (or to the stop, if it stopped early)
 * @param workNs CPU time tasks spent on their work (busy time minus context-switch cost)
 * @param busyNs CPU time charged to tasks
 * @param throughput completed work per makespan, in CPUs' worth (at most nrCpus)
 * @param utilisation busyNs / (nrCpus * makespanNs)
 * @param fairness Jain's index of the CPU share (CPU time / lifetime) among tasks of the same
 *     class and weight, averaged over those groups weighted by size; 1 is perfectly even
 * @param contextSwitches times a task was put on a CPU
 * @param migrations times a task ran on a different CPU than the time before
 * @param schedDelay from runnable (woken, or back in the queue after its slice) to running
 * @param response response times: server requests, fork-join rounds, periodic activations
 * @param activations periodic activations completed
 * @param deadlineMisses of which finished after their deadline
 * @param classes the same, per task class, in the order classes first appear in the workload
 * @param kernel the kernel half's counters
 * @param exit why the run ended; null if it has not
 */
public record SimMetrics(
    String workload,
    long seed,
    int nrCpus,
    int tasks,
    long events,
    long makespanNs,
    long workNs,
    long busyNs,
    double throughput,
    double utilisation,
    double fairness,
    long contextSwitches,
    long migrations,
    Latency schedDelay,
    Latency response,
    long activations,
    long deadlineMisses,
    Map<String, ClassMetrics> classes,
    KernelStats kernel,
    ExitInfo exit) {

  /** Percentiles of a latency distribution, in ns (HdrHistogram, 3 significant digits). */
  public record Latency(long count, long p50Ns, long p90Ns, long p99Ns, long maxNs, double meanNs) {
    static Latency of(Histogram h) {
      if (h.getTotalCount() == 0) return new Latency(0, 0, 0, 0, 0, 0);
      return new Latency(h.getTotalCount(), h.getValueAtPercentile(50), h.getValueAtPercentile(90),
          h.getValueAtPercentile(99), h.getMaxValue(), h.getMean());
    }

    @Override
    public String toString() {
      if (count == 0) return "-";
      return String.format(Locale.ROOT, "n=%d p50=%s p90=%s p99=%s max=%s", count, us(p50Ns), us(p90Ns), us(p99Ns), us(maxNs));
    }
  }

  /** One task class's share of the metrics. */
  public record ClassMetrics(
      int tasks, long cpuNs, double fairness, Latency schedDelay, Latency response, long activations, long deadlineMisses) {}

  public SimMetrics {
    classes = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(classes));
  }

  public ClassMetrics cls(String label) {
    ClassMetrics c = classes.get(label);
    if (c == null) throw new IllegalArgumentException("no task class " + label + "; have " + classes.keySet());
    return c;
  }

  /** A few lines for humans. */
  public String format() {
    StringBuilder s = new StringBuilder();
    s.append(String.format(Locale.ROOT, "workload %s (seed %d): %d tasks on %d CPUs, %d events%n",
        workload, seed, tasks, nrCpus, events));
    s.append(String.format(Locale.ROOT, "  makespan %s, throughput %.3f CPUs, utilisation %.1f%%, fairness %.4f%n",
        ms(makespanNs), throughput, utilisation * 100, fairness));
    s.append(String.format(Locale.ROOT, "  context switches %d, migrations %d%n", contextSwitches, migrations));
    s.append("  scheduling delay ").append(schedDelay).append('\n');
    if (response.count() > 0) s.append("  response ").append(response).append('\n');
    if (activations > 0) s.append(String.format(Locale.ROOT, "  periodic: %d activations, %d deadline misses%n", activations, deadlineMisses));
    for (Map.Entry<String, ClassMetrics> e : classes.entrySet()) {
      ClassMetrics c = e.getValue();
      s.append(String.format(Locale.ROOT, "  [%s] %d tasks, cpu %s, fairness %.4f, delay %s", e.getKey(), c.tasks(),
          ms(c.cpuNs()), c.fairness(), c.schedDelay()));
      if (c.response().count() > 0) s.append(", response ").append(c.response());
      if (c.activations() > 0) s.append(", misses ").append(c.deadlineMisses()).append('/').append(c.activations());
      s.append('\n');
    }
    KernelStats k = kernel;
    s.append(String.format(Locale.ROOT,
        "  kernel: queued %d, user %d, kernel %d (idle %d, latency-critical %d, wakeup rule %d, fallback %d, ring full %d, congested %d), cancelled %d, bounced %d, preempted %d, heartbeats %d, round trip p50 %s p99 %s max %s%n",
        k.queued(), k.userDispatches(), k.kernelDispatches(), k.idleDispatches(), k.classDispatches(), k.ruleDispatches(), k.fallbacks(), k.ringFull(),
        k.congested(), k.cancelled(), k.bounced(), k.preempted(), k.heartbeats(), us(k.roundTripP50Ns()), us(k.roundTripP99Ns()),
        us(k.roundTripMaxNs())));
    s.append("  exit: ").append(exit == null ? "still running" : exit.toString()).append('\n');
    return s.toString();
  }

  private static String us(long ns) {
    return String.format(Locale.ROOT, "%.1fus", ns / 1e3);
  }

  private static String ms(long ns) {
    return String.format(Locale.ROOT, "%.3fms", ns / 1e6);
  }
}
