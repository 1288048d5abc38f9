package javaland.models.telemetry;

import java.util.HashMap;
import java.util.Map;

/**
 * What happened between two snapshots: the learner's unit of observation and the canary's unit
 * of judgement. Rates are per second of the window.
 *
 * @param seconds length of the window
 * @param policyVersion the version in force at the window's end (a window that spans a change
 *     is marked by {@code versionChanged})
 * @param versionChanged true if the parameters changed inside the window (discard it for judging)
 * @param dispatchRate tasks placed per second (a throughput proxy)
 * @param fallbackRate kernel fallbacks per second
 * @param cancelRate cancelled decisions per second
 * @param queueDepth tasks waiting at the window's end
 * @param exited the scheduler was unloaded by the kernel
 * @param delayCounts per class, the bucket counts of scheduling delay inside the window
 * @param delayUpperNs bucket bounds, as in the snapshot
 * @param psiFraction per "resource.kind", the fraction of the window spent stalled (0..1)
 * @param utilisation share of the CPUs' time spent running tasks (0..1), NaN when unknown
 */
public record TelemetryWindow(double seconds, long policyVersion, boolean versionChanged, double dispatchRate,
    double fallbackRate, double cancelRate, long queueDepth, boolean exited, Map<String, long[]> delayCounts,
    long[] delayUpperNs, Map<String, Double> psiFraction, double utilisation) {

  /** Without utilisation (unknown: NaN). */
  public TelemetryWindow(double seconds, long policyVersion, boolean versionChanged, double dispatchRate,
      double fallbackRate, double cancelRate, long queueDepth, boolean exited, Map<String, long[]> delayCounts,
      long[] delayUpperNs, Map<String, Double> psiFraction) {
    this(seconds, policyVersion, versionChanged, dispatchRate, fallbackRate, cancelRate, queueDepth, exited,
        delayCounts, delayUpperNs, psiFraction, Double.NaN);
  }

  /** The window from {@code a} to {@code b} (b later). Throws if b is not after a. */
  public static TelemetryWindow between(TelemetrySnapshot a, TelemetrySnapshot b) {
    double secs = (b.monotonicNs() - a.monotonicNs()) / 1e9;
    if (!(secs > 0)) throw new IllegalArgumentException("snapshot b is not after a (" + secs + " s)");
    Map<String, long[]> delays = new HashMap<>();
    for (Map.Entry<String, long[]> e : b.delayCounts().entrySet()) {
      long[] before = a.delayCounts().get(e.getKey());
      long[] d = e.getValue().clone();
      if (before != null && before.length == d.length) {
        for (int i = 0; i < d.length; i++) d[i] = Math.max(0, d[i] - before[i]);
      }
      delays.put(e.getKey(), d);
    }
    Map<String, Double> psi = new HashMap<>();
    for (Map.Entry<String, Double> e : b.psiTotalUs().entrySet()) {
      Double before = a.psiTotalUs().get(e.getKey());
      if (before == null) continue;
      psi.put(e.getKey(), Math.min(1.0, Math.max(0.0, (e.getValue() - before) / 1e6 / secs)));
    }
    double util = Double.NaN;
    if (b.cpus() > 0 && a.cpuBusyNs() >= 0 && b.cpuBusyNs() >= a.cpuBusyNs()) {
      util = Math.min(1.0, (b.cpuBusyNs() - a.cpuBusyNs()) / (secs * 1e9 * b.cpus()));
    }
    return new TelemetryWindow(secs, b.policyVersion(), a.policyVersion() != b.policyVersion(),
        (b.dispatches() - a.dispatches()) / secs, (b.fallbacks() - a.fallbacks()) / secs,
        (b.cancelled() - a.cancelled()) / secs, b.queueDepth(), b.exited(), delays, b.delayUpperNs(), psi, util);
  }

  /** Scheduling-delay samples of {@code taskClass} in the window (all classes when null). */
  public long delaySamples(String taskClass) {
    long n = 0;
    for (Map.Entry<String, long[]> e : delayCounts.entrySet()) {
      if (taskClass != null && !taskClass.equals(e.getKey())) continue;
      for (long c : e.getValue()) n += c;
    }
    return n;
  }

  /**
   * The {@code q} quantile (0..1) of scheduling delay in ns, as the upper bound of the bucket
   * that holds it, for {@code taskClass} (all classes when null); NaN with no samples.
   */
  public double delayQuantileNs(String taskClass, double q) {
    long n = delaySamples(taskClass);
    if (n == 0) return Double.NaN;
    long rank = (long) Math.ceil(q * n);
    long[] sum = new long[delayUpperNs.length];
    for (Map.Entry<String, long[]> e : delayCounts.entrySet()) {
      if (taskClass != null && !taskClass.equals(e.getKey())) continue;
      for (int i = 0; i < sum.length; i++) sum[i] += e.getValue()[i];
    }
    long seen = 0;
    for (int i = 0; i < sum.length; i++) {
      seen += sum[i];
      if (seen >= Math.max(1, rank)) return delayUpperNs[i];
    }
    return delayUpperNs[delayUpperNs.length - 1];
  }
}
