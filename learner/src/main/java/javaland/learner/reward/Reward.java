package javaland.learner.reward;

import java.util.function.DoubleSupplier;
import javaland.models.telemetry.TelemetryWindow;

/**
 * The learner's reward for one telemetry window (larger is better):
 *
 * <pre>
 * reward = − w1·log(p99 delay of the latency class, µs; all classes if it has no samples)
 *          + w2·log(dispatches per second)
 *          − w3·(PSI cpu "some" fraction of the window)
 *          − w4·(kernel fallbacks / dispatches)
 * </pre>
 *
 * Why this default: logs make the terms relative, so halving p99 is worth the same at 50 µs as
 * at 5 ms, and doubling throughput the same at any load; with w1 = 1 and w2 = 0.5 halving the
 * p99 delay of latency-critical tasks is worth twice what doubling throughput is, the trade a
 * desktop or a latency-sensitive service wants. PSI cpu "some" (someone runnable was waiting)
 * is already a fraction, and w3 = 2 makes going from 0 to 35% stalled as bad as doubling p99.
 * Fallbacks mean Java was too late to decide, the failure the whole design tries to avoid: all
 * dispatches falling back costs as much as a 2.7× worse p99. p99 rather than the mean because
 * the tail is what a user feels. Delays are floored at 1 µs and rates at 1/s so the logs stay
 * finite.
 *
 * <p>A window that cannot be scored (no delay samples at all, or the policy changed inside it)
 * scores NaN: callers skip it instead of learning from a mixture of two settings.
 */
public final class Reward {
  private final RewardConfig config;
  private final DoubleSupplier service;

  public Reward(RewardConfig config) {
    this(config, null);
  }

  /**
   * With the service's own latency ({@code service}, e.g. {@link PromqlLatency}) in place of the
   * scheduling delay: the first term becomes −w1·log(latency), in the service's unit; a window in
   * which it is not known (NaN) or not positive scores NaN.
   */
  public Reward(RewardConfig config, DoubleSupplier service) {
    this.config = config;
    this.service = service;
  }

  public RewardConfig config() {
    return config;
  }

  public double score(TelemetryWindow w) {
    if (w.versionChanged()) return Double.NaN;
    if (service != null) {
      double v = service.getAsDouble();
      if (!(v > 0) || Double.isInfinite(v)) return Double.NaN;
      return -config.delayWeight() * Math.log(v) + others(w);
    }
    String cls = w.delaySamples(config.latencyClass()) > 0 ? config.latencyClass() : null;
    double delayNs = w.delayQuantileNs(cls, config.quantile());
    if (Double.isNaN(delayNs)) return Double.NaN;
    double delayUs = Math.max(1.0, delayNs / 1000);
    return -config.delayWeight() * Math.log(delayUs) + others(w);
  }

  /** The throughput, pressure and fallback terms. */
  private double others(TelemetryWindow w) {
    double rate = Math.max(1.0, w.dispatchRate());
    Double psi = w.psiFraction().get("cpu.some");
    double fallbackShare = Math.min(1.0, w.fallbackRate() / rate);
    return config.throughputWeight() * Math.log(rate) - config.pressureWeight() * (psi == null ? 0 : psi)
        - config.fallbackWeight() * fallbackShare;
  }
}
