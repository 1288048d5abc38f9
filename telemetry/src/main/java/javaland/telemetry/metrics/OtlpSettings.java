package javaland.telemetry.metrics;

import io.micrometer.registry.otlp.AggregationTemporality;
import io.micrometer.registry.otlp.CompressionMode;
import io.micrometer.registry.otlp.HistogramFlavor;
import io.micrometer.registry.otlp.OtlpConfig;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * OTLP push settings from the standard OpenTelemetry environment variables
 * (opentelemetry.io/docs/specs/otel/configuration/sdk-environment-variables and
 * .../protocol/exporter). Off unless configured: on when {@code OTEL_EXPORTER_OTLP_ENDPOINT} or
 * {@code OTEL_EXPORTER_OTLP_METRICS_ENDPOINT} is set, or {@code OTEL_METRICS_EXPORTER} names
 * {@code otlp}; off again with {@code OTEL_SDK_DISABLED=true} or an {@code OTEL_METRICS_EXPORTER}
 * without {@code otlp} (e.g. {@code none}).
 *
 * <table>
 * <caption>What is read</caption>
 * <tr><td>OTEL_EXPORTER_OTLP_METRICS_ENDPOINT</td><td>used as is</td></tr>
 * <tr><td>OTEL_EXPORTER_OTLP_ENDPOINT</td><td>base URL; {@code /v1/metrics} is appended</td></tr>
 * <tr><td>OTEL_EXPORTER_OTLP[_METRICS]_PROTOCOL</td><td>only {@code http/protobuf} (the default)</td></tr>
 * <tr><td>OTEL_EXPORTER_OTLP[_METRICS]_HEADERS</td><td>{@code k=v,...}, values percent-decoded</td></tr>
 * <tr><td>OTEL_EXPORTER_OTLP[_METRICS]_TIMEOUT</td><td>ms, default 10000</td></tr>
 * <tr><td>OTEL_EXPORTER_OTLP[_METRICS]_COMPRESSION</td><td>{@code gzip} or {@code none}</td></tr>
 * <tr><td>OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE</td><td>{@code cumulative} (default), {@code delta}, {@code lowmemory} (as delta)</td></tr>
 * <tr><td>OTEL_METRIC_EXPORT_INTERVAL</td><td>ms between pushes, default 60000</td></tr>
 * <tr><td>OTEL_SERVICE_NAME</td><td>{@code service.name}; wins over OTEL_RESOURCE_ATTRIBUTES</td></tr>
 * <tr><td>OTEL_RESOURCE_ATTRIBUTES</td><td>{@code k=v,...}, values percent-decoded; a malformed list is ignored whole, with a warning</td></tr>
 * </table>
 *
 * <p>Unless those set them, the resource also says {@code service.version} (the build's version) and
 * {@code service.instance.id} ({@link #instanceId}).
 *
 * <p>A value that cannot be honoured (another protocol, a malformed URL or number) is an
 * {@link IllegalArgumentException} naming the variable: better refused at start than silently
 * not exported.
 */
public record OtlpSettings(URI url, Duration interval, Duration timeout, Map<String, String> resourceAttributes,
    Map<String, String> headers, AggregationTemporality temporality, CompressionMode compression,
    HistogramFlavor histogramFlavor) {

  public OtlpSettings {
    resourceAttributes = Collections.unmodifiableMap(new LinkedHashMap<>(resourceAttributes));
    headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
  }

  private static final java.nio.file.Path MACHINE_ID = java.nio.file.Path.of("/etc/machine-id");

  /**
   * {@code service.instance.id}: a name-based UUID of the service name and the machine's
   * {@code /etc/machine-id}, so that it stays the same across restarts (the kernel runs one
   * scheduler at a time: one instance per machine and service); a random one where there is no
   * machine id.
   */
  static String instanceId(String serviceName, java.nio.file.Path machineIdFile) {
    try {
      String id = java.nio.file.Files.readString(machineIdFile).trim();
      if (!id.isEmpty()) return java.util.UUID.nameUUIDFromBytes((serviceName + "@" + id).getBytes(StandardCharsets.UTF_8)).toString();
    } catch (java.io.IOException e) {
      // no machine id (a container, a minimal root): a random id for this process
    }
    return java.util.UUID.randomUUID().toString();
  }

  /** From {@code env} (normally {@link System#getenv()}); empty when OTLP is not configured. */
  public static Optional<OtlpSettings> fromEnvironment(Map<String, String> env, String defaultServiceName,
      Consumer<String> warnings) {
    if ("true".equalsIgnoreCase(get(env, "OTEL_SDK_DISABLED"))) return Optional.empty();
    String exporters = get(env, "OTEL_METRICS_EXPORTER");
    boolean asked = false;
    if (exporters != null) {
      boolean otlp = false;
      for (String e : exporters.split(",")) {
        String x = e.trim().toLowerCase(Locale.ROOT);
        if (x.equals("none")) return Optional.empty();
        if (x.equals("otlp")) otlp = true;
      }
      if (!otlp) return Optional.empty();
      asked = true;
    }
    String metricsEndpoint = get(env, "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT");
    String endpoint = get(env, "OTEL_EXPORTER_OTLP_ENDPOINT");
    if (metricsEndpoint == null && endpoint == null && !asked) return Optional.empty();

    URI url;
    if (metricsEndpoint != null) {
      url = uri("OTEL_EXPORTER_OTLP_METRICS_ENDPOINT", metricsEndpoint);
    } else if (endpoint != null) {
      url = uri("OTEL_EXPORTER_OTLP_ENDPOINT", endpoint.endsWith("/") ? endpoint + "v1/metrics" : endpoint + "/v1/metrics");
    } else {
      url = URI.create("http://localhost:4318/v1/metrics");
    }

    String protocolVar = get(env, "OTEL_EXPORTER_OTLP_METRICS_PROTOCOL") != null
        ? "OTEL_EXPORTER_OTLP_METRICS_PROTOCOL" : "OTEL_EXPORTER_OTLP_PROTOCOL";
    String protocol = get(env, protocolVar);
    if (protocol != null && !protocol.equalsIgnoreCase("http/protobuf")) {
      throw new IllegalArgumentException(protocolVar + "=" + protocol + ": javaland pushes OTLP metrics over"
          + " http/protobuf only (Micrometer's OTLP registry); use the collector's HTTP receiver (port 4318)");
    }

    Duration interval = millis(env, "OTEL_METRIC_EXPORT_INTERVAL", 60_000);
    Duration timeout = millis(env, either(env, "OTEL_EXPORTER_OTLP_METRICS_TIMEOUT", "OTEL_EXPORTER_OTLP_TIMEOUT"), 10_000);

    Map<String, String> headers = new LinkedHashMap<>();
    headers.putAll(pairs(env, "OTEL_EXPORTER_OTLP_HEADERS", warnings));
    headers.putAll(pairs(env, "OTEL_EXPORTER_OTLP_METRICS_HEADERS", warnings));

    Map<String, String> resource = new LinkedHashMap<>(pairs(env, "OTEL_RESOURCE_ATTRIBUTES", warnings));
    String service = get(env, "OTEL_SERVICE_NAME");
    if (service != null) {
      resource.put("service.name", service);
    } else {
      resource.putIfAbsent("service.name", defaultServiceName);
    }
    resource.putIfAbsent("service.version", javaland.models.registry.BuildInfo.current().version());
    resource.putIfAbsent("service.instance.id", instanceId(resource.get("service.name"), MACHINE_ID));

    AggregationTemporality temporality = AggregationTemporality.CUMULATIVE;
    String pref = get(env, "OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE");
    if (pref != null) {
      temporality = switch (pref.toLowerCase(Locale.ROOT)) {
        case "cumulative" -> AggregationTemporality.CUMULATIVE;
        case "delta", "lowmemory" -> AggregationTemporality.DELTA;
        default -> throw new IllegalArgumentException("OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE=" + pref
            + ": expected cumulative, delta or lowmemory");
      };
    }

    String compressionVar = either(env, "OTEL_EXPORTER_OTLP_METRICS_COMPRESSION", "OTEL_EXPORTER_OTLP_COMPRESSION");
    CompressionMode compression = CompressionMode.NONE;
    String c = get(env, compressionVar);
    if (c != null) {
      compression = switch (c.toLowerCase(Locale.ROOT)) {
        case "gzip" -> CompressionMode.GZIP;
        case "none" -> CompressionMode.NONE;
        default -> throw new IllegalArgumentException(compressionVar + "=" + c + ": expected gzip or none");
      };
    }

    HistogramFlavor flavor = HistogramFlavor.EXPLICIT_BUCKET_HISTOGRAM;
    String agg = get(env, "OTEL_EXPORTER_OTLP_METRICS_DEFAULT_HISTOGRAM_AGGREGATION");
    if (agg != null) flavor = HistogramFlavor.fromString(agg);

    for (String unsupported : new String[] {"OTEL_EXPORTER_OTLP_CERTIFICATE", "OTEL_EXPORTER_OTLP_METRICS_CERTIFICATE",
        "OTEL_EXPORTER_OTLP_CLIENT_KEY", "OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE"}) {
      if (get(env, unsupported) != null) {
        warnings.accept(unsupported + " is not supported by javaland's OTLP push (the JVM's trust store is used); ignored");
      }
    }
    return Optional.of(new OtlpSettings(url, interval, timeout, resource, headers, temporality, compression, flavor));
  }

  /** As Micrometer's {@link OtlpConfig}: nothing read from the process environment behind our back. */
  public OtlpConfig config() {
    OtlpSettings s = this;
    return new OtlpConfig() {
      @Override
      public String get(String key) {
        return null;
      }

      @Override
      public String url() {
        return s.url.toString();
      }

      @Override
      public Duration step() {
        return s.interval;
      }

      @Override
      public Map<String, String> resourceAttributes() {
        return s.resourceAttributes;
      }

      @Override
      public Map<String, String> headers() {
        return s.headers;
      }

      @Override
      public AggregationTemporality aggregationTemporality() {
        return s.temporality;
      }

      @Override
      public CompressionMode compressionMode() {
        return s.compression;
      }

      @Override
      public HistogramFlavor histogramFlavor() {
        return s.histogramFlavor;
      }

      @Override
      public TimeUnit baseTimeUnit() {
        return TimeUnit.SECONDS;
      }
    };
  }

  private static String get(Map<String, String> env, String name) {
    String v = env.get(name);
    return v == null || v.isBlank() ? null : v.trim();
  }

  private static String either(Map<String, String> env, String specific, String general) {
    return get(env, specific) != null ? specific : general;
  }

  private static URI uri(String var, String value) {
    try {
      URI u = URI.create(value);
      if (u.getScheme() == null || !(u.getScheme().equals("http") || u.getScheme().equals("https")) || u.getHost() == null) {
        throw new IllegalArgumentException("not an http(s) URL");
      }
      return u;
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(var + "=" + value + ": expected an http:// or https:// URL (" + e.getMessage() + ")", e);
    }
  }

  private static Duration millis(Map<String, String> env, String var, long dflt) {
    String v = get(env, var);
    if (v == null) return Duration.ofMillis(dflt);
    try {
      long ms = Long.parseLong(v);
      if (ms <= 0) throw new NumberFormatException("not positive");
      return Duration.ofMillis(ms);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(var + "=" + v + ": expected a positive number of milliseconds", e);
    }
  }

  /** A W3C-baggage-like {@code k=v,k2=v2} list; on any error the whole value is ignored (as the spec says). */
  static Map<String, String> pairs(Map<String, String> env, String var, Consumer<String> warnings) {
    String v = get(env, var);
    Map<String, String> out = new LinkedHashMap<>();
    if (v == null) return out;
    for (String item : v.split(",")) {
      String t = item.trim();
      if (t.isEmpty()) continue;
      int eq = t.indexOf('=');
      if (eq <= 0) {
        warnings.accept(var + " ignored: '" + t + "' is not key=value");
        return new LinkedHashMap<>();
      }
      try {
        out.put(t.substring(0, eq).trim(), percentDecode(t.substring(eq + 1).trim()));
      } catch (IllegalArgumentException e) {
        warnings.accept(var + " ignored: " + e.getMessage());
        return new LinkedHashMap<>();
      }
    }
    return out;
  }

  /** %XX decoding only ('+' stays '+', unlike URLDecoder). */
  static String percentDecode(String s) {
    if (s.indexOf('%') < 0) return s;
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    for (int i = 0; i < s.length(); i++) {
      int ch = s.codePointAt(i);
      if (ch == '%') {
        if (i + 2 >= s.length()) throw new IllegalArgumentException("truncated %-escape in '" + s + "'");
        int hi = Character.digit(s.charAt(i + 1), 16);
        int lo = Character.digit(s.charAt(i + 2), 16);
        if (hi < 0 || lo < 0) throw new IllegalArgumentException("bad %-escape in '" + s + "'");
        b.write(hi * 16 + lo);
        i += 2;
      } else {
        byte[] u = Character.toString(ch).getBytes(StandardCharsets.UTF_8);
        b.write(u, 0, u.length);
        i += Character.charCount(ch) - 1;
      }
    }
    return b.toString(StandardCharsets.UTF_8);
  }
}
