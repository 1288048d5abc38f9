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
  /**
   * Micrometer's logger of double registrations, held so that its filter stays. vertx-micrometer-metrics
   * registers its connection and request gauges again at each connection and request, on purpose: it is
   * how it finds the counter behind an id (vert-x3/vertx-micrometer-metrics#259, micrometer-metrics/micrometer#6931).
   * Micrometer 1.13.9+ warns about the second registration, once per JVM, on the runtime's output at the
   * first API call. Only Vert.x's own meters are let through silently; a meter of ours registered twice
   * still warns (unless a Vert.x one came first: Micrometer warns once, then logs at debug level).
   */
  private static final java.util.logging.Logger DOUBLE_REGISTRATIONS =
      java.util.logging.Logger.getLogger("io.micrometer.core.instrument.MeterRegistry");

  static {
    DOUBLE_REGISTRATIONS.setFilter(r -> r.getMessage() == null || !r.getMessage().contains("already registered (MeterId{name='vertx."));
  }

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
