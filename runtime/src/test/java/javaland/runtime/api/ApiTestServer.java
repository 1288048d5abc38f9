package javaland.runtime.api;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.validation.ResponseValidator;
import io.vertx.openapi.validation.ValidatableResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;
import javaland.models.json.JsonCodec;
import javaland.models.registry.PolicyVersion;
import javaland.models.registry.Registry;
import javaland.models.telemetry.TelemetrySnapshot;
import javaland.runtime.Scheduler;
import javaland.runtime.canary.Canary;
import javaland.runtime.canary.GuardBounds;
import javaland.runtime.control.ControlPlane;
import javaland.policies.DeadlinePolicy;
import javaland.runtime.rules.FileRuleStore;
import javaland.models.params.Schema;
import javaland.runtime.policy.PolicySchema;

/**
 * The control plane with the API over the runtime's real backends, on a free loopback port: the
 * {@link Canary} of the deadline policy over a {@link Registry} and a {@link FileRuleStore} on a
 * rules file, both in a temporary directory; only the telemetry is scripted. Its client validates
 * every answer to a contract operation against openapi.yaml's response schemas. Public: the CLI's
 * tests use it too (runtime's test jar).
 */
public final class ApiTestServer implements AutoCloseable {
  public static final TelemetrySnapshot SNAPSHOT = new TelemetrySnapshot(5_000_000_000L, 1_700_000_000_000L, 1, 1000, 200,
      3, 4, 5, false, new long[] {1000, 10_000, Long.MAX_VALUE},
      Map.of("wakeup", new long[] {10, 5, 1}, "requeue", new long[] {2, 0, 0}), Map.of("cpu.some", 1234.0));

  public final Vertx vertx = Vertx.vertx();
  public final Path dir;
  public final Registry registry;
  /** The parameters: never started, so only requests move it (no window is judged, nothing times out). */
  public final Canary control;
  /** Every version the canary applied, in order. */
  public final List<PolicyVersion> applied = new CopyOnWriteArrayList<>();
  public final Path rulesFile;
  public final FileRuleStore rules;
  public final List<String> audit = new CopyOnWriteArrayList<>();
  public final javaland.runtime.rules.LearnedClassStore learned = javaland.runtime.rules.LearnedClassStore.inMemory(audit::add);
  /** What the canary, the registry and the rule store logged. */
  public final List<String> log = new CopyOnWriteArrayList<>();
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
    dir = Files.createTempDirectory("javaland-api-test");
    registry = Registry.open(dir.resolve("registry"), log::add);
    DeadlinePolicy policy = new DeadlinePolicy();
    Schema schema = PolicySchema.of(policy);
    Canary.Served start = Canary.startVersion(registry, "deadline", schema, schema.change(Map.of()), log::add);
    control = new Canary(registry, start, schema, (v, values) -> applied.add(v),
        () -> stats.get(), GuardBounds.DEFAULTS, System::nanoTime, log::add);
    rulesFile = dir.resolve("rules.yaml");
    Files.writeString(rulesFile, "rules: []\n");
    rules = FileRuleStore.open(rulesFile, log::add);
    RestApi.Backend backend = new RestApi.Backend("deadline", control, rules, () -> stats.get(),
        () -> JsonCodec.object().put("policy", "deadline").put("tasks", 7), audit::add, learned,
        () -> new javaland.api.TaskProfiles(5, 4, 0, List.of(new javaland.api.TaskProfile(10, 10, "probe", 100, 40, 40, 0, 40, 4_000_000L))));
    server = ControlPlane.serve(vertx, host, 0, () -> JsonCodec.object().put("up", true),
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

  /** The parameters' whole state: a refused request leaves it equal. */
  public List<Object> controlState() {
    return List.of(control.history(), control.canary(), control.lastKnownGood(), applied.size());
  }

  /** The rules' whole state (version, list, the file on disk): a refused request leaves it equal. */
  public List<Object> rulesState() throws IOException {
    return List.of(rules.version(), rules.list(), Files.readString(rulesFile));
  }

  @Override
  public void close() throws Exception {
    try {
      vertx.close().await(30, TimeUnit.SECONDS);
    } finally {
      control.close();
      rules.close();
      try (Stream<Path> all = Files.walk(dir)) {
        for (Path p : all.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
      }
    }
  }
}
