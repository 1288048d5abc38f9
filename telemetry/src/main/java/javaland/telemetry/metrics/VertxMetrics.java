package javaland.telemetry.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;

/**
 * Vert.x's own metrics (HTTP server requests and connections, worker pools, Netty's event
 * executors and allocator: the {@code vertx_*} and {@code netty_*} series) through
 * vertx-micrometer-metrics, into the same registry as javaland's. Vert.x 5 takes the registry
 * through a {@link MicrometerMetricsFactory} given to {@link Vertx#builder()}, not through the
 * options alone, so both are needed:
 *
 * <pre>{@code
 * Vertx vertx = VertxMetrics.builder(telemetry.registry(), new VertxOptions()).build();
 * }</pre>
 */
public final class VertxMetrics {
  private VertxMetrics() {}

  /** Enabled, Netty metrics on, JVM metrics off (javaland registers those itself). */
  public static MicrometerMetricsOptions options() {
    return new MicrometerMetricsOptions()
        .setEnabled(true)
        .setJvmMetricsEnabled(false)
        .setNettyMetricsEnabled(true);
  }

  /** {@code options} with {@link #options()} as metrics options. */
  public static VertxOptions vertxOptions(VertxOptions options) {
    return new VertxOptions(options).setMetricsOptions(options());
  }

  /** The factory that binds Vert.x's metrics to {@code registry}. */
  public static MicrometerMetricsFactory factory(MeterRegistry registry) {
    return new MicrometerMetricsFactory(registry);
  }

  /**
   * A Vert.x builder with metrics into {@code registry}: call {@code build()} on it. The metrics
   * options carry a registry name of their own: vertx-micrometer-metrics keeps its backends in
   * a static map by name, and two Vert.x instances alive at once under the default name would
   * share the first one's registry.
   */
  public static VertxBuilder builder(MeterRegistry registry, VertxOptions options) {
    VertxOptions o = new VertxOptions(options).setMetricsOptions(
        options().setRegistryName("javaland-" + Integer.toHexString(System.identityHashCode(registry))));
    return Vertx.builder().with(o).withMetrics(factory(registry));
  }
}
