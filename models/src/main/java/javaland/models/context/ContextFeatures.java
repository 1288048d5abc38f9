package javaland.models.context;

import java.util.List;
import javaland.models.telemetry.TelemetryWindow;

/**
 * The context a contextual learner (LinUCB, linear Thompson sampling) sees for one window, in a
 * fixed order with fixed names ({@link #NAMES}), every feature scaled to roughly 0..1 so that no
 * one dominates a linear model by its unit.
 *
 * @param runnable tasks waiting for a decision at the window's end, as {@code depth / (depth + 64)}
 *     (0 idle, 0.5 at 64 waiting)
 * @param pressure PSI cpu {@code some}: the share of the window in which some task waited for a CPU
 *     (0 when the kernel reports no PSI)
 * @param wakeupRate wakeups per second and CPU, as {@code r / (r + 1000)} (0.5 at 1000/s per CPU)
 * @param utilisation share of CPU time spent running tasks (0 when unknown)
 * @param workloadClass what the window looked like, derived from the figures above
 */
public record ContextFeatures(double runnable, double pressure, double wakeupRate, double utilisation,
    WorkloadClass workloadClass) {

  /** A coarse label for the window, one-hot encoded in the vector. */
  public enum WorkloadClass {
    /** Under 5% utilisation and fewer than 50 wakeups per second and CPU. */
    IDLE,
    /** Wakeups of at least 200 per second and CPU with utilisation under 70%: many short runs. */
    INTERACTIVE,
    /** Utilisation of 70% or more with fewer than 200 wakeups per second and CPU: long runs. */
    BATCH,
    /** Anything else (busy and wakeup-heavy at once, or in between). */
    MIXED
  }

  /** Feature names, in vector order; the last four are the one-hot workload class. */
  public static final List<String> NAMES = List.of("bias", "runnable", "cpu_pressure", "wakeup_rate", "utilisation",
      "class_idle", "class_interactive", "class_batch", "class_mixed");

  /** Length of {@link #toArray()}. */
  public static final int SIZE = NAMES.size();

  public ContextFeatures {
    if (workloadClass == null) throw new IllegalArgumentException("workloadClass is required");
  }

  /**
   * The context of {@code w} on a machine of {@code cpus} CPUs. Wakeups are the scheduling-delay
   * samples of class {@code wakeup} (tasks that became runnable).
   */
  public static ContextFeatures of(TelemetryWindow w, int cpus) {
    if (cpus < 1) throw new IllegalArgumentException("cpus must be >= 1, got " + cpus);
    double perCpuWakeups = w.delaySamples("wakeup") / w.seconds() / cpus;
    double util = Double.isNaN(w.utilisation()) ? 0 : clamp(w.utilisation());
    Double psi = w.psiFraction().get("cpu.some");
    double depth = Math.max(0, w.queueDepth());
    return new ContextFeatures(depth / (depth + 64), psi == null ? 0 : clamp(psi), perCpuWakeups / (perCpuWakeups + 1000),
        util, classify(util, perCpuWakeups));
  }

  /** The class rules documented on {@link WorkloadClass}. */
  public static WorkloadClass classify(double utilisation, double wakeupsPerCpuSecond) {
    if (utilisation < 0.05 && wakeupsPerCpuSecond < 50) return WorkloadClass.IDLE;
    if (wakeupsPerCpuSecond >= 200 && utilisation < 0.7) return WorkloadClass.INTERACTIVE;
    if (utilisation >= 0.7 && wakeupsPerCpuSecond < 200) return WorkloadClass.BATCH;
    return WorkloadClass.MIXED;
  }

  /** Writes the vector into {@code out[0..SIZE)} (allocation-free for learners that reuse arrays). */
  public void writeTo(double[] out) {
    if (out.length < SIZE) throw new IllegalArgumentException("need " + SIZE + " slots, got " + out.length);
    out[0] = 1.0;
    out[1] = runnable;
    out[2] = pressure;
    out[3] = wakeupRate;
    out[4] = utilisation;
    for (int k = 0; k < 4; k++) out[5 + k] = workloadClass.ordinal() == k ? 1.0 : 0.0;
  }

  public double[] toArray() {
    double[] out = new double[SIZE];
    writeTo(out);
    return out;
  }

  private static double clamp(double v) {
    return Math.max(0, Math.min(1, v));
  }
}
