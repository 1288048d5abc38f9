package javaland.telemetry.metrics;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The latency histograms as Prometheus classic histograms ({@code _bucket{le=...}},
 * {@code _count}, {@code _sum}), built at scrape time from {@link JavalandMetrics#histograms()}.
 * Registered with the {@code PrometheusRegistry} behind a {@code PrometheusMeterRegistry}, so
 * {@code scrape()} renders them next to the Micrometer meters.
 */
final class PrometheusHistograms implements MultiCollector {
  private final JavalandMetrics metrics;

  PrometheusHistograms(JavalandMetrics metrics) {
    this.metrics = metrics;
  }

  @Override
  public MetricSnapshots collect() {
    Map<MeterNames, HistogramSnapshot.Builder> families = new EnumMap<>(MeterNames.class);
    for (JavalandMetrics.NamedHistogram h : metrics.histograms()) {
      HistogramSnapshot.Builder b = families.computeIfAbsent(h.meter(), m -> HistogramSnapshot.builder()
          .name(m.prometheusName())
          .help(m.description())
          .unit(Unit.SECONDS));
      b.dataPoint(point(h));
    }
    List<MetricSnapshot> out = new ArrayList<>();
    families.values().forEach(b -> out.add(b.build()));
    return new MetricSnapshots(out);
  }

  private static HistogramDataPointSnapshot point(JavalandMetrics.NamedHistogram h) {
    HistogramData d = h.data();
    double[] bounds = new double[d.buckets()];
    long[] counts = new long[d.buckets()];
    for (int i = 0; i < bounds.length; i++) {
      bounds[i] = d.upperBoundSeconds(i);
      counts[i] = d.count(i);
    }
    HistogramDataPointSnapshot.Builder p = HistogramDataPointSnapshot.builder()
        .classicHistogramBuckets(ClassicHistogramBuckets.of(bounds, counts))
        .labels(h.taskClass() == null ? Labels.EMPTY : Labels.of("class", h.taskClass()));
    p.sum(d.sumSeconds());
    return p.build();
  }
}
