package javaland.telemetry.metrics;

import io.micrometer.core.ipc.http.HttpUrlConnectionSender;
import io.micrometer.registry.otlp.AggregationTemporality;
import io.micrometer.registry.otlp.OtlpHttpMetricsSender;
import io.micrometer.registry.otlp.OtlpMeterRegistry;
import io.micrometer.registry.otlp.OtlpMetricsSender;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The OTLP push: Micrometer's {@link OtlpMeterRegistry} configured from {@link OtlpSettings},
 * with a sender that finishes each request before it goes out:
 *
 * <ul>
 *   <li>units become UCUM, as OpenTelemetry expects ({@code s}, {@code By}, {@code 1},
 *       {@code {dispatch}}...) instead of Micrometer's words ({@code seconds}, {@code bytes});
 *   <li>javaland's latency histograms, which Micrometer only knows as count and sum, get their
 *       buckets ({@link LatencyBounds}) from {@link JavalandMetrics#histograms()}.
 * </ul>
 *
 * A request that cannot be decoded is sent unchanged.
 */
public final class OtlpExport {
  private static final Map<String, String> UCUM = Map.ofEntries(
      Map.entry("seconds", "s"), Map.entry("milliseconds", "ms"), Map.entry("microseconds", "us"),
      Map.entry("nanoseconds", "ns"), Map.entry("bytes", "By"), Map.entry("ratio", "1"),
      Map.entry("percent", "%"), Map.entry("threads", "{thread}"), Map.entry("classes", "{class}"),
      Map.entry("buffers", "{buffer}"), Map.entry("connections", "{connection}"),
      Map.entry("requests", "{request}"), Map.entry("tasks", "{task}"), Map.entry("events", "{event}"),
      Map.entry("files", "{file}"), Map.entry("objects", "{object}"), Map.entry("messages", "{message}"));

  private OtlpExport() {}

  /** A started registry pushing every {@link OtlpSettings#interval()}; close it to push a last time and stop. */
  public static OtlpMeterRegistry registry(OtlpSettings settings, JavalandMetrics metrics, Consumer<String> warnings) {
    OtlpMetricsSender http = new OtlpHttpMetricsSender(
        new HttpUrlConnectionSender(settings.timeout(), settings.timeout()));
    AtomicInteger n = new AtomicInteger();
    OtlpMeterRegistry r = OtlpMeterRegistry.builder(settings.config())
        .metricsSender(new Finisher(http, metrics, settings.temporality(), warnings))
        .threadFactory(t -> Thread.ofPlatform().name("javaland-otlp-" + n.incrementAndGet()).daemon(true).unstarted(t))
        .build();
    MeterHygiene.apply(r);
    return r;
  }

  /** The UCUM unit for a Micrometer unit word, or the word itself. */
  static String ucum(String metricName, String unit) {
    Optional<MeterNames> ours = MeterNames.byMeterName(metricName);
    if (ours.isPresent()) return ours.get().otlpUnit();
    return UCUM.getOrDefault(unit, unit);
  }

  /** Rewrites units and fills javaland's histograms, then hands the request to the HTTP sender. */
  static final class Finisher implements OtlpMetricsSender {
    private final OtlpMetricsSender delegate;
    private final JavalandMetrics metrics;
    private final boolean delta;
    private final Consumer<String> warnings;
    private final Map<String, HistogramData> lastSent = new HashMap<>();
    private volatile boolean warned;

    Finisher(OtlpMetricsSender delegate, JavalandMetrics metrics, AggregationTemporality temporality,
        Consumer<String> warnings) {
      this.delegate = delegate;
      this.metrics = metrics;
      this.delta = temporality == AggregationTemporality.DELTA;
      this.warnings = warnings;
    }

    @Override
    public void send(Request request) throws Exception {
      byte[] data = request.getMetricsData();
      try {
        data = finish(ExportMetricsServiceRequest.parseFrom(data)).toByteArray();
      } catch (Exception e) {
        if (!warned) warnings.accept("OTLP: could not post-process a request, sent as is: " + e);
        warned = true;
      }
      delegate.send(Request.builder(data)
          .address(request.getAddress())
          .headers(request.getHeaders())
          .compressionMode(request.getCompressionMode())
          .build());
    }

    synchronized ExportMetricsServiceRequest finish(ExportMetricsServiceRequest req) {
      List<JavalandMetrics.NamedHistogram> histograms = metrics == null ? List.of() : metrics.histograms();
      ExportMetricsServiceRequest.Builder b = req.toBuilder();
      for (ResourceMetrics.Builder rm : b.getResourceMetricsBuilderList()) {
        for (ScopeMetrics.Builder sm : rm.getScopeMetricsBuilderList()) {
          for (Metric.Builder m : sm.getMetricsBuilderList()) {
            if (!m.getUnit().isEmpty() || MeterNames.byMeterName(m.getName()).isPresent()) {
              m.setUnit(ucum(m.getName(), m.getUnit()));
            }
            if (m.hasHistogram()) fill(m, histograms);
          }
        }
      }
      return b.build();
    }

    private void fill(Metric.Builder m, List<JavalandMetrics.NamedHistogram> histograms) {
      for (HistogramDataPoint.Builder p : m.getHistogramBuilder().getDataPointsBuilderList()) {
        String taskClass = null;
        for (KeyValue kv : p.getAttributesList()) {
          if (kv.getKey().equals("class")) taskClass = kv.getValue().getStringValue();
        }
        for (JavalandMetrics.NamedHistogram h : histograms) {
          if (!h.meter().meterName().equals(m.getName())) continue;
          if (!java.util.Objects.equals(h.taskClass(), taskClass)) continue;
          HistogramData d = h.data();
          if (delta) {
            String key = m.getName() + "|" + taskClass;
            HistogramData before = lastSent.put(key, d);
            d = before == null ? d : d.minus(before);
          }
          p.clearExplicitBounds().clearBucketCounts().clearMax().clearMin();
          for (int i = 0; i < d.buckets() - 1; i++) p.addExplicitBounds(d.upperBoundSeconds(i));
          for (int i = 0; i < d.buckets(); i++) p.addBucketCounts(d.count(i));
          p.setCount(d.count()).setSum(d.sumSeconds());
          if (!delta && d.count() > 0) p.setMax(d.maxNs() / 1e9);
          break;
        }
      }
    }
  }
}
