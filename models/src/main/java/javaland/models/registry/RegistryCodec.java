package javaland.models.registry;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import javaland.models.json.JsonCodec;

/**
 * The registry's files as JSON, through {@link JsonCodec} (the mapper the REST API writes with):
 * a version file and an artifact's metadata are the records themselves ({@link PolicyVersion},
 * {@link ModelArtifact}), in the same shape as the API's; a last-known-good pointer and an audit
 * line have shapes of their own. Reading requires every field and throws
 * {@link IllegalArgumentException} naming the one missing or malformed, except the two added
 * after the first files were written, which may be absent: a provenance's {@code artifact} and an
 * artifact's {@code lineage} ({@link AddedField}); they are left out when null, so the files
 * without them keep their shape.
 */
final class RegistryCodec {
  private RegistryCodec() {}

  /** {@code lkg/POLICY/000007.json}: version 7 is last-known-good, and who said so. */
  record LkgPointer(long version, String policy, Provenance provenance) {}

  /**
   * One line of {@code audit.jsonl}. The author, reason and figures stand next to the event as
   * well as inside the provenance, so that {@code grep}/{@code jq} over the log need no nesting;
   * the line's shape is what the registry has always written.
   */
  record AuditLine(Instant at, String event, String policy, long version, @JsonProperty("from_version") long fromVersion,
      String author, String reason, Map<String, Double> figures, Provenance provenance, Map<String, Double> values) {
    static AuditLine of(AuditEntry e) {
      Provenance p = e.provenance();
      return new AuditLine(e.at(), e.event(), e.policy(), e.version(), e.fromVersion(), p.author(), p.reason(),
          new TreeMap<>(p.figures()), p, new TreeMap<>(e.values()));
    }

    AuditEntry entry() {
      return new AuditEntry(at, event, policy, version, fromVersion, provenance, values);
    }
  }

  /** A sealed file's body: one line of JSON. */
  static byte[] bytes(Object record) {
    return (JsonCodec.write(record) + "\n").getBytes(StandardCharsets.UTF_8);
  }

  static <T> T read(byte[] body, Class<T> type) {
    return JsonCodec.readComplete(new String(body, StandardCharsets.UTF_8), type);
  }

  static String auditLine(AuditEntry e) {
    return JsonCodec.write(AuditLine.of(e));
  }

  static AuditEntry auditEntry(String line) {
    return JsonCodec.readComplete(line, AuditLine.class).entry();
  }
}
