package javaland.runtime.canary;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import javaland.models.telemetry.TelemetryWindow;

/**
 * The hard guards: judge one window of a candidate against the baseline windows of the
 * last-known-good version. Pure bookkeeping, no I/O; called on the canary's thread.
 */
final class Guards {
  /** Why a candidate must go: a reason tag (the metric's), a sentence, and the figures. */
  record Verdict(String reason, String message, Map<String, Double> figures) {}

  static final String EXIT = "exit";
  static final String STALL = "stall";
  static final String FALLBACK = "fallback_rate";
  static final String CANCEL = "cancel_rate";
  static final String QUEUE = "queue_growth";
  static final String DELAY = "delay_p99";
  static final String POLICY_FAULT = "policy_fault";
  static final String TIMEOUT = "timeout";
  static final String REQUESTED = "requested";
  static final java.util.List<String> REASONS = java.util.List.of(EXIT, STALL, FALLBACK, CANCEL, QUEUE, DELAY, POLICY_FAULT, TIMEOUT,
      REQUESTED);

  private final GuardBounds bounds;
  private final Deque<TelemetryWindow> baseline = new ArrayDeque<>();

  Guards(GuardBounds bounds) {
    this.bounds = bounds;
  }

  private final Deque<Long> baselineFaults = new ArrayDeque<>();
  /** Each baseline window's own delay p99, NaN where it had too few samples to say. */
  private final Deque<Double> baselineWindowP99 = new ArrayDeque<>();
  /** The candidate's last judged window was over the delay bound (see {@link #judge}). */
  private boolean delayOver;

  /** A window in which the last-known-good version ran unchanged. */
  void addBaseline(TelemetryWindow w) {
    addBaseline(w, 0);
  }

  /** ... and the policy faults the loop contained in it. */
  void addBaseline(TelemetryWindow w, long faults) {
    baseline.addLast(w);
    baselineFaults.addLast(faults);
    baselineWindowP99.addLast(w.delaySamples(bounds.delayClass()) >= bounds.delayMinSamples()
        ? w.delayQuantileNs(bounds.delayClass(), 0.99) : Double.NaN);
    while (baseline.size() > bounds.baselineWindows()) baseline.removeFirst();
    while (baselineFaults.size() > bounds.baselineWindows()) baselineFaults.removeFirst();
    while (baselineWindowP99.size() > bounds.baselineWindows()) baselineWindowP99.removeFirst();
  }

  void clearBaseline() {
    baseline.clear();
    baselineFaults.clear();
    baselineWindowP99.clear();
  }

  /** A new candidate is in force: what earlier candidates' windows showed no longer counts. */
  void startCandidate() {
    delayOver = false;
  }

  /** The worst delay p99 of any single baseline window (0 with none that had enough samples). */
  double baselineWorstWindowP99() {
    double worst = 0;
    for (double p : baselineWindowP99) if (p > worst) worst = p;
    return worst;
  }

  int baselineSize() {
    return baseline.size();
  }

  /** The first guard {@code w} trips, in order: exit, stall, fallbacks, cancels, queue, delay. */
  Optional<Verdict> judge(TelemetryWindow w) {
    if (w.exited()) return Optional.of(new Verdict(EXIT, "the kernel unloaded the scheduler", Map.of()));
    if (w.dispatchRate() == 0 && w.queueDepth() > 0) {
      return Optional.of(new Verdict(STALL, "no task dispatched in " + fmt(w.seconds()) + " s with " + w.queueDepth() + " waiting",
          figures("queue_depth", w.queueDepth(), "window_s", w.seconds())));
    }
    double baseFallback = mean(TelemetryWindow::fallbackRate);
    double fallbackBound = bounds.fallbackFactor() * baseFallback + bounds.fallbackSlack();
    if (w.fallbackRate() > fallbackBound) {
      return Optional.of(new Verdict(FALLBACK, "fallbacks " + fmt(w.fallbackRate()) + "/s > bound " + fmt(fallbackBound)
          + "/s (baseline " + fmt(baseFallback) + "/s)",
          figures("fallback_rate", w.fallbackRate(), "bound", fallbackBound, "baseline", baseFallback)));
    }
    double baseCancel = mean(TelemetryWindow::cancelRate);
    double cancelBound = bounds.cancelFactor() * baseCancel + bounds.cancelSlack();
    if (w.cancelRate() > cancelBound) {
      return Optional.of(new Verdict(CANCEL, "cancelled decisions " + fmt(w.cancelRate()) + "/s > bound " + fmt(cancelBound)
          + "/s (baseline " + fmt(baseCancel) + "/s)",
          figures("cancel_rate", w.cancelRate(), "bound", cancelBound, "baseline", baseCancel)));
    }
    double baseQueue = baseline.stream().mapToLong(TelemetryWindow::queueDepth).max().orElse(0);
    double queueBound = bounds.queueFactor() * baseQueue + bounds.queueSlack();
    if (w.queueDepth() > queueBound) {
      return Optional.of(new Verdict(QUEUE, "queue " + w.queueDepth() + " tasks > bound " + fmt(queueBound)
          + " (baseline max " + fmt(baseQueue) + ")", figures("queue_depth", w.queueDepth(), "bound", queueBound, "baseline", baseQueue)));
    }
    String cls = bounds.delayClass();
    long samples = w.delaySamples(cls);
    if (samples >= bounds.delayMinSamples()) {
      double p99 = w.delayQuantileNs(cls, 0.99);
      double baseP99 = baselineP99();
      double bound = bounds.delayP99Factor() * baseP99 + bounds.delayP99Slack().toNanos();
      // A window's p99 is its few worst samples: under emulation one window of the last-known-good
      // itself went over the bound now and then (a candidate with the very values in force was
      // reverted after 38 windows, boot 2026-12-07 17:17). So one window over the bound reverts
      // only when no baseline window was ever that bad; otherwise it takes two in a row. A harmful
      // set stays over the bound, and is reverted within 2 windows either way.
      boolean over = p99 > bound;
      double worst = baselineWorstWindowP99();
      boolean wasOver = delayOver;
      delayOver = over;
      if (over && (p99 > worst || wasOver)) {
        String why = p99 > worst ? "worse than any baseline window (worst " + ms(worst) + " ms)" : "2 windows in a row";
        return Optional.of(new Verdict(DELAY, "scheduling delay p99" + (cls == null ? "" : " (" + cls + ")") + " " + ms(p99) + " ms > bound "
            + ms(bound) + " ms (baseline " + ms(baseP99) + " ms, " + samples + " samples), " + why,
            figures("delay_p99_ms", p99 / 1e6, "bound_ms", bound / 1e6, "baseline_ms", baseP99 / 1e6, "samples", samples,
                "baseline_worst_window_ms", worst / 1e6, "windows_over", wasOver ? 2 : 1)));
      }
    }
    return Optional.empty();
  }

  /** p99 of the baseline's delay samples pooled (0 when there are none). */
  double baselineP99() {
    TelemetryWindow first = baseline.peekFirst();
    if (first == null) return 0;
    Map<String, long[]> pooled = new LinkedHashMap<>();
    for (TelemetryWindow b : baseline) {
      if (b.delayUpperNs().length != first.delayUpperNs().length) continue;
      b.delayCounts().forEach((c, counts) -> {
        long[] sum = pooled.computeIfAbsent(c, k -> new long[counts.length]);
        for (int i = 0; i < counts.length && i < sum.length; i++) sum[i] += counts[i];
      });
    }
    TelemetryWindow all = new TelemetryWindow(1, 0, false, 0, 0, 0, 0, false, pooled, first.delayUpperNs(), Map.of());
    double q = all.delayQuantileNs(bounds.delayClass(), 0.99);
    return Double.isNaN(q) ? 0 : q;
  }

  private double mean(java.util.function.ToDoubleFunction<TelemetryWindow> f) {
    return baseline.stream().mapToDouble(f).average().orElse(0);
  }

  /**
   * The policy misbehaved under the candidate: batches that threw or overran, tasks left
   * undecided, decisions for a CPU the task may not use, more than twice the most of any baseline window. A well-behaved last-known-good
   * has none, so there one fault is enough; a policy that leaves tasks to the kernel's rescue on
   * purpose is judged against its own habit.
   */
  Optional<Verdict> judgeFaults(long faults, double seconds) {
    long base = baselineFaults.stream().mapToLong(Long::longValue).max().orElse(0);
    long bound = 2 * base;
    if (faults <= bound) return Optional.empty();
    return Optional.of(new Verdict(POLICY_FAULT, "the policy misbehaved " + faults + " times in " + fmt(seconds)
        + " s (threw, overran kernel.rescue_ms, left tasks undecided or chose a CPU the task may not use; bound " + bound + ")",
        figures("policy_faults", faults, "bound", bound, "window_s", seconds)));
  }

  private static Map<String, Double> figures(Object... kv) {
    Map<String, Double> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], ((Number) kv[i + 1]).doubleValue());
    return m;
  }

  static String fmt(double v) {
    return String.format(java.util.Locale.ROOT, "%.1f", v);
  }

  static String ms(double ns) {
    return String.format(java.util.Locale.ROOT, "%.3f", ns / 1e6);
  }
}
