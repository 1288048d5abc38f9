package javaland.runtime.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import javaland.policies.DeadlinePolicy;
import javaland.runtime.api.ApiTestServer.Response;
import javaland.runtime.policy.PolicySchema;
import javaland.sdk.Parameter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The REST API fuzzed from its contract, openapi.yaml: for every operation, seeded random
 * requests built from its schemas (boundary values, values just outside them, members of an enum
 * and strings that are not), then mutated (a wrong type somewhere, a required field missing, an
 * extra field, a body over the size limit, a body nested deeper than any parser allows, no JSON,
 * no body, another content type) and sent with a good or a bad token. Every answer must be one
 * the contract lists for the operation, with its schema (ApiTestServer's validator), never a 5xx
 * and never a hang (each request times out after 20 s); after a 4xx the parameters, the canary,
 * the rules, the rules file and the audit are as they were. The seed is {@code
 * -Djavaland.fuzz.seed} (default {@value #DEFAULT_SEED}); the test prints how many cases ran and
 * the statuses they got.
 */
class RestApiFuzzTest {
  static final long DEFAULT_SEED = 15;
  static final int CASES_PER_OPERATION = 60;
  static final String TOKEN = "0123456789abcdef0123456789abcdef";
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  /** One operation of the contract. */
  record Op(String id, String method, String path, JsonNode operation, List<JsonNode> parameters) {}

  /** The kinds of case, in turn for each operation. */
  enum Kind { STRICT, VALID, WRONG_TYPE, MISSING, EXTRA, HUGE, DEEP, NOT_JSON, EMPTY, CONTENT_TYPE, BAD_TOKEN, BAD_PATH }

  private JsonNode spec;
  private Random rnd;
  private List<Parameter> parameters;
  /** Values within the contract only (bounds, patterns, enums): requests that should go through. */
  private boolean strict;

  @Test
  void everyOperationAnswersAsItsContractSaysNeverA5xxAndAFourHundredChangesNothing() throws Exception {
    long seed = Long.getLong("javaland.fuzz.seed", DEFAULT_SEED);
    rnd = new Random(seed);
    try (InputStream in = RestApiFuzzTest.class.getResourceAsStream("/javaland/api/openapi.yaml")) {
      spec = new ObjectMapper(new YAMLFactory()).readTree(in);
    }
    parameters = PolicySchema.of(new DeadlinePolicy()).parameters();
    List<Op> ops = operations();
    assertTrue(ops.size() >= 20, "the contract's operations: " + ops);
    Path tokenFile = dir.resolve("token");
    Files.writeString(tokenFile, "# test token\n" + TOKEN + "\n");
    Files.setPosixFilePermissions(tokenFile, PosixFilePermissions.fromString("rw-------"));
    Map<String, Integer> statuses = new TreeMap<>();
    int cases = 0;
    try (ApiTestServer s = ApiTestServer.start(new ApiAuth.Config(tokenFile, null, null, null, false))) {
      for (Op op : ops) {
        Kind[] kinds = Kind.values();
        for (int i = 0; i < CASES_PER_OPERATION; i++) {
          Kind kind = kinds[i % kinds.length];
          strict = kind == Kind.STRICT;
          String path = path(op, kind == Kind.BAD_PATH);
          JsonNode bodySchema = op.operation().at("/requestBody/content/application~1json/schema");
          String body = bodySchema.isMissingNode() ? null : body(bodySchema, kind);
          String contentType = kind == Kind.CONTENT_TYPE ? "text/plain" : "application/json";
          String token = kind == Kind.BAD_TOKEN ? badToken() : TOKEN;
          String what = "case " + cases + " (seed " + seed + "): " + kind + " " + op.method() + " " + path
              + (body == null ? "" : " " + abbreviate(body));
          List<Object> before = state(s);
          Response r;
          try {
            r = s.raw(op.method(), "/api/v1" + path, body, token, contentType);
          } catch (Exception e) {
            throw new AssertionError(what + ": no answer: " + e, e);
          }
          cases++;
          statuses.merge(op.id() + " " + r.status(), 1, Integer::sum);
          if (r.status() >= 500) fail(what + " answered " + r.status() + " " + r.body());
          try {
            s.validate(op.id(), r);
          } catch (AssertionError e) {
            throw new AssertionError(what + ": " + e.getMessage(), e);
          }
          if (kind == Kind.BAD_TOKEN) assertEquals(401, r.status(), what + ": " + r.body());
          if (r.status() >= 400) assertEquals(before, state(s), what + " answered " + r.status() + " and changed something");
        }
      }
    }
    System.out.println("RestApiFuzzTest: " + cases + " cases over " + ops.size() + " operations, seed " + seed + "; "
        + statuses);
    assertEquals(ops.size() * CASES_PER_OPERATION, cases);
  }

  /** Everything a request may change: parameters, canary, history, rules and their file, the audit. */
  private static List<Object> state(ApiTestServer s) throws Exception {
    List<Object> all = new ArrayList<>(s.controlState());
    all.addAll(s.rulesState());
    all.add(List.copyOf(s.audit));
    return all;
  }

  private List<Op> operations() {
    List<Op> ops = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> p = spec.path("paths").fields(); p.hasNext(); ) {
      Map.Entry<String, JsonNode> e = p.next();
      for (String method : List.of("get", "put", "post", "delete", "patch")) {
        JsonNode op = e.getValue().get(method);
        if (op == null) continue;
        List<JsonNode> params = new ArrayList<>();
        e.getValue().path("parameters").forEach(params::add);
        op.path("parameters").forEach(params::add);
        ops.add(new Op(op.path("operationId").asText(), method.toUpperCase(), e.getKey(), op, params));
      }
    }
    return ops;
  }

  /** The operation's path with its path parameters filled (by their schemas, or anyhow). */
  private String path(Op op, boolean anyhow) {
    String path = op.path();
    StringBuilder query = new StringBuilder();
    for (JsonNode p : op.parameters()) {
      JsonNode v = anyhow ? garbage(0) : value(p.path("schema"), 0);
      String text = v.isTextual() ? v.asText() : v.toString();
      if (text.isEmpty() && "path".equals(p.path("in").asText())) text = "x";
      String enc = URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
      if ("path".equals(p.path("in").asText())) path = path.replace("{" + p.path("name").asText() + "}", enc);
      else if (rnd.nextBoolean()) query.append(query.isEmpty() ? "?" : "&").append(p.path("name").asText()).append('=').append(enc);
    }
    return path + query;
  }

  private String body(JsonNode schema, Kind kind) throws Exception {
    return switch (kind) {
      case HUGE -> "{\"reason\":\"" + "x".repeat(RestApi.BODY_LIMIT + 1) + "\"}";
      case DEEP -> "[".repeat(5_000) + "]".repeat(5_000);
      case NOT_JSON -> List.of("{", "}{", "nul", "{\"a\":}", "\u0000\u0001", "[1,2", "'single'").get(rnd.nextInt(7));
      case EMPTY -> "";
      default -> {
        JsonNode v = value(schema, 0);
        if (kind == Kind.WRONG_TYPE) v = mutate(v, this::wrongType);
        if (kind == Kind.MISSING) v = mutate(v, this::dropField);
        if (kind == Kind.EXTRA) v = mutate(v, this::extraField);
        yield JSON.writeValueAsString(v);
      }
    };
  }

  private String badToken() {
    return switch (rnd.nextInt(5)) {
      case 0 -> null;
      case 1 -> "";
      case 2 -> TOKEN.substring(0, TOKEN.length() - 1);
      case 3 -> TOKEN + "0";
      default -> "eyJhbGciOiJub25lIn0.eyJzY29wZSI6ImphdmFsYW5kOndyaXRlIn0.";
    };
  }

  private JsonNode resolve(JsonNode schema) {
    for (int i = 0; i < 16 && schema.has("$ref"); i++) {
      schema = spec.at(schema.get("$ref").asText().substring(1));
    }
    return schema;
  }

  /** A value by {@code schema}, at and just past its bounds as often as inside them. */
  JsonNode value(JsonNode schema, int depth) {
    schema = resolve(schema);
    if (depth > 6) return F.nullNode();
    for (String alt : List.of("oneOf", "anyOf")) {
      if (schema.has(alt)) return value(schema.get(alt).get(rnd.nextInt(schema.get(alt).size())), depth + 1);
    }
    if (schema.has("enum")) {
      JsonNode e = schema.get("enum");
      return !strict && rnd.nextInt(8) == 0 ? F.textNode("not-" + e.get(0).asText()) : e.get(rnd.nextInt(e.size()));
    }
    if (schema.has("const")) return schema.get("const");
    String type = type(schema);
    return switch (type) {
      case "object" -> object(schema, depth);
      case "array" -> {
        ArrayNode a = F.arrayNode();
        int max = schema.path("maxItems").asInt(4);
        int n = !strict && rnd.nextInt(6) == 0 ? max + 1 : rnd.nextInt(Math.min(max, 4) + 1);
        for (int i = 0; i < Math.min(n, 80); i++) a.add(value(schema.path("items"), depth + 1));
        yield a;
      }
      case "integer" -> F.numberNode((long) number(schema, true));
      case "number" -> F.numberNode(number(schema, false));
      case "boolean" -> F.booleanNode(rnd.nextBoolean());
      case "null" -> F.nullNode();
      default -> F.textNode(string(schema));
    };
  }

  private String type(JsonNode schema) {
    JsonNode t = schema.get("type");
    if (t == null) return schema.has("properties") ? "object" : rnd.nextBoolean() ? "string" : "number";
    if (t.isArray()) return t.get(rnd.nextInt(t.size())).asText();
    return t.asText();
  }

  private ObjectNode object(JsonNode schema, int depth) {
    ObjectNode o = F.objectNode();
    List<String> required = new ArrayList<>();
    schema.path("required").forEach(r -> required.add(r.asText()));
    for (Iterator<Map.Entry<String, JsonNode>> f = schema.path("properties").fields(); f.hasNext(); ) {
      Map.Entry<String, JsonNode> e = f.next();
      if (required.contains(e.getKey()) || rnd.nextBoolean()) o.set(e.getKey(), value(e.getValue(), depth + 1));
      else continue;
      // a strict origin or provenance may still be refused for what it claims: keep those out of strict cases
      if (strict && !required.contains(e.getKey()) && resolve(e.getValue()).path("type").asText().equals("object")) o.remove(e.getKey());
    }
    JsonNode extra = schema.get("additionalProperties");
    if (extra != null && extra.isObject()) {
      int n = 1 + rnd.nextInt(3);
      for (int i = 0; i < n; i++) {
        // names the runtime knows, half the time: so that values reach its own checks
        Parameter known = strict || rnd.nextBoolean() ? parameters.get(rnd.nextInt(parameters.size())) : null;
        String name = known != null ? known.name() : string(resolve(schema.path("propertyNames")));
        o.set(name, strict && known != null && extra.path("type").asText().equals("number")
            ? F.numberNode(known.min() + rnd.nextDouble() * (known.max() - known.min())) : value(extra, depth + 1));
      }
    }
    return o;
  }

  private double number(JsonNode schema, boolean integer) {
    double min = schema.path("minimum").asDouble(integer ? Long.MIN_VALUE : -1e9);
    double max = schema.path("maximum").asDouble(integer ? Long.MAX_VALUE : 1e9);
    if (strict) {
      double lo = schema.has("minimum") ? min : 0;
      double hi = schema.has("maximum") ? max : lo + 1000;
      double v = lo + rnd.nextDouble() * (hi - lo);
      return integer ? Math.floor(v) : v;
    }
    double v = switch (rnd.nextInt(8)) {
      case 0 -> min;
      case 1 -> max;
      case 2 -> min - 1;
      case 3 -> max + 1;
      case 4 -> 0;
      case 5 -> -1;
      case 6 -> rnd.nextBoolean() ? 1e300 : -1e300;
      default -> min + rnd.nextDouble() * Math.min(max - min, 1e7);
    };
    return integer ? Math.rint(Math.max(Long.MIN_VALUE, Math.min(Long.MAX_VALUE, v))) : v;
  }

  private String string(JsonNode schema) {
    int minLen = schema.path("minLength").asInt(0);
    int maxLen = schema.path("maxLength").asInt(24);
    int len = strict ? minLen + rnd.nextInt(Math.max(1, Math.min(maxLen, 40) - minLen + 1)) : switch (rnd.nextInt(6)) {
      case 0 -> minLen;
      case 1 -> Math.min(maxLen, 4096);
      case 2 -> Math.min(maxLen + 1, 4097);
      case 3 -> Math.max(0, minLen - 1);
      default -> minLen + rnd.nextInt(Math.max(1, Math.min(maxLen, 40) - minLen + 1));
    };
    String alphabet = schema.path("pattern").asText().contains("0-9a-f]") ? "0123456789abcdef"
        : !strict && rnd.nextInt(5) == 0 ? "AZ .-_/:*?\"'\\{}[]é€\u2028" : "abcdefghijklmnopqrstuvwxyz0123456789";
    StringBuilder b = new StringBuilder(len);
    for (int i = 0; i < len; i++) {
      b.append(i == 0 && alphabet.startsWith("a") ? (char) ('a' + rnd.nextInt(26)) : alphabet.charAt(rnd.nextInt(alphabet.length())));
    }
    if ("date-time".equals(schema.path("format").asText()) && (strict || rnd.nextBoolean())) return "2026-12-07T18:00:00Z";
    return b.toString();
  }

  private JsonNode garbage(int depth) {
    return switch (rnd.nextInt(depth > 2 ? 4 : 6)) {
      case 0 -> F.numberNode(rnd.nextLong());
      case 1 -> F.textNode("../../" + "%00".repeat(rnd.nextInt(3)) + "x".repeat(rnd.nextInt(300)));
      case 2 -> F.booleanNode(true);
      case 3 -> F.nullNode();
      case 4 -> F.arrayNode().add(garbage(depth + 1));
      default -> F.objectNode().set("k", garbage(depth + 1));
    };
  }

  /** {@code v} with {@code change} applied to one object or value in it, picked at random. */
  private JsonNode mutate(JsonNode v, java.util.function.UnaryOperator<JsonNode> change) {
    List<JsonNode> containers = new ArrayList<>();
    collect(v, containers);
    if (containers.isEmpty() || rnd.nextInt(4) == 0) return change.apply(v);
    JsonNode c = containers.get(rnd.nextInt(containers.size()));
    if (c instanceof ObjectNode o && o.size() > 0) {
      List<String> names = new ArrayList<>();
      o.fieldNames().forEachRemaining(names::add);
      String name = names.get(rnd.nextInt(names.size()));
      o.set(name, change.apply(o.get(name)));
    } else if (c instanceof ArrayNode a && a.size() > 0) {
      int i = rnd.nextInt(a.size());
      a.set(i, change.apply(a.get(i)));
    }
    return v;
  }

  private static void collect(JsonNode v, List<JsonNode> out) {
    if (v.isContainerNode() && v.size() > 0) {
      out.add(v);
      v.forEach(c -> collect(c, out));
    }
  }

  private JsonNode wrongType(JsonNode v) {
    if (v.isTextual()) return rnd.nextBoolean() ? F.numberNode(7) : F.arrayNode().add(v);
    if (v.isNumber()) return rnd.nextBoolean() ? F.textNode(v.asText()) : F.booleanNode(false);
    if (v.isBoolean()) return F.textNode("true");
    if (v.isObject()) return F.arrayNode().add(v);
    if (v.isArray()) return F.objectNode().set("0", v);
    return F.numberNode(0);
  }

  private JsonNode dropField(JsonNode v) {
    if (v instanceof ObjectNode o && o.size() > 0) {
      List<String> names = new ArrayList<>();
      o.fieldNames().forEachRemaining(names::add);
      o.remove(names.get(rnd.nextInt(names.size())));
      return o;
    }
    return F.objectNode();
  }

  private JsonNode extraField(JsonNode v) {
    if (v instanceof ObjectNode o) {
      o.set("zz_extra_" + rnd.nextInt(100), garbage(0));
      return o;
    }
    return v;
  }

  private static String abbreviate(String s) {
    return s.length() <= 300 ? s : s.substring(0, 300) + "... (" + s.length() + " chars)";
  }
}
