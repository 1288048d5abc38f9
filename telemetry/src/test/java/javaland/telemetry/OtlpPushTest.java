package javaland.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import javaland.telemetry.metrics.LatencyBounds;
import org.junit.jupiter.api.Test;

/**
 * The OTLP push, end to end: a local HTTP endpoint (JDK's HttpServer on 127.0.0.1, port 0)
 * plays the collector, Telemetry is configured only through OTEL_* variables, the protobuf is
 * decoded with the opentelemetry-proto classes that micrometer-registry-otlp depends on.
 */
class OtlpPushTest {
  record Received(Map<String, String> headers, ExportMetricsServiceRequest request) {}

  @Test
  void pushReachesACollectorWithUnitsBucketsAndResource() throws Exception {
    LinkedBlockingQueue<Received> received = new LinkedBlockingQueue<>();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/v1/metrics", ex -> {
      try (InputStream raw = ex.getRequestBody()) {
        boolean gz = "gzip".equals(ex.getRequestHeaders().getFirst("Content-Encoding"));
        byte[] body = (gz ? new GZIPInputStream(raw) : raw).readAllBytes();
        Map<String, String> h = new HashMap<>();
        ex.getRequestHeaders().forEach((k, v) -> h.put(k.toLowerCase(), v.getFirst()));
        h.put(":path", ex.getRequestURI().getPath());
        received.add(new Received(h, ExportMetricsServiceRequest.parseFrom(body)));
        ex.getResponseHeaders().add("Content-Type", "application/x-protobuf");
        ex.sendResponseHeaders(200, -1);
      } catch (Exception e) {
        ex.sendResponseHeaders(400, -1);
        throw e;
      } finally {
        ex.close();
      }
    });
    server.start();
    try {
      Map<String, String> env = Map.of(
          "OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:" + server.getAddress().getPort(),
          "OTEL_SERVICE_NAME", "javaland-otlp-test",
          "OTEL_RESOURCE_ATTRIBUTES", "deployment.environment=test,host.name=box%2C1,service.name=overridden",
          "OTEL_METRIC_EXPORT_INTERVAL", "1000",
          "OTEL_EXPORTER_OTLP_HEADERS", "x-test=yes%20please",
          "OTEL_EXPORTER_OTLP_COMPRESSION", "gzip");
      Fixtures f = new Fixtures(true);
      f.record();
      Received last;
      try (Telemetry t = f.telemetry(env)) {
        assertTrue(t.otlp().isPresent());
        assertEquals("http://127.0.0.1:" + server.getAddress().getPort() + "/v1/metrics", t.otlp().get().url().toString());
        Received first = received.poll(30, TimeUnit.SECONDS);
        assertNotNull(first, "no push within 30 s");
        f.record(); // more before the last push (on close)
        f.user.set(4321);
        Thread.sleep(250);
      }
      last = null;
      for (Received r; (r = received.poll(5, TimeUnit.SECONDS)) != null; ) last = r;
      assertNotNull(last, "close() pushes a last time");

      assertEquals("/v1/metrics", last.headers().get(":path"));
      assertEquals("yes please", last.headers().get("x-test"));
      assertEquals("application/x-protobuf", last.headers().get("content-type"));
      ExportMetricsServiceRequest req = last.request();
      assertEquals(1, req.getResourceMetricsCount());
      ResourceMetrics rm = req.getResourceMetrics(0);
      Map<String, String> resource = attrs(rm.getResource().getAttributesList());
      System.out.println("resource: " + resource);
      assertEquals("javaland-otlp-test", resource.get("service.name"), "OTEL_SERVICE_NAME wins");
      assertEquals("test", resource.get("deployment.environment"));
      assertEquals("box,1", resource.get("host.name"), "percent-decoded");
      assertEquals(javaland.models.registry.BuildInfo.current().version(), resource.get("service.version"), "on the wire: " + resource);
      assertTrue(resource.getOrDefault("service.instance.id", "").length() == 36, "a UUID on the wire: " + resource);

      Map<String, Metric> metrics = new HashMap<>();
      rm.getScopeMetricsList().forEach(sm -> sm.getMetricsList().forEach(m -> metrics.put(m.getName(), m)));
      System.out.println("metrics pushed: " + metrics.keySet().stream().sorted().toList());

      Metric dispatches = metrics.get("javaland.dispatches");
      assertEquals("{dispatch}", dispatches.getUnit());
      assertTrue(dispatches.getSum().getIsMonotonic());
      assertEquals(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE, dispatches.getSum().getAggregationTemporality());
      Map<String, Double> byPath = new HashMap<>();
      for (NumberDataPoint p : dispatches.getSum().getDataPointsList()) {
        byPath.put(attrs(p.getAttributesList()).get("path"), p.getAsDouble());
      }
      assertEquals(Map.of("user", 4321.0, "kernel", 500.0, "cancelled", 3.0, "fallback", 2.0, "bounced", 1.0, "rule", 0.0), byPath);

      Metric rt = metrics.get("javaland.roundtrip");
      assertEquals("s", rt.getUnit());
      assertTrue(rt.hasHistogram(), "a histogram, not a summary");
      HistogramDataPoint p = rt.getHistogram().getDataPoints(0);
      assertEquals(2000, p.getCount());
      assertEquals(LatencyBounds.defaultNs().length, p.getExplicitBoundsCount());
      assertEquals(1e-6, p.getExplicitBounds(0), 1e-15);
      assertEquals(p.getExplicitBoundsCount() + 1, p.getBucketCountsCount());
      assertEquals(2000, p.getBucketCountsList().stream().mapToLong(Long::longValue).sum());
      assertEquals(2 * 0.0491, p.getSum(), 1e-9);
      assertTrue(p.getMax() >= 79e-6 && p.getMax() < 81e-6, "max " + p.getMax());

      Metric delay = metrics.get("javaland.sched.delay");
      assertEquals("s", delay.getUnit());
      Map<String, Long> perClass = new HashMap<>();
      for (HistogramDataPoint d : delay.getHistogram().getDataPointsList()) {
        perClass.put(attrs(d.getAttributesList()).get("class"), d.getCount());
        assertEquals(d.getCount(), d.getBucketCountsList().stream().mapToLong(Long::longValue).sum());
      }
      assertEquals(Map.of("normal", 668L, "high", 666L, "low", 666L, "other", 0L), perClass);

      assertEquals("s", metrics.get("javaland.decide").getUnit());
      assertEquals("{batch}", metrics.get("javaland.batches").getUnit());
      assertEquals("{task}", metrics.get("javaland.queue.depth").getUnit());
      assertEquals(7.0, metrics.get("javaland.queue.depth").getGauge().getDataPoints(0).getAsDouble());
      assertEquals("1", metrics.get("javaland.policy.version").getUnit());
      Metric stall = metrics.get("javaland.psi.stall");
      assertEquals("s", stall.getUnit());
      assertTrue(stall.getSum().getIsMonotonic());
      List<String> resources = stall.getSum().getDataPointsList().stream()
          .map(d -> attrs(d.getAttributesList()).get("resource") + "/" + attrs(d.getAttributesList()).get("kind")).sorted().toList();
      assertTrue(resources.contains("cpu/some"), resources.toString());
      assertEquals("1", metrics.get("javaland.psi.avg10").getUnit());
      assertEquals("By", metrics.get("jvm.memory.used").getUnit(), "Micrometer's units become UCUM");
    } finally {
      server.stop(0);
    }
  }

  private static Map<String, String> attrs(List<KeyValue> kvs) {
    Map<String, String> m = new HashMap<>();
    for (KeyValue kv : kvs) m.put(kv.getKey(), kv.getValue().getStringValue());
    return m;
  }
}
