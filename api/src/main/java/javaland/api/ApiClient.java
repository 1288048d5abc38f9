package javaland.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import javaland.models.canary.CanaryStatus;
import javaland.models.registry.PolicyVersion;
import javaland.models.telemetry.TelemetrySnapshot;

/**
 * The runtime's REST API ({@value ApiContract#BASE}, docs/api.md) over java.net.http, for the
 * {@code policy} commands and the learner alike, with {@link ApiCodec} on both sides of the wire.
 * Every failure is an {@link ApiException} whose message says what to do: a refused connection
 * names the URL and the options that set it, 401 and 403 say which token is missing or short of a
 * scope, and a refusal lists the server's field errors, one per line.
 */
public final class ApiClient {
  private final String base;
  private final String token;
  private final Duration requestTimeout;
  private final HttpClient http;

  /** @param token the bearer token, or null */
  public ApiClient(String url, String token, Duration connectTimeout, Duration requestTimeout) {
    this.base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    this.token = token;
    this.requestTimeout = requestTimeout;
    this.http = HttpClient.newBuilder().connectTimeout(connectTimeout).build();
  }

  /** A person's client: patient (5 s to connect, 30 s for an answer). */
  public ApiClient(String url, String token) {
    this(url, token, Duration.ofSeconds(5), Duration.ofSeconds(30));
  }

  /** With the token of {@code tokenFile} ({@link TokenFile#token}), or none when it is null. */
  public static ApiClient withTokenFile(String url, Path tokenFile) {
    return new ApiClient(url, tokenFile == null ? null : TokenFile.token(tokenFile));
  }

  public String url() {
    return base;
  }

  public Status status() {
    return call("GET", "/status", null, Status.class);
  }

  public TelemetrySnapshot stats() {
    return call("GET", "/stats", null, TelemetrySnapshot.class);
  }

  public ParametersView parameters() {
    return call("GET", "/parameters", null, ParametersView.class);
  }

  public CanaryStatus canary() {
    return call("GET", "/canary", null, CanaryStatus.class);
  }

  /** PUT /parameters: starts a canary (202); 409 when one is already running. */
  public CanaryStatus propose(Proposal p) {
    return call("PUT", "/parameters", p, CanaryStatus.class);
  }

  /** POST /canary/commit; 409 when no canary runs (a guard reverted it meanwhile). */
  public CanaryStatus commit(Reason r) {
    return call("POST", "/canary/commit", r == null || r.equals(Reason.NONE) ? null : r, CanaryStatus.class);
  }

  /** GET /policy: the policy in force and the installed ones. */
  public PolicyChoice policy() {
    return call("GET", "/policy", null, PolicyChoice.class);
  }

  /** PUT /policy: swaps in another policy as a canary, the kernel half staying attached. */
  public CanaryStatus swapPolicy(PolicySwap s) {
    return call("PUT", "/policy", s, CanaryStatus.class);
  }

  public History history() {
    return call("GET", "/history", null, History.class);
  }

  /** POST /rollback: the version given, or the last-known-good one, in force again as a new version. */
  public PolicyVersion rollback(Rollback r) {
    return call("POST", "/rollback", r == null ? Rollback.LAST_KNOWN_GOOD : r, PolicyVersion.class);
  }

  public RuleList rules() {
    return call("GET", "/rules", null, RuleList.class);
  }

  public ObjectNode rule(String name) {
    return call("GET", rulePath(name), null, ObjectNode.class);
  }

  /** POST /rules: last, or at {@code position} (0 = first) when not null; the rule as stored. */
  public ObjectNode createRule(ObjectNode rule, Integer position) {
    return call("POST", "/rules" + (position == null ? "" : "?position=" + position), rule, ObjectNode.class);
  }

  public ObjectNode replaceRule(String name, ObjectNode rule) {
    return call("PUT", rulePath(name), rule, ObjectNode.class);
  }

  public void deleteRule(String name) {
    call("DELETE", rulePath(name), null, JsonNode.class);
  }

  public RuleList reorderRules(List<String> names) {
    return call("PUT", "/rule-order", new RuleOrder(names), RuleList.class);
  }

  /** GET /tasks: every task's counters from the kernel's events (the evidence for learned classes). */
  public TaskProfiles tasks() {
    return call("GET", "/tasks", null, TaskProfiles.class);
  }

  public LearnedClassList learnedClasses() {
    return call("GET", "/learned-classes", null, LearnedClassList.class);
  }

  /** POST /learned-classes: in force at once as a canary; 409 when a person pinned or rejected it. */
  public LearnedClass proposeLearnedClass(LearnedClassProposal p) {
    return call("POST", "/learned-classes", p, LearnedClass.class);
  }

  /** {@code action}: commit, rollback (the learner's verdict), pin, reject (a person's). */
  public LearnedClass changeLearnedClass(String comm, String action, Reason r) {
    return call("POST", "/learned-classes/" + URLEncoder.encode(comm, StandardCharsets.UTF_8).replace("+", "%20") + "/" + action,
        r == null ? Reason.NONE : r, LearnedClass.class);
  }

  private static String rulePath(String name) {
    return "/rules/" + URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** {@code method path} (under the API's base) with {@code body} as JSON; the answer as {@code type}, null for 204. */
  private <T> T call(String method, String path, Object body, Class<T> type) {
    String url = base + ApiContract.BASE + path;
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(requestTimeout)
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(ApiCodec.encode(body)));
    if (body != null) b.header("Content-Type", "application/json");
    if (token != null) b.header("Authorization", "Bearer " + token);
    HttpResponse<String> r;
    try {
      r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    } catch (ConnectException | HttpConnectTimeoutException e) {
      throw new ApiException(0, "unreachable", "cannot reach the javaland API at " + base + " ("
          + (e instanceof ConnectException ? "connection refused" : "timed out")
          + "): is javaland run running there? It serves the API on --http-host/--http-port (default 127.0.0.1:8740);"
          + " use --url to point elsewhere");
    } catch (IOException e) {
      throw new ApiException(0, "unreachable", "the javaland API at " + base + " failed: "
          + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ApiException(0, "interrupted", "interrupted while calling " + method + " " + url);
    }
    if (r.statusCode() == 204) return null;
    JsonNode json;
    try {
      json = ApiCodec.tree(r.body());
    } catch (IllegalArgumentException e) {
      throw new ApiException(r.statusCode(), "not_json", method + " " + url + " answered " + r.statusCode() + " without JSON"
          + (r.statusCode() == 404 ? " (is this a javaland runtime with the API? javaland run serves it, with a registry, at "
              + ApiContract.BASE + ")" : "") + ": " + abbreviate(r.body()));
    }
    if (r.statusCode() >= 400) throw refusal(r.statusCode(), json);
    try {
      return type.isInstance(json) ? type.cast(json) : ApiCodec.decode(json, type);
    } catch (IllegalArgumentException e) {
      throw new ApiException(r.statusCode(), "unexpected_answer", method + " " + url + " answered " + r.statusCode()
          + " with JSON that is not a " + type.getSimpleName() + ": " + e.getMessage());
    }
  }

  private ApiException refusal(int status, JsonNode json) {
    ErrorBody e;
    try {
      e = ApiCodec.decode(json, ErrorBody.class);
    } catch (IllegalArgumentException notAnError) {
      e = new ErrorBody("?", abbreviate(ApiCodec.encode(json)), List.of());
    }
    String message = e.message() == null ? "" : e.message();
    StringBuilder sb = new StringBuilder();
    switch (status) {
      case 401 -> sb.append("not authenticated (401): ").append(message).append(token == null
          ? "\n  pass --token-file FILE (the file given to javaland run --api-token-file, or a file holding a JWT)"
          : "\n  the token in --token-file was not accepted");
      case 403 -> sb.append("not allowed (403): ").append(message);
      default -> sb.append("refused (").append(status).append(' ').append(e.error() == null ? "?" : e.error()).append("): ")
          .append(message);
    }
    for (ErrorBody.Field f : e.errors()) {
      sb.append("\n  ").append(f.path() == null || f.path().isEmpty() ? "(body)" : f.path()).append(": ").append(f.message());
    }
    return new ApiException(status, e.error() == null ? "?" : e.error(), sb.toString());
  }

  private static String abbreviate(String s) {
    s = s.strip();
    return s.length() > 200 ? s.substring(0, 200) + "..." : s;
  }
}
