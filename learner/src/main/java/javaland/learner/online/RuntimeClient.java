package javaland.learner.online;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javaland.models.Parameter;
import javaland.models.canary.CanaryStatus;
import javaland.models.registry.PolicyVersion;
import javaland.models.telemetry.TelemetrySnapshot;
import javaland.runtime.api.ApiJson;

/**
 * The learner's view of the runtime: its REST API ({@code /api/v1}, docs/api.md) over
 * java.net.http, decoded with {@link ApiJson} so that both sides read the same JSON. Every
 * failure is an {@link ApiException}: status 0 when the runtime is not reachable.
 */
public final class RuntimeClient {
  /** What a change is and where it came from: the API's {@code origin} object and {@code reason}. */
  public record Origin(String model, String data, String reason, Map<String, Double> figures) {}

  /** GET /parameters. */
  public record Parameters(String policy, List<Parameter> schema, PolicyVersion current, CanaryStatus canary) {}

  private final String base;
  private final String token;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

  /** @param token the bearer token, or null */
  public RuntimeClient(String url, String token) {
    this.base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    this.token = token;
  }

  public String url() {
    return base;
  }

  /**
   * The token in {@code file}: its first line that is not blank, a comment or a {@code scope:}
   * line (the format of {@code run --api-token-file}); a JWT file works as well.
   */
  public static String readToken(Path file) {
    try {
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        String l = line.strip();
        if (!l.isEmpty() && !l.startsWith("#") && !l.startsWith("scope:")) return l;
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("--token-file " + file + ": " + e.getMessage(), e);
    }
    throw new IllegalArgumentException("--token-file " + file + ": no token in the file");
  }

  public TelemetrySnapshot stats() {
    return ApiJson.snapshot(send("GET", "/stats", null));
  }

  public Parameters parameters() {
    JsonObject j = send("GET", "/parameters", null);
    List<Parameter> schema = new ArrayList<>();
    for (Object o : j.getJsonArray("schema", new JsonArray())) {
      JsonObject p = (JsonObject) o;
      schema.add(new Parameter(p.getString("name"), p.getDouble("min"), p.getDouble("max"), p.getDouble("default"),
          p.getString("unit"), p.getString("meaning")));
    }
    PolicyVersion current = ApiJson.version(j.getJsonObject("current"));
    return new Parameters(current.policy(), List.copyOf(schema), current, ApiJson.canary(j.getJsonObject("canary")));
  }

  public CanaryStatus canary() {
    return ApiJson.canary(send("GET", "/canary", null));
  }

  /** PUT /parameters: starts a canary (202). 409 when one is already running. */
  public CanaryStatus propose(Map<String, Double> values, Origin origin) {
    JsonObject body = withOrigin(new JsonObject().put("values", new JsonObject(new java.util.HashMap<>(values))), origin);
    return ApiJson.canary(send("PUT", "/parameters", body));
  }

  /** POST /canary/commit. 409 when no canary runs (a guard reverted it meanwhile). */
  public CanaryStatus commit(Origin origin) {
    return ApiJson.canary(send("POST", "/canary/commit", withOrigin(new JsonObject(), origin)));
  }

  /** POST /rollback to the last-known-good version. */
  public PolicyVersion rollback(Origin origin) {
    return ApiJson.version(send("POST", "/rollback", withOrigin(new JsonObject(), origin)));
  }

  private static JsonObject withOrigin(JsonObject body, Origin o) {
    JsonObject figures = new JsonObject();
    o.figures().forEach((k, v) -> {
      if (Double.isFinite(v)) figures.put(k, v); // JSON has no NaN; a missing figure says as much
    });
    JsonObject origin = new JsonObject().put("author", "learner").put("model", o.model()).put("data", abbreviate(o.data(), 500))
        .put("figures", figures);
    return body.put("reason", abbreviate(o.reason(), 500)).put("origin", origin);
  }

  JsonObject send(String method, String path, JsonObject body) {
    String url = base + "/api/v1" + path;
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body.encode()));
    if (body != null) b.header("Content-Type", "application/json");
    if (token != null) b.header("Authorization", "Bearer " + token);
    HttpResponse<String> r;
    try {
      r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new ApiException(0, "unreachable", "cannot reach the javaland API at " + base + " ("
          + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + ")");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ApiException(0, "interrupted", "interrupted while calling " + url);
    }
    JsonObject json;
    try {
      json = r.body().isBlank() ? new JsonObject() : new JsonObject(r.body());
    } catch (DecodeException | ClassCastException e) {
      throw new ApiException(r.statusCode(), "not_json", method + " " + url + " answered " + r.statusCode() + " without JSON"
          + (r.statusCode() == 404 ? " (is the REST API mounted? javaland run serves it with a registry)" : "")
          + ": " + abbreviate(r.body().strip(), 200));
    }
    if (r.statusCode() >= 400) {
      String msg = json.getString("message", "");
      String hint = switch (r.statusCode()) {
        case 401 -> " (the token was missing or not accepted: --token-file)";
        case 403 -> " (the token lacks the scope, or the runtime has no API authentication configured)";
        default -> "";
      };
      throw new ApiException(r.statusCode(), json.getString("error", "?"), method + " " + path + ": " + r.statusCode()
          + " " + json.getString("error", "") + ": " + msg + hint);
    }
    return json;
  }

  private static String abbreviate(String s, int max) {
    return s.length() > max ? s.substring(0, max - 3) + "..." : s;
  }
}
