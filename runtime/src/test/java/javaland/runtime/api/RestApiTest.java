package javaland.runtime.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import javaland.runtime.Scheduler;
import javaland.runtime.api.ApiTestServer.Response;
import javaland.policies.DeadlinePolicy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import javaland.runtime.policy.PolicySchema;

/**
 * Every operation of openapi.yaml over the runtime's real canary (on a registry) and rule store
 * (on a rules file), with each answer checked against the contract's response schema; every kind
 * of bad input gets a 4xx naming the field and leaves the parameters, the rules and the rules file
 * untouched.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RestApiTest {
  static final String TOKEN = "0123456789abcdef0123456789abcdef";
  @TempDir
  static Path dir;
  ApiTestServer s;

  @BeforeAll
  void startOnce() throws Exception {
    Path f = dir.resolve("token");
    Files.writeString(f, "# test token\n" + TOKEN + "\n");
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
    s = ApiTestServer.start(new ApiAuth.Config(f, null, null, null, false));
  }

  @AfterAll
  void stop() throws Exception {
    s.close();
  }

  List<Object> control0;
  List<Object> rules0;

  @BeforeEach
  void resetRules() throws Exception {
    for (var r : s.rules.list()) s.rules.delete(r.path("name").asText());
    control0 = s.controlState();
    rules0 = s.rulesState();
  }

  /** No parameter change and no rule change (version, list, file) since the test began. */
  void assertNothingChanged() throws Exception {
    assertEquals(control0, s.controlState(), "the parameters were changed");
    assertEquals(rules0, s.rulesState(), "the rules were changed");
  }

  Response call(String op, String method, String path, String body) throws Exception {
    return s.call(op, method, "/api/v1" + path, body, TOKEN);
  }

  static void assertError(Response r, int status, String code, String pathFragment) {
    assertEquals(status, r.status(), r.body());
    JsonObject e = r.json();
    assertEquals(code, e.getString("error"), r.body());
    if (pathFragment != null) {
      boolean named = e.getJsonArray("errors").stream()
          .anyMatch(x -> ((JsonObject) x).getString("path").contains(pathFragment)
              || ((JsonObject) x).getString("message").contains(pathFragment));
      assertTrue(named, "no field error names " + pathFragment + ": " + r.body());
    }
  }

  /** A refusal with a field error at exactly {@code path} whose message holds {@code says}. */
  static void assertField(Response r, int status, String code, String path, String says) {
    assertEquals(status, r.status(), r.body());
    assertEquals(code, r.json().getString("error"), r.body());
    boolean named = r.json().getJsonArray("errors").stream().map(JsonObject.class::cast)
        .anyMatch(x -> x.getString("path").equals(path) && x.getString("message").contains(says));
    assertTrue(named, "no field error at " + path + " saying '" + says + "': " + r.body());
  }

  /** A rule in the rules file's shape: a comm regex and a class. */
  static JsonObject rule(String name, String comm, String cls) {
    return new JsonObject().put("name", name).put("match", new JsonObject().put("comm", comm)).put("class", cls);
  }

  @Test
  void readsAnswerWhatTheRuntimeHolds() throws Exception {
    Response st = call("getStatus", "GET", "/status", null);
    assertEquals(200, st.status());
    assertEquals("deadline", st.json().getString("policy"));
    assertEquals(s.control.current().version(), st.json().getLong("version"));
    assertEquals(s.rules.version(), st.json().getLong("rulesVersion"));
    assertEquals(7, st.json().getJsonObject("runtime").getInteger("tasks"));

    Response stats = call("getStats", "GET", "/stats", null);
    assertEquals(200, stats.status());
    assertEquals(ApiTestServer.SNAPSHOT.fallbacks(), stats.json().getLong("fallbacks"));
    // The JSON form reads back to the same snapshot (the learner's client depends on it).
    var back = javaland.api.ApiCodec.decode(stats.body(), javaland.models.telemetry.TelemetrySnapshot.class);
    assertEquals(ApiTestServer.SNAPSHOT.dispatches(), back.dispatches());
    assertEquals(5L, back.delayCounts().get("wakeup")[1]);

    Response p = call("getParameters", "GET", "/parameters", null);
    assertEquals(200, p.status());
    assertEquals(PolicySchema.of(new DeadlinePolicy()).size(), p.json().getJsonArray("schema").size());
    assertTrue(p.json().getJsonArray("schema").stream().anyMatch(o -> ((JsonObject) o).getString("name").equals("kernel.rescue_ms")));
    assertEquals(s.control.current().values().get("slice_max_us"),
        p.json().getJsonObject("current").getJsonObject("values").getDouble("slice_max_us"));
  }

  @Test
  void statsBeforeTelemetryExistsIs503() throws Exception {
    s.stats = () -> {
      throw new IllegalStateException("not attached yet");
    };
    try {
      assertError(call("getStats", "GET", "/stats", null), 503, "unavailable", null);
    } finally {
      s.stats = () -> ApiTestServer.SNAPSHOT;
    }
  }

  @Test
  void aProposalRunsAsACanaryThenCommitsAndRollsBack() throws Exception {
    int audits = s.audit.size();
    double before = s.control.current().values().get("slice_max_us");
    Response r = call("proposeParameters", "PUT", "/parameters", "{\"values\":{\"slice_max_us\":5000},\"reason\":\"shorter\"}");
    assertEquals(202, r.status(), r.body());
    assertEquals("canary", r.json().getString("state"));
    long v = r.json().getLong("version");
    assertEquals(5000.0, s.control.current().values().get("slice_max_us"));
    assertEquals(v, s.applied.getLast().version(), "the canary applied the proposal at once");
    assertEquals("api:token", s.control.current().provenance().author());
    assertEquals("shorter", s.control.current().provenance().reason());
    assertEquals("canary", call("getCanary", "GET", "/canary", null).json().getString("state"));
    assertError(call("proposeParameters", "PUT", "/parameters", "{\"values\":{\"slice_max_us\":6000}}"), 409, "conflict", null);

    Response c = call("commitCanary", "POST", "/canary/commit", null);
    assertEquals(200, c.status(), c.body());
    assertEquals("committed", c.json().getString("state"));
    assertEquals(v, s.control.lastKnownGood().version());
    assertError(call("commitCanary", "POST", "/canary/commit", "{}"), 409, "conflict", null);

    Response h = call("getHistory", "GET", "/history", null);
    assertEquals(200, h.status());
    JsonArray versions = h.json().getJsonArray("versions");
    assertEquals(v, versions.getJsonObject(versions.size() - 1).getLong("version"));
    long first = versions.getJsonObject(0).getLong("version");

    // A second canary, undone by a rollback to last-known-good: the committed version's values.
    assertEquals(202, call("proposeParameters", "PUT", "/parameters", "{\"values\":{\"slice_max_us\":7000}}").status());
    Response rbDefault = call("rollback", "POST", "/rollback", null);
    assertEquals(200, rbDefault.status(), rbDefault.body());
    assertEquals(5000.0, rbDefault.json().getJsonObject("values").getDouble("slice_max_us"), "last-known-good is the committed one");
    assertEquals(5000.0, s.applied.getLast().values().get("slice_max_us"), "the rollback is in force");
    assertEquals("rolled_back", call("getCanary", "GET", "/canary", null).json().getString("state"));

    Response rb = call("rollback", "POST", "/rollback", "{\"version\":" + first + ",\"reason\":\"back\"}");
    assertEquals(200, rb.status(), rb.body());
    assertEquals(before, rb.json().getJsonObject("values").getDouble("slice_max_us"));
    assertTrue(rb.json().getJsonObject("provenance").getString("reason").contains("back"), rb.body());
    assertError(call("rollback", "POST", "/rollback", "{\"version\":9999}"), 404, "not_found", null);
    assertTrue(s.audit.size() >= audits + 5, "every accepted change is audited: " + s.audit);
    assertTrue(s.audit.stream().anyMatch(l -> l.contains("api: token: PUT /api/v1/parameters") && l.contains("slice_max_us=5000")), s.audit.toString());
    assertEquals(before, s.control.current().values().get("slice_max_us"));

    // an origin goes into the provenance after the client's name
    r = call("proposeParameters", "PUT", "/parameters", "{\"values\":{\"slice_max_us\":7000},\"reason\":\"arm 3\","
        + "\"origin\":{\"author\":\"learner\",\"model\":\"linucb\",\"data\":\"windows 1..8\",\"figures\":{\"propensity\":0.25}}}");
    assertEquals(202, r.status(), r.body());
    var p = s.control.current().provenance();
    assertEquals("learner via api:token", p.author(), "the client's name, then the authenticated caller");
    assertEquals("linucb", p.model());
    assertEquals("windows 1..8", p.data());
    assertEquals(java.util.Map.of("propensity", 0.25), p.figures());
    c = call("commitCanary", "POST", "/canary/commit", "{\"reason\":\"better\",\"origin\":{\"author\":\"learner\","
        + "\"figures\":{\"p_better\":0.003}}}");
    assertEquals(200, c.status(), c.body());
    // a figure must be a number, the author a short name: the contract refuses anything else
    assertError(call("proposeParameters", "PUT", "/parameters", "{\"values\":{\"slice_max_us\":7000},"
        + "\"origin\":{\"figures\":{\"p\":\"low\"}}}"), 400, "invalid_request", "/origin/figures/p");
    assertError(call("rollback", "POST", "/rollback", "{\"origin\":{\"author\":\"a b\"}}"), 400, "invalid_request", "/origin/author");
  }

  @Test
  void anOriginMayNameTheArtifactTheClientWasWarmStartedFrom() throws Exception {
    String sha = "0f".repeat(32);
    Response r = call("proposeParameters", "PUT", "/parameters", "{\"values\":{\"slice_max_us\":6000},\"origin\":{\"author\":"
        + "\"learner\",\"artifact\":{\"id\":3,\"name\":\"reward-model-deadline\",\"sha256\":\"" + sha + "\",\"registry\":\"/r\"}}}");
    assertEquals(202, r.status(), r.body());
    var a = s.control.current().provenance().artifact();
    assertEquals(new javaland.models.registry.ArtifactRef(3, "reward-model-deadline", sha, "/r"), a);
    JsonArray versions = call("getHistory", "GET", "/history", null).json().getJsonArray("versions");
    JsonObject last = versions.getJsonObject(versions.size() - 1).getJsonObject("provenance");
    assertEquals(sha, last.getJsonObject("artifact").getString("sha256"), last.encode());
    assertEquals(200, call("rollback", "POST", "/rollback", null).status());
    // optional: a version without one has no artifact field, as before
    assertTrue(versions.getJsonObject(0).getJsonObject("provenance").getValue("artifact") == null, versions.encode());
    // and the contract checks its shape
    assertError(call("proposeParameters", "PUT", "/parameters", "{\"values\":{\"slice_max_us\":7000},\"origin\":{\"artifact\":"
        + "{\"id\":3,\"name\":\"m\",\"sha256\":\"xyz\"}}}"), 400, "invalid_request", "/origin/artifact/sha256");
    assertError(call("proposeParameters", "PUT", "/parameters", "{\"values\":{\"slice_max_us\":7000},\"origin\":{\"artifact\":"
        + "{\"name\":\"m\",\"sha256\":\"" + sha + "\"}}}"), 400, "invalid_request", "id");
    // an origin field the contract does not know is refused naming it: what a runtime before 1.1.0
    // answers to "artifact", and what the learner then proposes without
    assertError(call("proposeParameters", "PUT", "/parameters", "{\"values\":{\"slice_max_us\":7000},\"origin\":{\"artefact\":"
        + "{}}}"), 400, "invalid_request", "artefact");
    assertEquals("rolled_back", call("getCanary", "GET", "/canary", null).json().getString("state"), "the refusals changed nothing");
  }

  @Test
  void rulesCanBeCreatedReadReplacedReorderedAndDeletedAndArePersisted() throws Exception {
    JsonObject full = new JsonObject().put("name", "web").put("description", "front ends")
        .put("match", new JsonObject().put("any", new JsonArray()
            .add(new JsonObject().put("comm", "^(nginx|postgres)$"))
            .add(new JsonObject().put("cgroup", "/system.slice/postgresql.service"))))
        .put("class", "latency-critical").put("priority", 10)
        .put("slice_us", new JsonObject().put("min", 500).put("max", 3000)).put("cpus", "0-3,6");
    Response a = call("createRule", "POST", "/rules", full.encode());
    assertEquals(201, a.status(), a.body());
    assertEquals(full, a.json(), "stored as given");
    assertEquals(201, call("createRule", "POST", "/rules?position=0", rule("bk", "^backup", "background").encode()).status());
    Response list = call("listRules", "GET", "/rules", null);
    assertEquals(List.of("bk", "web"), names(list.json().getJsonArray("rules")));
    assertEquals(s.rules.version(), list.json().getLong("version"));
    assertEquals(rules0.get(0), list.json().getLong("version") - 2, "two changes, two versions");
    assertEquals(full, call("getRule", "GET", "/rules/web", null).json());
    // The file on disk holds them, in order, and reads back to the same rules.
    String text = Files.readString(s.rulesFile);
    assertTrue(text.indexOf("name: bk") < text.indexOf("name: web") && text.contains("class: latency-critical"), text);
    assertEquals(s.rules.list(), javaland.runtime.rules.FileRuleStore.open(s.rulesFile, m -> {}).list());
    assertFalse(Files.exists(s.rulesFile.resolveSibling("." + s.rulesFile.getFileName() + ".tmp")), "no temporary file left");

    Response rep = call("replaceRule", "PUT", "/rules/web", rule("www", "^nginx", "interactive").encode());
    assertEquals(200, rep.status(), rep.body());
    assertEquals("www", rep.json().getString("name"));
    assertError(call("getRule", "GET", "/rules/web", null), 404, "not_found", "web");

    Response ord = call("reorderRules", "PUT", "/rule-order", "{\"names\":[\"www\",\"bk\"]}");
    assertEquals(200, ord.status(), ord.body());
    assertEquals(List.of("www", "bk"), names(ord.json().getJsonArray("rules")));

    Response del = call("deleteRule", "DELETE", "/rules/bk", null);
    assertEquals(204, del.status(), del.body());
    assertEquals(List.of("www"), s.rules.list().stream().map(r -> r.path("name").asText()).toList());
    assertFalse(Files.readString(s.rulesFile).contains("bk"));
    assertTrue(s.audit.stream().anyMatch(l -> l.contains("api: token: DELETE /api/v1/rules/bk")), s.audit.toString());
  }

  private static List<String> names(JsonArray a) {
    return a.stream().map(o -> ((JsonObject) o).getString("name")).toList();
  }

  // ---- bad input: a 4xx with field-level errors, and nothing changed ----

  /** One rule in place, so that replace, delete and reorder have something to refuse to change. */
  void oneRule() throws Exception {
    assertEquals(201, call("createRule", "POST", "/rules", rule("web", "^nginx$", "batch").encode()).status());
    rules0 = s.rulesState();
  }

  @Test
  void malformedJsonIsRefused() throws Exception {
    oneRule();
    assertError(call("proposeParameters", "PUT", "/parameters", "{\"values\": {\"slice_max_us\": 5"), 400, "malformed_json", null);
    assertError(call("createRule", "POST", "/rules", "{name: web}"), 400, "malformed_json", null);
    assertError(call("replaceRule", "PUT", "/rules/web", "{\"name\":\"web\","), 400, "malformed_json", null);
    assertNothingChanged();
  }

  @Test
  void wrongTypesAreNamed() throws Exception {
    oneRule();
    assertField(call("proposeParameters", "PUT", "/parameters", "{\"values\":{\"slice_max_us\":\"fast\"}}"), 400,
        "invalid_request", "/values/slice_max_us", "");
    assertError(call("rollback", "POST", "/rollback", "{\"version\":\"latest\"}"), 400, "invalid_request", "/version");
    // what the contract can say
    assertField(call("createRule", "POST", "/rules", rule("x", "a", "batch").put("match", "nginx").encode()), 400,
        "invalid_request", "/match", "");
    assertField(call("createRule", "POST", "/rules", rule("x", "a", "batch").put("priority", "high").encode()), 400,
        "invalid_request", "/priority", "");
    assertField(call("createRule", "POST", "/rules", rule("x", "a", "batch").put("slice_us", 500).encode()), 400,
        "invalid_request", "/slice_us", "");
    assertField(call("createRule", "POST", "/rules", rule("x", "a", "batch").put("cpus", true).encode()), 400,
        "invalid_request", "/cpus", "");
    assertField(call("createRule", "POST", "/rules", rule("x", "a", "batch").put("name", 7).encode()), 400,
        "invalid_request", "/name", "");
    assertError(call("createRule", "POST", "/rules?position=first", rule("w", "a", "batch").encode()), 400,
        "invalid_request", "position");
    // what only the store can say: inside match
    Response uid = call("createRule", "POST", "/rules", rule("x", "a", "batch")
        .put("match", new JsonObject().put("uid", new JsonArray().add(1000).add("root"))).encode());
    assertField(uid, 422, "rejected", "/match/uid/1", "expected an integer");
    assertField(call("replaceRule", "PUT", "/rules/web", rule("web", "a", "batch")
        .put("match", new JsonObject().put("comm", 5)).encode()), 422, "rejected", "/match/comm", "expected a string");
    assertField(call("createRule", "POST", "/rules", rule("x", "a", "batch")
        .put("match", new JsonObject().put("any", new JsonObject())).encode()), 422, "rejected", "/match/any", "non-empty list");
    assertNothingChanged();
  }

  @Test
  void unknownFieldsAreRefused() throws Exception {
    oneRule();
    assertError(call("proposeParameters", "PUT", "/parameters", "{\"values\":{\"slice_max_us\":5000},\"force\":true}"), 400,
        "invalid_request", "force");
    // the old shape, {action: {class}}, is an unknown key now
    JsonObject old = new JsonObject().put("name", "web2").put("match", new JsonObject().put("comm", "^x"))
        .put("action", new JsonObject().put("class", "batch"));
    Response r = call("createRule", "POST", "/rules", old.encode());
    assertError(r, 400, "invalid_request", "action");
    assertError(call("createRule", "POST", "/rules", rule("x", "a", "batch").put("slice_us", new JsonObject().put("least", 100)).encode()),
        400, "invalid_request", "least");
    assertField(call("createRule", "POST", "/rules", rule("x", "a", "batch").put("match", new JsonObject().put("command", "^x")).encode()),
        422, "rejected", "/match/command", "unknown key");
    assertField(call("replaceRule", "PUT", "/rules/web", rule("web", "a", "batch").put("match", new JsonObject()
        .put("all", new JsonArray().add(new JsonObject().put("nice", new JsonObject().put("low", 1)))))
        .encode()), 422, "rejected", "/match/all/0/nice/low", "unknown key");
    assertNothingChanged();
  }

  @Test
  void missingRequiredKeysAreNamed() throws Exception {
    oneRule();
    assertError(call("createRule", "POST", "/rules", new JsonObject().put("name", "x").encode()), 400, "invalid_request", "class");
    assertError(call("createRule", "POST", "/rules", new JsonObject().put("class", "batch").encode()), 400, "invalid_request", "name");
    assertNothingChanged();
  }

  @Test
  void outOfRangeValuesAreNamedAllAtOnce() throws Exception {
    oneRule();
    Response r = call("proposeParameters", "PUT", "/parameters",
        "{\"values\":{\"slice_max_us\":5,\"kernel.rescue_ms\":99999,\"turbo\":1}}");
    assertError(r, 422, "rejected", "/values/slice_max_us");
    assertError(r, 422, "rejected", "/values/kernel.rescue_ms");
    assertError(r, 422, "rejected", "/values/turbo");
    assertError(call("rollback", "POST", "/rollback", "{\"version\":0}"), 400, "invalid_request", "/version");
    assertError(call("proposeParameters", "PUT", "/parameters", "{\"values\":{}}"), 400, "invalid_request", "/values");
    // the contract's ranges
    assertField(call("createRule", "POST", "/rules", rule("x", "a", "batch").put("priority", 300).encode()), 400,
        "invalid_request", "/priority", "");
    assertField(call("createRule", "POST", "/rules", rule("x", "a", "batch").put("slice_us", new JsonObject().put("min", 10)).encode()),
        400, "invalid_request", "/slice_us/min", "");
    assertField(call("createRule", "POST", "/rules", rule("x", "a", "realtime").encode()), 400, "invalid_request", "/class", "");
    assertField(call("createRule", "POST", "/rules", rule("x", "a", "batch").put("cpus", 5000).encode()), 400,
        "invalid_request", "/cpus", "");
    assertError(call("createRule", "POST", "/rules?position=-1", rule("w", "a", "batch").encode()), 400,
        "invalid_request", "position");
    // the store's: all of one rule's errors in one answer
    Response many = call("createRule", "POST", "/rules", rule("x", "a", "batch")
        .put("slice_us", new JsonObject().put("min", 5000).put("max", 100)).put("cpus", "0-5000")
        .put("match", new JsonObject().put("nice", 40).put("pid", 0).put("cgroup", "system.slice")).encode());
    assertField(many, 422, "rejected", "/slice_us/min", "greater than max");
    assertField(many, 422, "rejected", "/cpus", "out of range");
    assertField(many, 422, "rejected", "/match/nice", "out of range (-20..19)");
    assertField(many, 422, "rejected", "/match/pid", "out of range");
    assertField(many, 422, "rejected", "/match/cgroup", "starting with /");
    assertField(call("createRule", "POST", "/rules?position=5", rule("w", "a", "batch").encode()), 422, "rejected", "position",
        "out of range (0..1)");
    assertNothingChanged();
    assertEquals(20_000.0, s.control.current().values().get("slice_max_us"));
  }

  @Test
  void invalidAndCatastrophicRegexesAreRefusedWithTheirPath() throws Exception {
    oneRule();
    assertField(call("createRule", "POST", "/rules", rule("bad", "([a-z", "batch").encode()), 422,
        "rejected", "/match/comm", "invalid regex");
    assertField(call("createRule", "POST", "/rules", rule("bad", "a", "batch").put("match", new JsonObject()
        .put("any", new JsonArray().add(new JsonObject().put("uid", 1)).add(new JsonObject().put("exe", "[")))).encode()), 422,
        "rejected", "/match/any/1/exe", "invalid regex");
    assertField(call("replaceRule", "PUT", "/rules/web", rule("web", "^(a+)+$", "batch").encode()), 422,
        "rejected", "/match/comm", "catastrophic regex (static check)");
    assertField(call("replaceRule", "PUT", "/rules/web", rule("web", "^(a|aa)+\\1$", "batch").encode()), 422,
        "rejected", "/match/comm", "catastrophic regex (bounded match test)");
    assertField(call("createRule", "POST", "/rules", rule("bad", "", "batch").encode()), 422, "rejected", "/match/comm", "empty regex");
    assertNothingChanged();
    assertEquals("^nginx$", s.rules.get("web").orElseThrow().path("match").path("comm").asText());
  }

  @Test
  void unknownNamesAre404DuplicatesAre409AndIncompleteReordersAre422() throws Exception {
    oneRule();
    assertEquals(201, call("createRule", "POST", "/rules", rule("bk", "^backup", "background").encode()).status());
    rules0 = s.rulesState();
    assertField(call("getRule", "GET", "/rules/nope", null), 404, "not_found", "name", "nope");
    assertField(call("replaceRule", "PUT", "/rules/nope", rule("nope", "a", "batch").encode()), 404, "not_found", "name", "nope");
    assertField(call("deleteRule", "DELETE", "/rules/nope", null), 404, "not_found", "name", "nope");
    assertField(call("createRule", "POST", "/rules", rule("web", "b", "batch").encode()), 409, "conflict", "/name", "'web' exists");
    assertField(call("replaceRule", "PUT", "/rules/bk", rule("web", "b", "batch").encode()), 409, "conflict", "/name", "'web' exists");
    assertField(call("reorderRules", "PUT", "/rule-order", "{\"names\":[\"web\"]}"), 422, "rejected", "/names", "'bk' is missing");
    assertField(call("reorderRules", "PUT", "/rule-order", "{\"names\":[]}"), 422, "rejected", "/names", "is missing");
    assertField(call("reorderRules", "PUT", "/rule-order", "{\"names\":[\"web\",\"nope\",\"bk\"]}"), 422, "rejected", "/names/1",
        "no rule named 'nope'");
    assertError(call("reorderRules", "PUT", "/rule-order", "{\"names\":[\"web\",\"web\",\"bk\"]}"), 400, "invalid_request", "/names");
    assertError(call("getRule", "GET", "/rules/bad%20name", null), 400, "invalid_request", null);
    assertNothingChanged();
  }

  @Test
  void bodiesOverTheLimitAre413() throws Exception {
    String big = "{\"values\":{\"slice_max_us\":5000},\"reason\":\"" + "x".repeat(RestApi.BODY_LIMIT) + "\"}";
    assertError(call("proposeParameters", "PUT", "/parameters", big), 413, "body_too_large", null);
    String bigRule = rule("big", "^x", "batch").put("description", "x".repeat(RestApi.BODY_LIMIT)).encode();
    assertError(call("createRule", "POST", "/rules", bigRule), 413, "body_too_large", null);
    assertNothingChanged();
  }

  @Test
  void missingBodiesAndWrongContentTypesAre400() throws Exception {
    assertError(call("proposeParameters", "PUT", "/parameters", null), 400, "invalid_request", null);
    Response r = s.raw("PUT", "/api/v1/parameters", "values=1", TOKEN, "text/plain");
    s.validate("proposeParameters", r);
    assertError(r, 400, "invalid_request", null);
    assertNothingChanged();
  }

  @Test
  void unroutedRequestsGetJsonErrors() throws Exception {
    Response r = s.raw("GET", "/api/v1/nothing", null, TOKEN, null);
    assertError(r, 404, "not_found", null);
    Response m = s.raw("PATCH", "/api/v1/parameters", "{}", TOKEN, "application/json");
    assertError(m, 405, "method_not_allowed", null);
  }

  @Test
  void theOtherEndpointsStayOpenAndTheContractIsServed() throws Exception {
    assertEquals("# metrics\n", s.raw("GET", "/metrics", null, null, null).body());
    assertEquals("ok\n", s.raw("GET", "/healthz", null, null, null).body());
    assertEquals(true, s.raw("GET", "/status", null, null, null).json().getBoolean("up"));
    Response y = s.raw("GET", "/openapi.yaml", null, null, null);
    assertEquals(200, y.status());
    assertEquals(javaland.api.ApiContract.text(), y.body());
    assertEquals(404, s.raw("GET", "/nothing", null, null, null).status());
  }

  @Test
  void tasksAndLearnedClassesAnswerAsTheContractSays() throws Exception {
    Response t = call("getTasks", "GET", "/tasks", null);
    assertEquals(200, t.status(), t.body());
    assertEquals("probe", t.json().getJsonArray("tasks").getJsonObject(0).getString("comm"));
    Response p = call("proposeLearnedClass", "POST", "/learned-classes",
        "{\"comm\":\"api-probe\",\"taskClass\":\"interactive\",\"reason\":\"r\",\"evidence\":{\"wakeups_per_s\":50,\"run_per_wakeup_us\":null},"
            + "\"origin\":{\"author\":\"learner\"}}");
    assertEquals(201, p.status(), p.body());
    assertEquals("canary", p.json().getString("state"));
    assertEquals("learner via api:token", p.json().getString("author"));
    Response list = call("listLearnedClasses", "GET", "/learned-classes", null);
    assertEquals(200, list.status(), list.body());
    assertTrue(list.body().contains("api-probe"), list.body());
    Response c = call("changeLearnedClass", "POST", "/learned-classes/api-probe/commit", null);
    assertEquals(200, c.status(), c.body());
    assertEquals("committed", c.json().getString("state"));
    assertError(call("changeLearnedClass", "POST", "/learned-classes/api-probe/commit", null), 409, "conflict", null);
    assertError(call("changeLearnedClass", "POST", "/learned-classes/nobody/pin", null), 404, "not_found", null);
    Response bad = s.raw("POST", "/api/v1/learned-classes", "{\"comm\":\"x\",\"taskClass\":\"urgent\"}", TOKEN, "application/json");
    assertEquals(400, bad.status(), bad.body());
    Response badAction = s.raw("POST", "/api/v1/learned-classes/x/promote", null, TOKEN, "application/json");
    assertEquals(400, badAction.status(), badAction.body());
    // a class by command name would apply to every JVM: refused, nothing recorded
    assertError(call("proposeLearnedClass", "POST", "/learned-classes", "{\"comm\":\"java\",\"taskClass\":\"batch\",\"reason\":\"r\"}"),
        422, "rejected", null);
    assertTrue(!call("listLearnedClasses", "GET", "/learned-classes", null).body().contains("\"java\""));
  }
}
