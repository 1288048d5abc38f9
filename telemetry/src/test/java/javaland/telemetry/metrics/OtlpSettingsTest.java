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
    assertEquals("javaland", s.resourceAttributes().get("service.name"));
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
    assertEquals(Map.of("service.name", "from-attrs", "k8s.pod.name", "pé", "x", "a+b"), without(s.resourceAttributes(),
        "service.version", "service.instance.id"));
    assertEquals(AggregationTemporality.DELTA, s.temporality());
    assertEquals(CompressionMode.GZIP, s.compression());
    assertEquals("http://c:4318/v1/metrics", s.config().url());
    assertEquals(Duration.ofSeconds(15), s.config().step());
    assertEquals(java.util.concurrent.TimeUnit.SECONDS, s.config().baseTimeUnit());
    assertTrue(s.config().validate().isValid());
  }

  private static Map<String, String> without(Map<String, String> m, String... keys) {
    Map<String, String> out = new java.util.LinkedHashMap<>(m);
    for (String k : keys) out.remove(k);
    return out;
  }

  @Test
  void theResourceSaysWhichVersionAndWhichInstanceUnlessTheEnvironmentDoes(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    Map<String, String> r = of(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://c")).orElseThrow().resourceAttributes();
    assertEquals(javaland.models.registry.BuildInfo.current().version(), r.get("service.version"));
    assertTrue(r.get("service.instance.id").matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"), r.toString());
    Map<String, String> set = of(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://c",
        "OTEL_RESOURCE_ATTRIBUTES", "service.version=9.9,service.instance.id=pod-7")).orElseThrow().resourceAttributes();
    assertEquals("9.9", set.get("service.version"));
    assertEquals("pod-7", set.get("service.instance.id"));

    java.nio.file.Path machineId = java.nio.file.Files.writeString(dir.resolve("machine-id"), "0123456789abcdef0123456789abcdef\n");
    String a = OtlpSettings.instanceId("javaland", machineId);
    assertEquals(a, OtlpSettings.instanceId("javaland", machineId), "the same machine and service: the same id, across restarts");
    assertTrue(!a.equals(OtlpSettings.instanceId("javaland-learner", machineId)), "another service on it: another id");
    java.nio.file.Path none = dir.resolve("absent");
    assertTrue(!OtlpSettings.instanceId("javaland", none).equals(OtlpSettings.instanceId("javaland", none)),
        "without a machine id: a random id per process");
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
    assertEquals("javaland", s.resourceAttributes().get("service.name"));
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
