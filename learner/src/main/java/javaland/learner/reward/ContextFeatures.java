package javaland.learner.reward;

import java.util.ArrayList;
import java.util.List;
import javaland.models.telemetry.TelemetryWindow;

/**
 * The contextual bandits' context: a fixed-order double[] describing the load a window saw,
 * scaled so every entry is of order 1 (LinUCB's ridge prior treats all directions alike).
 *
 * <pre>
 * 0 bias            1
 * 1 queue           log1p(tasks waiting for a decision at the window's end)
 * 2 cpu_pressure    PSI cpu "some" fraction (0..1; 0 when the kernel has no PSI)
 * 3 wakeup_rate     log1p(dispatches per second) / 10  (every wakeup becomes a dispatch)
 * 4 fallback_share  kernel fallbacks / dispatches (0..1)
 * 5 cancel_share    cancelled decisions / dispatches (0..1)
 * 6.. class_&lt;name&gt; one-hot of the workload class, if the learner was given classes
 * </pre>
 *
 * The window has no utilisation or runnable count yet; dispatch rate and queue depth stand in
 * for them. Changing the order or the scaling invalidates every model trained on the old one:
 * {@link #names()} goes into a model's provenance for that reason.
 */
public final class ContextFeatures {
  private static final List<String> BASE = List.of("bias", "queue", "cpu_pressure", "wakeup_rate", "fallback_share",
      "cancel_share");
  private final List<String> classes;
  private final List<String> names;

  /** @param workloadClasses the one-hot classes, in order (empty for none) */
  public ContextFeatures(List<String> workloadClasses) {
    this.classes = List.copyOf(workloadClasses);
    if (classes.stream().distinct().count() != classes.size()) {
      throw new IllegalArgumentException("workload classes repeat: " + classes);
    }
    List<String> n = new ArrayList<>(BASE);
    for (String c : classes) n.add("class_" + c);
    this.names = List.copyOf(n);
  }

  public int dimension() {
    return names.size();
  }

  public List<String> names() {
    return names;
  }

  /**
   * Writes the features of {@code w} into {@code out} (length ≥ {@link #dimension()}).
   * {@code workloadClass} may be null (no class known); otherwise it must be one of the classes.
   */
  public void fill(TelemetryWindow w, String workloadClass, double[] out) {
    if (out.length < dimension()) throw new IllegalArgumentException("feature array has " + out.length + " slots, need " + dimension());
    double rate = Math.max(1.0, w.dispatchRate());
    Double psi = w.psiFraction().get("cpu.some");
    out[0] = 1;
    out[1] = Math.log1p(Math.max(0, w.queueDepth()));
    out[2] = psi == null ? 0 : psi;
    out[3] = Math.log1p(Math.max(0, w.dispatchRate())) / 10;
    out[4] = Math.min(1.0, w.fallbackRate() / rate);
    out[5] = Math.min(1.0, w.cancelRate() / rate);
    int hit = -1;
    for (int i = 0; i < classes.size(); i++) {
      boolean is = classes.get(i).equals(workloadClass);
      out[BASE.size() + i] = is ? 1 : 0;
      if (is) hit = i;
    }
    if (workloadClass != null && hit < 0) {
      throw new IllegalArgumentException("unknown workload class " + workloadClass + "; known: " + classes);
    }
  }

  public double[] of(TelemetryWindow w, String workloadClass) {
    double[] out = new double[dimension()];
    fill(w, workloadClass, out);
    return out;
  }
}
