package javaland.models.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import javaland.models.json.JsonCodec;
import org.junit.jupiter.api.Test;

/** The registry's records through Jackson: round trips, the file shapes, and errors that name the field. */
class RegistryCodecTest {
  static final Provenance WHY = new Provenance(Instant.parse("2026-11-26T10:00:00.5Z"), "learner via api:token",
      "windows 3..9", "linucb", "quote \" backslash \\ newline \n é", Map.of("reward", -0.25, "p99_ms", 1.5, "gone", Double.NaN));

  @Test
  void everyRecordRoundTrips() {
    PolicyVersion v = new PolicyVersion(7, "deadline", Map.of("slice_max_us", 5000.0, "lag", 0.125), WHY);
    PolicyVersion back = RegistryCodec.read(RegistryCodec.bytes(v), PolicyVersion.class);
    assertEquals(v.version(), back.version());
    assertEquals(v.values(), back.values());
    assertEquals(v.provenance().reason(), back.provenance().reason());
    assertEquals(v.provenance().at(), back.provenance().at());
    assertTrue(Double.isNaN(back.provenance().figures().get("gone")));
    assertEquals(-0.25, back.provenance().figures().get("reward"));

    ModelArtifact a = new ModelArtifact(3, "reward-model", 1000, "ab".repeat(32), WHY);
    assertEquals(JsonCodec.write(a), JsonCodec.write(RegistryCodec.read(RegistryCodec.bytes(a), ModelArtifact.class)));

    AuditEntry e = new AuditEntry(WHY.at(), "propose", "deadline", 7, 6, WHY, Map.of("slice_max_us", 5000.0));
    AuditEntry eb = RegistryCodec.auditEntry(RegistryCodec.auditLine(e));
    assertEquals(e.values(), eb.values());
    assertEquals(e.fromVersion(), eb.fromVersion());
    assertEquals(e.provenance().author(), eb.provenance().author());
  }

  @Test
  void theFilesKeepTheirShape() {
    PolicyVersion v = new PolicyVersion(2, "deadline", Map.of("b", 2.0, "a", 1.5), WHY);
    String text = new String(RegistryCodec.bytes(v), StandardCharsets.UTF_8);
    assertTrue(text.endsWith("}\n") && text.indexOf('\n') == text.length() - 1, "one line: " + text);
    assertTrue(text.startsWith("{\"version\":2,\"policy\":\"deadline\",\"values\":{\"a\":1.5,\"b\":2.0},\"provenance\":"
        + "{\"at\":\"2026-11-26T10:00:00.500Z\",\"author\":\"learner via api:token\",\"data\":\"windows 3..9\",\"model\":\"linucb\","
        + "\"reason\":\"quote \\\" backslash \\\\ newline \\n é\",\"figures\":{\"gone\":null,\"p99_ms\":1.5,\"reward\":-0.25}}}"), text);
    String line = RegistryCodec.auditLine(new AuditEntry(WHY.at(), "commit", "deadline", 2, 1, WHY, Map.of("a", 1.0)));
    assertTrue(line.startsWith("{\"at\":\"2026-11-26T10:00:00.500Z\",\"event\":\"commit\",\"policy\":\"deadline\",\"version\":2,"
        + "\"from_version\":1,\"author\":\"learner via api:token\",\"reason\":"), line);
    assertTrue(line.endsWith(",\"values\":{\"a\":1.0}}"), line);
  }

  @Test
  void badFilesAreNamedByField() {
    assertEquals("field \"provenance\" missing", error("{\"version\":1,\"policy\":\"p\",\"values\":{}}"));
    assertEquals("field \"version\" is not an integer", error("{\"version\":1.5,\"policy\":\"p\",\"values\":{},\"provenance\":" + prov() + "}"));
    assertEquals("field \"version\" is not an integer", error("{\"version\":\"1\",\"policy\":\"p\",\"values\":{},\"provenance\":" + prov() + "}"));
    assertEquals("field \"policy\" is not a string", error("{\"version\":1,\"policy\":5,\"values\":{},\"provenance\":" + prov() + "}"));
    assertEquals("field \"values.a\" is not a number", error("{\"version\":1,\"policy\":\"p\",\"values\":{\"a\":\"x\"},\"provenance\":" + prov() + "}"));
    assertEquals("field \"provenance.at\" is not an ISO-8601 instant",
        error("{\"version\":1,\"policy\":\"p\",\"values\":{},\"provenance\":" + prov().replace("2026-11-26T10:00:00Z", "yesterday") + "}"));
    assertEquals("version must be >= 1, got 0",
        error("{\"version\":0,\"policy\":\"p\",\"values\":{},\"provenance\":" + prov() + "}"));
    assertTrue(error("{\"version\":1,\"version\":2}").contains("Duplicate field 'version'"), error("{\"version\":1,\"version\":2}"));
    assertTrue(error("{\"version\":1,}").startsWith("not valid JSON at line 1, column "), error("{\"version\":1,}"));
    String trailing = error("{\"version\":1,\"policy\":\"p\",\"values\":{},\"provenance\":" + prov() + "} x");
    assertTrue(trailing.startsWith("not valid JSON"), trailing);
    assertEquals("field \"version\" is null", error("{\"version\":null,\"policy\":\"p\",\"values\":{},\"provenance\":" + prov() + "}"));
    assertEquals(3, JsonCodec.read("{\"version\":3.0,\"policy\":\"p\",\"values\":{},\"provenance\":" + prov() + "}",
        PolicyVersion.class).version(), "3.0 is an integer");
    assertTrue(error("[]").startsWith("expected an object"), error("[]"));
  }

  static String prov() {
    return "{\"at\":\"2026-11-26T10:00:00Z\",\"author\":\"a\",\"data\":\"\",\"model\":\"\",\"reason\":\"\",\"figures\":{}}";
  }

  static String error(String json) {
    return assertThrows(IllegalArgumentException.class,
        () -> RegistryCodec.read(json.getBytes(StandardCharsets.UTF_8), PolicyVersion.class)).getMessage();
  }
}
