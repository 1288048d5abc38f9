package javaland.telemetry;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.micrometer.registry.otlp.OtlpMeterRegistry;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import javaland.telemetry.metrics.JavalandMetrics;
import javaland.telemetry.metrics.MeterHygiene;
import javaland.telemetry.metrics.OtlpExport;
import javaland.telemetry.metrics.OtlpSettings;
import javaland.telemetry.metrics.VertxMetrics;

/**
 * Everything the runtime needs for metrics, in one object: a Prometheus registry whose
 * {@link #scrape} the runtime serves at {@code /metrics} on its own HTTP server, an OTLP push
 * when the {@code OTEL_*} environment asks for one, and {@link #registry()}, the composite of
 * both, for Vert.x's and the JVM's meters. javaland's own meters ({@link JavalandMetrics}) are
 * bound to each. Close it at shutdown: the OTLP registry pushes a last time.
 */
public final class Telemetry implements AutoCloseable {
  /** The Prometheus text format, version 0.0.4. */
  public static final String TEXT_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final PrometheusMeterRegistry prometheus;
  private final OtlpMeterRegistry otlp;
  private final OtlpSettings otlpSettings;
  private final CompositeMeterRegistry registry;
  private final JavalandMetrics metrics;
  private final JvmGcMetrics gc;
  private final ExpositionFormats formats = ExpositionFormats.init();

  private Telemetry(Builder b) {
    this.metrics = b.metrics;
    this.prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    MeterHygiene.apply(prometheus);
    this.otlpSettings = OtlpSettings.fromEnvironment(b.env, b.serviceName, b.warnings).orElse(null);
    this.otlp = otlpSettings == null ? null : OtlpExport.registry(otlpSettings, metrics, b.warnings);
    this.registry = new CompositeMeterRegistry();
    // Vert.x and Netty register through the composite: a meter its members' filters drop is still
    // created (and warned about when registered twice) on the composite unless it filters too.
    MeterHygiene.apply(registry);
    registry.add(prometheus);
    if (otlp != null) registry.add(otlp);
    if (metrics != null) metrics.bindTo(registry);
    if (b.jvmMetrics) {
      new JvmMemoryMetrics().bindTo(registry);
      new JvmThreadMetrics().bindTo(registry);
      new ClassLoaderMetrics().bindTo(registry);
      new ProcessorMetrics().bindTo(registry);
      new UptimeMetrics().bindTo(registry);
      gc = new JvmGcMetrics();
      gc.bindTo(registry);
    } else {
      gc = null;
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Prometheus and (if configured) OTLP together: give this to Vert.x and anything else that records. */
  public MeterRegistry registry() {
    return registry;
  }

  public PrometheusMeterRegistry prometheus() {
    return prometheus;
  }

  /** The OTLP push settings in force; empty when OTLP is off. */
  public Optional<OtlpSettings> otlp() {
    return Optional.ofNullable(otlpSettings);
  }

  public Optional<OtlpMeterRegistry> otlpRegistry() {
    return Optional.ofNullable(otlp);
  }

  public Optional<JavalandMetrics> metrics() {
    return Optional.ofNullable(metrics);
  }

  /** The scrape body in the Prometheus text format 0.0.4 ({@link #TEXT_CONTENT_TYPE}). */
  public String scrape() {
    return prometheus.scrape();
  }

  /** A scrape body and the content type to send it with. */
  public record Scrape(String contentType, byte[] body) {
    public String text() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  /**
   * The scrape body in the format the {@code Accept} header asks for (OpenMetrics or
   * protobuf when Prometheus asks for it, else text 0.0.4); {@code accept} may be null.
   * Blocking (reads /proc): call it off the event loop.
   */
  public Scrape scrape(String accept) {
    ExpositionFormatWriter w = formats.findWriter(accept);
    ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
    try {
      prometheus.scrape(out, w.getContentType());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new Scrape(w.getContentType(), out.toByteArray());
  }

  /**
   * A handler for {@code GET /metrics} on the runtime's own server: scrapes on a worker thread
   * (never on the event loop: it reads /proc and walks every meter), answers in the format the
   * {@code Accept} header asks for. With vertx-web: {@code router.get("/metrics").handler(ctx ->
   * h.handle(ctx.request()))}.
   */
  public Handler<HttpServerRequest> metricsHandler(Vertx vertx) {
    return req -> {
      String accept = req.getHeader("Accept");
      vertx.executeBlocking(() -> scrape(accept), false).onComplete(ar -> {
        if (ar.succeeded()) {
          req.response().putHeader("Content-Type", ar.result().contentType()).end(Buffer.buffer(ar.result().body()));
        } else {
          req.response().setStatusCode(500).putHeader("Content-Type", "text/plain; charset=utf-8")
              .end("scrape failed: " + ar.cause() + "\n");
        }
      });
    };
  }

  /** A Vert.x builder whose metrics go to {@link #registry()}; see {@link VertxMetrics}. */
  public VertxBuilder vertxBuilder(VertxOptions options) {
    return VertxMetrics.builder(registry, options);
  }

  /** Stops the OTLP push (after a last push) and the GC listeners. Idempotent. */
  @Override
  public void close() {
    if (gc != null) gc.close();
    if (otlp != null && !otlp.isClosed()) otlp.close();
    prometheus.close();
  }

  public static final class Builder {
    private JavalandMetrics metrics;
    private Map<String, String> env = System.getenv();
    private String serviceName = "javaland";
    private boolean jvmMetrics = true;
    private Consumer<String> warnings = javaland.telemetry.log.Log.named("telemetry").at(javaland.telemetry.log.Log.Level.WARN);

    public Builder metrics(JavalandMetrics m) {
      this.metrics = m;
      return this;
    }

    /** Where OTEL_* are read from; default {@link System#getenv()}. */
    public Builder environment(Map<String, String> env) {
      this.env = env;
      return this;
    }

    /** service.name when neither OTEL_SERVICE_NAME nor OTEL_RESOURCE_ATTRIBUTES sets it; default "javaland". */
    public Builder serviceName(String name) {
      this.serviceName = name;
      return this;
    }

    /** Micrometer's JVM, process and GC meters (jvm_*, process_*, system_*); default on. */
    public Builder jvmMetrics(boolean on) {
      this.jvmMetrics = on;
      return this;
    }

    public Builder warnings(Consumer<String> w) {
      this.warnings = w;
      return this;
    }

    /** Throws IllegalArgumentException naming the variable if an OTEL_* setting cannot be honoured. */
    public Telemetry build() {
      return new Telemetry(this);
    }
  }
}
