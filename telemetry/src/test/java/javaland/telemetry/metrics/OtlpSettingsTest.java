package javaland.telemetry.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.registry.otlp.AggregationTemporality;
import io.micrometer.registry.otlp.CompressionMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OtlpSettingsTest {
  private final List<String> warnings = new ArrayList<>();

  private Optional<OtlpSettings> of(Map<String, String> env) {
    return OtlpSettings.fromEnvironment(env, "javaland", warnings::add);
  }

  @Test
  void offUnlessConfigured() {
    assertTrue(of(Map.of()).isEmpty());
    assertTrue(of(Map.of("OTEL_SERVICE_NAME", "x", "OTEL_RESOURCE_ATTRIBUTES", "a=b")).isEmpty(), "a name alone is no endpoint");
    assertTrue(of(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://c:4318", "OTEL_SDK_DISABLED", "TRUE")).isEmpty());
    assertTrue(of(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://c:4318", "OTEL_METRICS_EXPORTER", "none")).isEmpty());
    assertTrue(of(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://c:4318", "OTEL_METRICS_EXPORTER", "prometheus")).isEmpty());
    assertEquals("http://localhost:4318/v1/metrics", of(Map.of("OTEL_METRICS_EXPORTER", "console, otlp")).orElseThrow().url().toString());
  }

  @Test
  void endpointsFollowTheSpec() {
    OtlpSettings s = of(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318")).orElseThrow();
    assertEquals("http://collector:4318/v1/metrics", s.url().toString());
    assertEquals(Duration.ofSeconds(60), s.interval());
    assertEquals(Duration.ofSeconds(10), s.timeout());
    assertEquals(Map.of("service.name", "javaland"), s.resourceAttributes());
    assertEquals(AggregationTemporality.CUMULATIVE, s.temporality());
    assertEquals(CompressionMode.NONE, s.compression());
    assertEquals("http://collector:4318/base/v1/metrics",
        of(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318/base/")).orElseThrow().url().toString());
    assertEquals("https://c/custom", of(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://other",
        "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT", "https://c/custom")).orElseThrow().url().toString(), "used as is");
  }

  @Test
  void everythingElse() {
    OtlpSettings s = of(Map.of(
        "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT", "http://c:4318/v1/metrics",
        "OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf",
        "OTEL_METRIC_EXPORT_INTERVAL", "15000",
        "OTEL_EXPORTER_OTLP_TIMEOUT", "3000",
        "OTEL_EXPORTER_OTLP_HEADERS", "a=1,b=2",
        "OTEL_EXPORTER_OTLP_METRICS_HEADERS", "b=3,auth=Bearer%20xyz",
        "OTEL_RESOURCE_ATTRIBUTES", "service.name=from-attrs,k8s.pod.name=p%C3%A9,x=a+b",
        "OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE", "Delta",
        "OTEL_EXPORTER_OTLP_COMPRESSION", "gzip")).orElseThrow();
    assertEquals(Duration.ofSeconds(15), s.interval());
    assertEquals(Duration.ofSeconds(3), s.timeout());
    assertEquals(Map.of("a", "1", "b", "3", "auth", "Bearer xyz"), s.headers());
    assertEquals(Map.of("service.name", "from-attrs", "k8s.pod.name", "pé", "x", "a+b"), s.resourceAttributes());
    assertEquals(AggregationTemporality.DELTA, s.temporality());
    assertEquals(CompressionMode.GZIP, s.compression());
    assertEquals("http://c:4318/v1/metrics", s.config().url());
    assertEquals(Duration.ofSeconds(15), s.config().step());
    assertEquals(java.util.concurrent.TimeUnit.SECONDS, s.config().baseTimeUnit());
    assertTrue(s.config().validate().isValid());
  }

  @Test
  void serviceNameWinsOverAttributes() {
    OtlpSettings s = of(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://c", "OTEL_SERVICE_NAME", "svc",
        "OTEL_RESOURCE_ATTRIBUTES", "service.name=other")).orElseThrow();
    assertEquals("svc", s.resourceAttributes().get("service.name"));
  }

  @Test
  void malformedResourceAttributesAreIgnoredWhole() {
    OtlpSettings s = of(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://c",
        "OTEL_RESOURCE_ATTRIBUTES", "a=1,broken,c=3")).orElseThrow();
    assertEquals(Map.of("service.name", "javaland"), s.resourceAttributes());
    assertEquals(1, warnings.size());
    assertTrue(warnings.get(0).contains("OTEL_RESOURCE_ATTRIBUTES") && warnings.get(0).contains("broken"), warnings.get(0));
    of(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://c", "OTEL_RESOURCE_ATTRIBUTES", "a=%zz"));
    assertTrue(warnings.get(1).contains("bad %-escape"), warnings.get(1));
  }

  @Test
  void whatCannotBeHonouredIsRefusedNamingTheVariable() {
    assertRefused(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://c", "OTEL_EXPORTER_OTLP_PROTOCOL", "grpc"),
        "OTEL_EXPORTER_OTLP_PROTOCOL=grpc");
    assertRefused(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://c", "OTEL_EXPORTER_OTLP_METRICS_PROTOCOL", "http/json"),
        "OTEL_EXPORTER_OTLP_METRICS_PROTOCOL=http/json");
    assertRefused(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "collector:4318"), "OTEL_EXPORTER_OTLP_ENDPOINT=collector:4318");
    assertRefused(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://c", "OTEL_METRIC_EXPORT_INTERVAL", "10s"),
        "OTEL_METRIC_EXPORT_INTERVAL=10s");
    assertRefused(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://c", "OTEL_EXPORTER_OTLP_METRICS_COMPRESSION", "zstd"),
        "OTEL_EXPORTER_OTLP_METRICS_COMPRESSION=zstd");
    assertRefused(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://c", "OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE", "x"),
        "TEMPORALITY_PREFERENCE=x");
  }

  private void assertRefused(Map<String, String> env, String words) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> of(env));
    assertTrue(e.getMessage().contains(words), e.getMessage());
  }
}
