package javaland.api;

import com.fasterxml.jackson.databind.JsonNode;
import javaland.models.json.JsonCodec;

/**
 * The API's bodies as JSON, both ways, for the server and the clients alike: the records of this
 * package and the models' records that are their own wire form ({@link
 * javaland.models.registry.PolicyVersion}, {@link javaland.models.registry.Provenance},
 * {@link javaland.models.canary.CanaryStatus}, {@link javaland.models.telemetry.TelemetrySnapshot}).
 * It is {@link JsonCodec}'s mapper, the one the registry writes its files with, so a version
 * reads the same on disk and on the wire; field names are the records' component names, which
 * are openapi.yaml's. Decoding throws {@link IllegalArgumentException} naming the field.
 */
public final class ApiCodec {
  private ApiCodec() {}

  /** One line of JSON: what the server answers and the clients send. */
  public static String encode(Object body) {
    return JsonCodec.write(body);
  }

  /** Indented, for people ({@code javaland policy ... --json}, {@code GET /status}). */
  public static String encodePretty(Object body) {
    return JsonCodec.writePretty(body);
  }

  /** A body as {@code type}; the fields it leaves out (optional in the contract) are null or 0. */
  public static <T> T decode(String json, Class<T> type) {
    return JsonCodec.read(json, type);
  }

  /** A tree (a body already parsed) as {@code type}, as {@link #decode(String, Class)} reads text. */
  public static <T> T decode(JsonNode json, Class<T> type) {
    return JsonCodec.convert(json, type);
  }

  /** A body as a tree: a rule, whose shape the rule store checks, not the codec. */
  public static JsonNode tree(String json) {
    return JsonCodec.readTree(json);
  }
}
