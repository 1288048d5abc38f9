package javaland.models.registry;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The registry's records as JSON-ready maps (see {@link javaland.models.json.Json}) and back.
 * Public so the REST API and the CLI print the same shapes the files hold. Reading throws
 * {@link IllegalArgumentException} naming the missing or malformed field.
 */
public final class RegistryCodec {
  private RegistryCodec() {}

  public static Map<String, Object> provenance(Provenance p) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("at", p.at().toString());
    m.put("author", p.author());
    m.put("data", p.data());
    m.put("model", p.model());
    m.put("reason", p.reason());
    m.put("figures", new TreeMap<>(p.figures()));
    return m;
  }

  public static Provenance provenance(Map<String, Object> m) {
    return new Provenance(instant(m, "at"), string(m, "author"), string(m, "data"), string(m, "model"),
        string(m, "reason"), numbers(m, "figures"));
  }

  public static Map<String, Object> version(PolicyVersion v) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("version", v.version());
    m.put("policy", v.policy());
    m.put("values", v.values());
    m.put("provenance", provenance(v.provenance()));
    return m;
  }

  public static PolicyVersion version(Map<String, Object> m) {
    return new PolicyVersion(integer(m, "version"), string(m, "policy"), numbers(m, "values"),
        provenance(object(m, "provenance")));
  }

  public static Map<String, Object> artifact(ModelArtifact a) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", a.id());
    m.put("name", a.name());
    m.put("bytes", a.bytes());
    m.put("sha256", a.sha256());
    m.put("provenance", provenance(a.provenance()));
    return m;
  }

  public static ModelArtifact artifact(Map<String, Object> m) {
    return new ModelArtifact(integer(m, "id"), string(m, "name"), integer(m, "bytes"), string(m, "sha256"),
        provenance(object(m, "provenance")));
  }

  public static Map<String, Object> audit(AuditEntry e) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("at", e.at().toString());
    m.put("event", e.event());
    m.put("policy", e.policy());
    m.put("version", e.version());
    m.put("from_version", e.fromVersion());
    m.put("author", e.provenance().author());
    m.put("reason", e.provenance().reason());
    m.put("figures", new TreeMap<>(e.provenance().figures()));
    m.put("provenance", provenance(e.provenance()));
    m.put("values", new TreeMap<>(e.values()));
    return m;
  }

  public static AuditEntry audit(Map<String, Object> m) {
    return new AuditEntry(instant(m, "at"), string(m, "event"), string(m, "policy"), integer(m, "version"),
        integer(m, "from_version"), provenance(object(m, "provenance")), numbers(m, "values"));
  }

  static Object field(Map<String, Object> m, String key) {
    if (!m.containsKey(key)) throw new IllegalArgumentException("field \"" + key + "\" missing");
    return m.get(key);
  }

  static String string(Map<String, Object> m, String key) {
    if (field(m, key) instanceof String s) return s;
    throw new IllegalArgumentException("field \"" + key + "\" is not a string");
  }

  static long integer(Map<String, Object> m, String key) {
    if (field(m, key) instanceof Double d && d == Math.rint(d)) return d.longValue();
    throw new IllegalArgumentException("field \"" + key + "\" is not an integer");
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> object(Map<String, Object> m, String key) {
    if (field(m, key) instanceof Map<?, ?> o) return (Map<String, Object>) o;
    throw new IllegalArgumentException("field \"" + key + "\" is not an object");
  }

  static Map<String, Double> numbers(Map<String, Object> m, String key) {
    Map<String, Double> out = new TreeMap<>();
    for (Map.Entry<String, Object> e : object(m, key).entrySet()) {
      if (e.getValue() instanceof Double d) out.put(e.getKey(), d);
      else if (e.getValue() == null) out.put(e.getKey(), Double.NaN); // written from a NaN figure
      else throw new IllegalArgumentException("field \"" + key + "." + e.getKey() + "\" is not a number");
    }
    return out;
  }

  static Instant instant(Map<String, Object> m, String key) {
    try {
      return Instant.parse(string(m, key));
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("field \"" + key + "\" is not an ISO-8601 instant");
    }
  }
}
