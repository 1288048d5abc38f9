package javaland.runtime.api;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javaland.sdk.Parameter;
import javaland.models.canary.CanaryStatus;
import javaland.models.registry.PolicyVersion;
import javaland.models.registry.Provenance;
import javaland.models.telemetry.TelemetrySnapshot;

/**
 * The API's JSON form of the models (field names as in openapi.yaml, which are the records'
 * component names), both ways, so that clients in this repository (the CLI, the learner) read
 * exactly what the server writes.
 */
public final class ApiJson {
  private ApiJson() {}

  public static JsonObject parameter(Parameter p) {
    return new JsonObject().put("name", p.name()).put("min", p.min()).put("max", p.max())
        .put("default", p.defaultValue()).put("unit", p.unit()).put("meaning", p.meaning());
  }

  public static JsonObject provenance(Provenance p) {
    return new JsonObject().put("at", p.at().toString()).put("author", p.author()).put("data", p.data())
        .put("model", p.model()).put("reason", p.reason()).put("figures", new JsonObject(new HashMap<>(p.figures())));
  }

  public static Provenance provenance(JsonObject j) {
    Map<String, Double> figures = new HashMap<>();
    j.getJsonObject("figures", new JsonObject()).forEach(e -> figures.put(e.getKey(), ((Number) e.getValue()).doubleValue()));
    return new Provenance(Instant.parse(j.getString("at")), j.getString("author"), j.getString("data"),
        j.getString("model"), j.getString("reason"), figures);
  }

  public static JsonObject version(PolicyVersion v) {
    return new JsonObject().put("version", v.version()).put("policy", v.policy())
        .put("values", new JsonObject(new HashMap<>(v.values()))).put("provenance", provenance(v.provenance()));
  }

  public static PolicyVersion version(JsonObject j) {
    return new PolicyVersion(j.getLong("version"), j.getString("policy"), doubles(j.getJsonObject("values")),
        provenance(j.getJsonObject("provenance")));
  }

  public static JsonObject canary(CanaryStatus c) {
    return new JsonObject().put("state", c.state()).put("version", c.version())
        .put("baselineVersion", c.baselineVersion()).put("reason", c.reason() == null ? "" : c.reason())
        .put("sinceEpochMs", c.sinceEpochMs());
  }

  public static CanaryStatus canary(JsonObject j) {
    return new CanaryStatus(j.getString("state"), j.getLong("version"), j.getLong("baselineVersion"),
        j.getString("reason"), j.getLong("sinceEpochMs"));
  }

  public static JsonObject snapshot(TelemetrySnapshot s) {
    JsonObject delays = new JsonObject();
    s.delayCounts().forEach((k, v) -> delays.put(k, longs(v)));
    return new JsonObject().put("monotonicNs", s.monotonicNs()).put("epochMs", s.epochMs())
        .put("policyVersion", s.policyVersion()).put("userDispatches", s.userDispatches())
        .put("kernelDispatches", s.kernelDispatches()).put("cancelled", s.cancelled()).put("fallbacks", s.fallbacks())
        .put("queueDepth", s.queueDepth()).put("exited", s.exited()).put("delayUpperNs", longs(s.delayUpperNs()))
        .put("delayCounts", delays).put("psiTotalUs", new JsonObject(new HashMap<>(s.psiTotalUs())))
        .put("cpus", s.cpus()).put("cpuBusyNs", s.cpuBusyNs());
  }

  /** The snapshot GET /api/v1/stats answered (for the learner's client). */
  public static TelemetrySnapshot snapshot(JsonObject j) {
    Map<String, long[]> delays = new HashMap<>();
    j.getJsonObject("delayCounts").forEach(e -> delays.put(e.getKey(), longs((JsonArray) e.getValue())));
    return new TelemetrySnapshot(j.getLong("monotonicNs"), j.getLong("epochMs"), j.getLong("policyVersion"),
        j.getLong("userDispatches"), j.getLong("kernelDispatches"), j.getLong("cancelled"), j.getLong("fallbacks"),
        j.getLong("queueDepth"), j.getBoolean("exited"), longs(j.getJsonArray("delayUpperNs")), delays,
        doubles(j.getJsonObject("psiTotalUs")), j.getInteger("cpus", 0), j.getLong("cpuBusyNs", -1L));
  }

  public static JsonArray versions(List<PolicyVersion> vs) {
    JsonArray a = new JsonArray();
    vs.forEach(v -> a.add(version(v)));
    return a;
  }

  static Map<String, Double> doubles(JsonObject j) {
    Map<String, Double> m = new HashMap<>();
    j.forEach(e -> m.put(e.getKey(), ((Number) e.getValue()).doubleValue()));
    return m;
  }

  private static JsonArray longs(long[] v) {
    JsonArray a = new JsonArray();
    for (long x : v) a.add(x);
    return a;
  }

  private static long[] longs(JsonArray a) {
    long[] v = new long[a.size()];
    for (int i = 0; i < v.length; i++) v[i] = a.getLong(i);
    return v;
  }
}
