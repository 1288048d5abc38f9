package javaland.runtime.canary;

import java.time.Duration;

/**
 * When the runtime's hard guards revert a canary, and how often they look. A rate or depth bound
 * is {@code factor x baseline + slack}, the baseline being the recent windows in which the
 * last-known-good version ran; with no baseline yet, the slack alone is the bound. See
 * docs/canary.md.
 *
 * @param window how often a telemetry window is closed and judged (default 1 s)
 * @param timeout a canary neither committed nor rolled back within this is reverted (default 60 s)
 * @param baselineWindows how many recent windows of the last-known-good version make the baseline (30)
 * @param fallbackFactor fallbacks per second beyond {@code factor x baseline mean + fallbackSlack} revert (3)
 * @param fallbackSlack per second (20)
 * @param cancelFactor cancelled decisions likewise (3)
 * @param cancelSlack per second (20)
 * @param queueFactor tasks waiting at a window's end beyond {@code factor x baseline max + queueSlack} revert (4)
 * @param queueSlack tasks (256)
 * @param delayP99Factor scheduling-delay p99 beyond {@code factor x baseline p99 + delayP99Slack} reverts (2)
 * @param delayP99Slack (1 ms)
 * @param delayMinSamples fewer delay samples than this in a window: p99 not judged (50)
 * @param delayClass the task class whose delay is judged ({@code wakeup}: tasks that just became
 *     runnable, what latency-sensitive work feels; null for all classes)
 */
public record GuardBounds(Duration window, Duration timeout, int baselineWindows, double fallbackFactor,
    double fallbackSlack, double cancelFactor, double cancelSlack, double queueFactor, double queueSlack,
    double delayP99Factor, Duration delayP99Slack, long delayMinSamples, String delayClass) {
  public static final GuardBounds DEFAULTS = new GuardBounds(Duration.ofSeconds(1), Duration.ofSeconds(60), 30,
      3, 20, 3, 20, 4, 256, 2, Duration.ofMillis(1), 50, "wakeup");

  public GuardBounds {
    if (window.toMillis() < 10) throw new IllegalArgumentException("canary window must be >= 10 ms, got " + window);
    if (timeout.compareTo(window) < 0) throw new IllegalArgumentException("canary timeout " + timeout + " is shorter than a window " + window);
    if (baselineWindows < 1) throw new IllegalArgumentException("baselineWindows must be >= 1");
    for (double f : new double[] {fallbackFactor, cancelFactor, queueFactor, delayP99Factor}) {
      if (!(f >= 1)) throw new IllegalArgumentException("guard factors must be >= 1, got " + f);
    }
    if (fallbackSlack < 0 || cancelSlack < 0 || queueSlack < 0 || delayP99Slack.isNegative() || delayMinSamples < 1) {
      throw new IllegalArgumentException("guard slacks must be >= 0 and delayMinSamples >= 1");
    }
  }

  public GuardBounds withWindow(Duration w) {
    return new GuardBounds(w, timeout, baselineWindows, fallbackFactor, fallbackSlack, cancelFactor, cancelSlack,
        queueFactor, queueSlack, delayP99Factor, delayP99Slack, delayMinSamples, delayClass);
  }

  public GuardBounds withTimeout(Duration t) {
    return new GuardBounds(window, t, baselineWindows, fallbackFactor, fallbackSlack, cancelFactor, cancelSlack,
        queueFactor, queueSlack, delayP99Factor, delayP99Slack, delayMinSamples, delayClass);
  }
}
