package javaland.telemetry.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micrometer.registry.otlp.AggregationTemporality;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The OTLP request post-processing on its own: units, and buckets in cumulative and delta mode. */
class OtlpFinisherTest {
  private static ExportMetricsServiceRequest request() {
    Metric rt = Metric.newBuilder().setName("javaland.roundtrip").setUnit("seconds")
        .setHistogram(Histogram.newBuilder().addDataPoints(HistogramDataPoint.newBuilder().setCount(1).setSum(0.5)))
        .build();
    Metric delay = Metric.newBuilder().setName("javaland.sched.delay").setUnit("seconds")
        .setHistogram(Histogram.newBuilder().addDataPoints(HistogramDataPoint.newBuilder()
            .addAttributes(KeyValue.newBuilder().setKey("class").setValue(AnyValue.newBuilder().setStringValue("a")))))
        .build();
    Metric other = Metric.newBuilder().setName("jvm.gc.pause").setUnit("seconds")
        .setHistogram(Histogram.newBuilder().addDataPoints(HistogramDataPoint.newBuilder().setCount(4).setSum(1)))
        .build();
    Metric bytes = Metric.newBuilder().setName("jvm.memory.used").setUnit("bytes").build();
    Metric dispatches = Metric.newBuilder().setName("javaland.dispatches").build();
    return ExportMetricsServiceRequest.newBuilder().addResourceMetrics(ResourceMetrics.newBuilder()
        .addScopeMetrics(ScopeMetrics.newBuilder().addMetrics(rt).addMetrics(delay).addMetrics(other).addMetrics(bytes)
            .addMetrics(dispatches))).build();
  }

  private static List<Metric> metrics(ExportMetricsServiceRequest r) {
    return new ArrayList<>(r.getResourceMetrics(0).getScopeMetrics(0).getMetricsList());
  }

  @Test
  void cumulativeBucketsAndUnits() {
    DispatchRecorder rec = new DispatchRecorder(List.of("a"));
    JavalandMetrics m = JavalandMetrics.builder().recorder(rec).build();
    rec.recordRoundTrip(1_500);
    rec.recordRoundTrip(3_000_000);
    rec.recordSchedDelay(0, 700);
    var f = new OtlpExport.Finisher(req -> {}, m, AggregationTemporality.CUMULATIVE, w -> {});
    List<Metric> out = metrics(f.finish(request()));
    HistogramDataPoint rt = out.get(0).getHistogram().getDataPoints(0);
    assertEquals("s", out.get(0).getUnit());
    assertEquals(2, rt.getCount());
    assertEquals(0.0030015, rt.getSum(), 1e-12);
    assertEquals(23, rt.getBucketCountsCount());
    assertEquals(1, rt.getBucketCounts(1), "1.5 us <= 2 us");
    assertEquals(1, rt.getBucketCounts(11), "3 ms <= 5 ms");
    assertEquals(1, out.get(1).getHistogram().getDataPoints(0).getBucketCounts(0), "class a: 0.7 us <= 1 us");
    HistogramDataPoint gc = out.get(2).getHistogram().getDataPoints(0);
    assertEquals(4, gc.getCount(), "other histograms untouched");
    assertEquals(0, gc.getBucketCountsCount());
    assertEquals("s", out.get(2).getUnit());
    assertEquals("By", out.get(3).getUnit());
    assertEquals("{dispatch}", out.get(4).getUnit());
  }

  @Test
  void deltaSendsWhatChangedSinceTheLastPush() {
    DispatchRecorder rec = new DispatchRecorder(List.of("a"));
    JavalandMetrics m = JavalandMetrics.builder().recorder(rec).build();
    var f = new OtlpExport.Finisher(req -> {}, m, AggregationTemporality.DELTA, w -> {});
    rec.recordRoundTrip(1_500);
    assertEquals(1, metrics(f.finish(request())).get(0).getHistogram().getDataPoints(0).getCount());
    try {
      Thread.sleep(250); // past the source cache
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
    rec.recordRoundTrip(1_500);
    rec.recordRoundTrip(1_500);
    HistogramDataPoint p = metrics(f.finish(request())).get(0).getHistogram().getDataPoints(0);
    assertEquals(2, p.getCount());
    assertEquals(2, p.getBucketCounts(1));
    assertEquals(3e-6, p.getSum(), 1e-15);
  }
}
