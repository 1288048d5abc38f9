package javaland.runtime.api;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.validation.ResponseValidator;
import io.vertx.openapi.validation.ValidatableResponse;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javaland.models.telemetry.TelemetrySnapshot;
import javaland.runtime.control.ControlPlane;

/**
 * The control plane with the API over test doubles, on a free loopback port, and a client whose
 * every answer to a contract operation is validated against openapi.yaml's response schemas.
 * Public: the CLI's tests use it too (runtime's test jar).
 */
public final class ApiTestServer implements AutoCloseable {
  public static final TelemetrySnapshot SNAPSHOT = new TelemetrySnapshot(5_000_000_000L, 1_700_000_000_000L, 1, 1000, 200,
      3, 4, 5, false, new long[] {1000, 10_000, Long.MAX_VALUE},
      Map.of("wakeup", new long[] {10, 5, 1}, "requeue", new long[] {2, 0, 0}), Map.of("cpu.some", 1234.0));

  public final Vertx vertx = Vertx.vertx();
  public final FakePolicyControl control = new FakePolicyControl();
  public final FakeRuleStore rules = new FakeRuleStore();
  public final List<String> audit = new CopyOnWriteArrayList<>();
  public volatile Supplier<TelemetrySnapshot> stats = () -> SNAPSHOT;
  private final HttpServer server;
  private final ResponseValidator validator;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** An answer: status, headers (lower-case names), body text. */
  public record Response(int status, Map<String, String> headers, String body) {
    public JsonObject json() {
      return new JsonObject(body);
    }
  }

  private ApiTestServer(ApiAuth.Config auth, String host) throws Exception {
    RestApi.Backend backend = new RestApi.Backend("deadline", control, rules, () -> stats.get(),
        () -> new JsonObject().put("policy", "deadline").put("tasks", 7), audit::add);
    server = ControlPlane.start(vertx, host, 0, () -> new JsonObject().put("up", true),
        req -> req.response().end("# metrics\n"), backend, auth).await(30, TimeUnit.SECONDS);
    OpenAPIContract contract = RestApi.contract(vertx).await(30, TimeUnit.SECONDS);
    validator = ResponseValidator.create(vertx, contract);
  }

  public static ApiTestServer start(ApiAuth.Config auth) throws Exception {
    return new ApiTestServer(auth, "127.0.0.1");
  }

  public static ApiTestServer start(ApiAuth.Config auth, String host) throws Exception {
    return new ApiTestServer(auth, host);
  }

  public String url() {
    return "http://127.0.0.1:" + server.actualPort();
  }

  /** A request with an optional JSON body and bearer token; no contract check. */
  public Response raw(String method, String path, String body, String token, String contentType) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url() + path)).timeout(Duration.ofSeconds(20))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) b.header("Content-Type", contentType);
    if (token != null) b.header("Authorization", "Bearer " + token);
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    Map<String, String> headers = new HashMap<>();
    r.headers().map().forEach((k, v) -> headers.put(k.toLowerCase(), v.get(0)));
    return new Response(r.statusCode(), headers, r.body());
  }

  /**
   * A request to contract operation {@code operationId}; throws if the answer does not match the
   * contract's response for its status (status listed, headers, body schema).
   */
  public Response call(String operationId, String method, String path, String body, String token) throws Exception {
    Response r = raw(method, path, body, token, "application/json");
    validate(operationId, r);
    return r;
  }

  public void validate(String operationId, Response r) {
    Map<String, String> headers = new HashMap<>();
    if (r.headers().containsKey("www-authenticate")) {
      // vertx-openapi decodes a header that holds quotes as JSON; hand it the same string as a
      // JSON string literal, which it decodes back to the value the server sent.
      headers.put("WWW-Authenticate", io.vertx.core.json.Json.encode(r.headers().get("www-authenticate")));
    }
    ValidatableResponse vr = r.body().isEmpty() ? ValidatableResponse.create(r.status(), headers)
        : ValidatableResponse.create(r.status(), headers, Buffer.buffer(r.body()), r.headers().get("content-type"));
    try {
      validator.validate(vr, operationId).await(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(operationId + " answered " + r.status() + " " + r.body() + ", which breaks the contract: "
          + e.getMessage(), e);
    }
  }

  @Override
  public void close() throws Exception {
    vertx.close().await(30, TimeUnit.SECONDS);
  }
}
