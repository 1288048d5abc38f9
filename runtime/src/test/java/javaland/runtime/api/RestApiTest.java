package javaland.runtime.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import javaland.runtime.api.ApiTestServer.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every operation of openapi.yaml over the test doubles, with each answer checked against the
 * contract's response schema; every kind of bad input gets a 4xx naming the field and leaves the
 * doubles untouched.
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

  int changes0;
  long rules0;

  @BeforeEach
  void resetRules() {
    for (Object r : s.rules.list()) s.rules.delete(((JsonObject) r).getString("name"));
    changes0 = s.control.changes;
    rules0 = s.rules.version();
  }

  /** Through the doubles: no parameter change, no rule change since the test began. */
  void assertNothingChanged() {
    assertEquals(changes0, s.control.changes, "the parameters were changed");
    assertEquals(rules0, s.rules.version(), "the rules were changed");
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

  @Test
  void readsAnswerWhatTheRuntimeHolds() throws Exception {
    Response st = call("getStatus", "GET", "/status", null);
    assertEquals(200, st.status());
    assertEquals("deadline", st.json().getString("policy"));
    assertEquals(7, st.json().getJsonObject("runtime").getInteger("tasks"));

    Response stats = call("getStats", "GET", "/stats", null);
    assertEquals(200, stats.status());
    assertEquals(ApiTestServer.SNAPSHOT.fallbacks(), stats.json().getLong("fallbacks"));
    // The JSON form reads back to the same snapshot (the learner's client depends on it).
    var back = ApiJson.snapshot(stats.json());
    assertEquals(ApiTestServer.SNAPSHOT.dispatches(), back.dispatches());
    assertEquals(5L, back.delayCounts().get("wakeup")[1]);

    Response p = call("getParameters", "GET", "/parameters", null);
    assertEquals(200, p.status());
    assertEquals(2, p.json().getJsonArray("schema").size());
    assertEquals(20_000.0, p.json().getJsonObject("current").getJsonObject("values").getDouble("slice_max_us"));
    assertEquals("idle", p.json().getJsonObject("canary").getString("state"));
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
    Response r = call("proposeParameters", "PUT", "/parameters", "{\"values\":{\"slice_max_us\":5000},\"reason\":\"shorter\"}");
    assertEquals(202, r.status(), r.body());
    assertEquals("canary", r.json().getString("state"));
    long v = r.json().getLong("version");
    assertEquals(5000.0, s.control.current().values().get("slice_max_us"));
    assertEquals("api:token", s.control.current().provenance().author());
    assertEquals("shorter", s.control.current().provenance().reason());
    assertEquals("canary", call("getCanary", "GET", "/canary", null).json().getString("state"));

    Response c = call("commitCanary", "POST", "/canary/commit", null);
    assertEquals(200, c.status(), c.body());
    assertEquals("committed", c.json().getString("state"));
    assertError(call("commitCanary", "POST", "/canary/commit", "{}"), 409, "conflict", null);

    Response h = call("getHistory", "GET", "/history", null);
    assertEquals(200, h.status());
    assertEquals(v, h.json().getJsonArray("versions").getJsonObject((int) v - 1).getLong("version"));

    Response rb = call("rollback", "POST", "/rollback", "{\"version\":1,\"reason\":\"back\"}");
    assertEquals(200, rb.status(), rb.body());
    assertEquals(20_000.0, rb.json().getJsonObject("values").getDouble("slice_max_us"));
    Response rbDefault = call("rollback", "POST", "/rollback", null);
    assertEquals(200, rbDefault.status(), rbDefault.body());
    assertEquals(5000.0, rbDefault.json().getJsonObject("values").getDouble("slice_max_us"), "last-known-good is the committed one");
    assertError(call("rollback", "POST", "/rollback", "{\"version\":99}"), 404, "not_found", null);
    assertTrue(s.audit.size() >= audits + 4, "every accepted change is audited: " + s.audit);
    assertTrue(s.audit.stream().anyMatch(l -> l.contains("api: token: PUT /api/v1/parameters") && l.contains("slice_max_us=5000")), s.audit.toString());

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
  void rulesCanBeCreatedReadReplacedReorderedAndDeleted() throws Exception {
    Response a = call("createRule", "POST", "/rules", FakeRuleStore.rule("web", "^nginx$", "latency-critical").encode());
    assertEquals(201, a.status(), a.body());
    assertEquals(201, call("createRule", "POST", "/rules?position=0", FakeRuleStore.rule("bk", "^backup", "background").encode()).status());
    Response list = call("listRules", "GET", "/rules", null);
    assertEquals(List.of("bk", "web"), names(list.json().getJsonArray("rules")));
    assertEquals(2, list.json().getLong("version"));

    assertEquals("^nginx$", call("getRule", "GET", "/rules/web", null).json().getJsonObject("match").getString("comm"));
    Response rep = call("replaceRule", "PUT", "/rules/web", FakeRuleStore.rule("www", "^nginx", "interactive").encode());
    assertEquals(200, rep.status(), rep.body());
    assertEquals("www", rep.json().getString("name"));

    Response ord = call("reorderRules", "PUT", "/rule-order", "{\"names\":[\"www\",\"bk\"]}");
    assertEquals(200, ord.status(), ord.body());
    assertEquals(List.of("www", "bk"), names(ord.json().getJsonArray("rules")));

    Response del = call("deleteRule", "DELETE", "/rules/bk", null);
    assertEquals(204, del.status(), del.body());
    assertEquals(List.of("www"), names(s.rules.list()));
  }

  private static List<String> names(JsonArray a) {
    return a.stream().map(o -> ((JsonObject) o).getString("name")).toList();
  }

  // ---- bad input: a 4xx with field-level errors, and nothing changed ----

  @Test
  void malformedJsonIsRefused() throws Exception {
    assertError(call("proposeParameters", "PUT", "/parameters", "{\"values\": {\"slice_max_us\": 5"), 400, "malformed_json", null);
    assertError(call("createRule", "POST", "/rules", "{name: web}"), 400, "malformed_json", null);
    assertNothingChanged();
  }

  @Test
  void wrongTypesAreNamed() throws Exception {
    assertError(call("proposeParameters", "PUT", "/parameters", "{\"values\":{\"slice_max_us\":\"fast\"}}"), 400,
        "invalid_request", "/values/slice_max_us");
    assertError(call("createRule", "POST", "/rules", "{\"name\":\"x\",\"match\":\"nginx\",\"action\":{}}"), 400,
        "invalid_request", "/match");
    assertError(call("rollback", "POST", "/rollback", "{\"version\":\"latest\"}"), 400, "invalid_request", "/version");
    assertError(call("createRule", "POST", "/rules?position=first", FakeRuleStore.rule("w", "a", "batch").encode()), 400,
        "invalid_request", "position");
    assertNothingChanged();
  }

  @Test
  void unknownFieldsAreRefused() throws Exception {
    assertError(call("proposeParameters", "PUT", "/parameters", "{\"values\":{\"slice_max_us\":5000},\"force\":true}"), 400,
        "invalid_request", "force");
    JsonObject rule = FakeRuleStore.rule("web", "^nginx$", "batch").put("priority", 3);
    assertError(call("createRule", "POST", "/rules", rule.encode()), 400, "invalid_request", "priority");
    assertNothingChanged();
  }

  @Test
  void outOfRangeValuesAreNamedAllAtOnce() throws Exception {
    Response r = call("proposeParameters", "PUT", "/parameters",
        "{\"values\":{\"slice_max_us\":5,\"kernel.rescue_ms\":99999,\"turbo\":1}}");
    assertError(r, 422, "rejected", "/values/slice_max_us");
    assertError(r, 422, "rejected", "/values/kernel.rescue_ms");
    assertError(r, 422, "rejected", "/values/turbo");
    assertError(call("rollback", "POST", "/rollback", "{\"version\":0}"), 400, "invalid_request", "/version");
    assertError(call("proposeParameters", "PUT", "/parameters", "{\"values\":{}}"), 400, "invalid_request", "/values");
    assertError(call("createRule", "POST", "/rules?position=-1", FakeRuleStore.rule("w", "a", "batch").encode()), 400,
        "invalid_request", "position");
    assertNothingChanged();
    assertEquals(20_000.0, s.control.current().values().get("slice_max_us"));
  }

  @Test
  void invalidAndCatastrophicRegexesAreRefusedWithTheirPath() throws Exception {
    call("createRule", "POST", "/rules", FakeRuleStore.rule("web", "^nginx$", "batch").encode());
    long before = s.rules.version();
    assertError(call("createRule", "POST", "/rules", FakeRuleStore.rule("bad", "([a-z", "batch").encode()), 422,
        "rejected", "rules[1].match.comm");
    assertError(call("replaceRule", "PUT", "/rules/web", FakeRuleStore.rule("web", "^(a+)+$", "batch").encode()), 422,
        "rejected", "catastrophic");
    assertEquals(before, s.rules.version());
    assertEquals("^nginx$", s.rules.get("web").orElseThrow().getJsonObject("match").getString("comm"));
  }

  @Test
  void bodiesOverTheLimitAre413() throws Exception {
    String big = "{\"values\":{\"slice_max_us\":5000},\"reason\":\"" + "x".repeat(RestApi.BODY_LIMIT) + "\"}";
    assertError(call("proposeParameters", "PUT", "/parameters", big), 413, "body_too_large", null);
    assertNothingChanged();
  }

  @Test
  void unknownNamesAre404AndDuplicates409() throws Exception {
    assertError(call("getRule", "GET", "/rules/nope", null), 404, "not_found", "nope");
    assertError(call("replaceRule", "PUT", "/rules/nope", FakeRuleStore.rule("nope", "a", "batch").encode()), 404, "not_found", null);
    assertError(call("deleteRule", "DELETE", "/rules/nope", null), 404, "not_found", null);
    call("createRule", "POST", "/rules", FakeRuleStore.rule("web", "a", "batch").encode());
    long v = s.rules.version();
    assertError(call("createRule", "POST", "/rules", FakeRuleStore.rule("web", "b", "batch").encode()), 409, "conflict", null);
    assertError(call("reorderRules", "PUT", "/rule-order", "{\"names\":[]}"), 422, "rejected", "names");
    assertError(call("getRule", "GET", "/rules/bad%20name", null), 400, "invalid_request", null);
    assertEquals(v, s.rules.version());
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
    assertEquals(RestApi.contractText(), y.body());
    assertEquals(404, s.raw("GET", "/nothing", null, null, null).status());
  }
}
