package javaland.runtime.api;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.HttpException;
import io.vertx.ext.web.openapi.router.OpenAPIRoute;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.json.schema.OutputUnit;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.validation.RequestParameter;
import io.vertx.openapi.validation.RequestUtils;
import io.vertx.openapi.validation.SchemaValidationException;
import io.vertx.openapi.validation.ValidatedRequest;
import io.vertx.openapi.validation.ValidatorException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javaland.models.FieldError;
import javaland.models.params.ParameterChange;
import javaland.models.params.ParameterException;
import javaland.models.registry.Provenance;
import javaland.models.telemetry.TelemetrySnapshot;
import javaland.runtime.control.PolicyControl;
import javaland.runtime.rules.RuleStore;
import javaland.runtime.rules.RuleValidationException;

/**
 * The REST API under {@value #BASE}, built from {@code openapi.yaml}: the contract's validator
 * refuses a request that does not match it (400) before any handler runs, the handlers map the
 * runtime's refusals to 404/409/422, and every error has the same JSON shape ({@link ApiError}).
 * Calls into the runtime may write files, so they run on a worker thread, never the event loop.
 */
public final class RestApi {
  public static final String BASE = "/api/v1";
  /** Largest request body accepted; a rule or a parameter set is a few hundred bytes. */
  public static final int BODY_LIMIT = 64 * 1024;
  static final String CONTRACT_RESOURCE = "/javaland/api/openapi.yaml";

  /**
   * What the API serves and changes.
   *
   * @param policy the policy's name
   * @param control the parameters, the canary, history and rollback
   * @param rules the task-classification rules
   * @param stats the telemetry counters now (GET /stats); may throw IllegalStateException before attach
   * @param runtimeStatus the same object as the control plane's GET /status
   * @param audit receives one line per accepted change (who, what, the result)
   */
  public record Backend(String policy, PolicyControl control, RuleStore rules, Supplier<TelemetrySnapshot> stats,
      Supplier<JsonObject> runtimeStatus, Consumer<String> audit) {}

  private final Vertx vertx;
  private final Backend b;

  private RestApi(Vertx vertx, Backend b) {
    this.vertx = vertx;
    this.b = b;
  }

  /** The contract's text, as served at /openapi.yaml. */
  public static String contractText() {
    try (InputStream in = RestApi.class.getResourceAsStream(CONTRACT_RESOURCE)) {
      if (in == null) throw new IllegalStateException(CONTRACT_RESOURCE + " is missing from the class path");
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The parsed and checked contract. */
  public static Future<OpenAPIContract> contract(Vertx vertx) {
    // Jackson's YAML reader, not SnakeYAML's Yaml class: that one loads java.beans (module
    // java.desktop), which a jlinked runtime such as the test VM's does not have.
    Map<String, Object> yaml;
    try {
      yaml = new com.fasterxml.jackson.databind.ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory())
          .readValue(contractText(), new com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>>() {});
    } catch (IOException e) {
      throw new UncheckedIOException(CONTRACT_RESOURCE + ": " + e.getMessage(), e);
    }
    return OpenAPIContract.from(vertx, new JsonObject(yaml));
  }

  /**
   * A router with the API mounted at {@value #BASE} and {@code GET /openapi.yaml}; the caller adds
   * its other routes to it (the API's authentication and body handling apply only under BASE).
   */
  public static Future<Router> router(Vertx vertx, Backend backend, ApiAuth auth) {
    RestApi api = new RestApi(vertx, backend);
    return contract(vertx).map(contract -> api.build(contract, auth));
  }

  private Router build(OpenAPIContract contract, ApiAuth auth) {
    BodyHandler body = BodyHandler.create(false).setBodyLimit(BODY_LIMIT);
    RouterBuilder rb = RouterBuilder.create(vertx, contract,
        (ctx, op) -> RequestUtils.extract(ctx.request(), op, () -> Future.succeededFuture(ctx.body().buffer())));
    // Authentication comes first: an unauthenticated caller learns nothing about what a valid body is.
    rb.rootHandler(auth.handler());
    // As a plain handler, so that it may run after authentication (Vert.x orders BODY before
    // AUTHENTICATION handlers); the router keeps the request paused until it reads the body.
    rb.rootHandler(ctx -> body.handle(ctx));
    handle(rb, "getStatus", ctx -> 200, this::status);
    handle(rb, "getStats", ctx -> 200, ctx -> {
      TelemetrySnapshot s;
      try {
        s = b.stats().get();
      } catch (IllegalStateException e) {
        throw new ApiError(503, "unavailable", "no telemetry yet: " + e.getMessage());
      }
      return ApiJson.snapshot(s);
    });
    handle(rb, "getParameters", ctx -> 200, ctx -> new JsonObject()
        .put("schema", schemaJson()).put("current", ApiJson.version(b.control().current()))
        .put("canary", ApiJson.canary(b.control().canary())));
    handle(rb, "proposeParameters", ctx -> 202, this::propose);
    handle(rb, "getCanary", ctx -> 200, ctx -> ApiJson.canary(b.control().canary()));
    handle(rb, "commitCanary", ctx -> 200, ctx -> {
      JsonObject r = ApiJson.canary(b.control().commit(provenance(ctx, "commit the canary")));
      audit(ctx, "committed the canary: version " + r.getLong("version"));
      return r;
    });
    handle(rb, "getHistory", ctx -> 200, ctx -> new JsonObject().put("versions", ApiJson.versions(b.control().history())));
    handle(rb, "rollback", ctx -> 200, ctx -> {
      JsonObject req = body(ctx);
      OptionalLong v = req.getValue("version") instanceof Number n ? OptionalLong.of(n.longValue()) : OptionalLong.empty();
      JsonObject r = ApiJson.version(b.control().rollback(v, provenance(ctx, "rollback")));
      audit(ctx, "rolled back to " + (v.isPresent() ? "version " + v.getAsLong() : "last-known-good")
          + ": now version " + r.getLong("version"));
      return r;
    });
    handle(rb, "listRules", ctx -> 200, ctx -> ruleListWithVersion(b.rules().list()));
    handle(rb, "getRule", ctx -> 200, ctx -> {
      String name = pathParam(ctx, "name");
      return b.rules().get(name).orElseThrow(() -> noRule(name));
    });
    handle(rb, "createRule", ctx -> 201, ctx -> {
      RequestParameter pos = validated(ctx).getQuery().get("position");
      Integer position = pos == null || pos.isNull() ? null : pos.getInteger();
      JsonObject r = ruleChange(null, "", () -> b.rules().create(body(ctx), position));
      audit(ctx, "created rule " + r.getString("name") + (position == null ? "" : " at " + position));
      return r;
    });
    handle(rb, "replaceRule", ctx -> 200, ctx -> {
      String name = pathParam(ctx, "name");
      JsonObject r = ruleChange(name, "", () -> b.rules().replace(name, body(ctx)));
      audit(ctx, "replaced rule " + name + (name.equals(r.getString("name")) ? "" : " (now " + r.getString("name") + ")"));
      return r;
    });
    handle(rb, "deleteRule", ctx -> 204, ctx -> {
      String name = pathParam(ctx, "name");
      ruleChange(name, "", () -> {
        b.rules().delete(name);
        return null;
      });
      audit(ctx, "deleted rule " + name);
      return null;
    });
    handle(rb, "reorderRules", ctx -> 200, ctx -> {
      List<String> names = new ArrayList<>();
      body(ctx).getJsonArray("names").forEach(n -> names.add((String) n));
      JsonObject r = ruleListWithVersion(ruleChange(null, "/names", () -> b.rules().reorder(names)));
      audit(ctx, "reordered rules: " + String.join(", ", names));
      return r;
    });
    for (OpenAPIRoute r : rb.getRoutes()) r.setDoSecurity(false); // ApiAuth enforces the contract's scopes
    Router api = rb.createRouter(); // the contract's paths, relative to its server URL (/api/v1)
    api.route().failureHandler(RestApi::failure);
    Router router = Router.router(vertx);
    router.route(BASE + "/*").subRouter(api);
    router.get("/openapi.yaml").handler(ctx -> ctx.response()
        .putHeader("content-type", "application/yaml; charset=utf-8").end(contractText()));
    router.route().failureHandler(RestApi::failure);
    router.errorHandler(404, ctx -> notRouted(ctx, 404, "not_found", "no such endpoint: " + ctx.normalizedPath()
        + " (see GET /openapi.yaml)"));
    router.errorHandler(405, ctx -> notRouted(ctx, 405, "method_not_allowed", ctx.request().method() + " is not allowed on "
        + ctx.normalizedPath()));
    return router;
  }

  interface Status {
    int of(RoutingContext ctx);
  }

  interface Op {
    JsonObject run(RoutingContext ctx) throws Exception;
  }

  /** Runs {@code op} on a worker (the runtime may fsync) and answers with its JSON, or fails. */
  private void handle(RouterBuilder rb, String operationId, Status status, Op op) {
    OpenAPIRoute route = rb.getRoute(operationId);
    if (route == null) throw new IllegalStateException("openapi.yaml has no operation " + operationId);
    route.addHandler(ctx -> {
      Callable<JsonObject> call = () -> op.run(ctx);
      vertx.executeBlocking(call, true).onComplete(ar -> {
        if (ar.failed()) {
          ctx.fail(ar.cause());
          return;
        }
        int code = status.of(ctx);
        if (ar.result() == null) {
          ctx.response().setStatusCode(code).end();
        } else {
          ctx.response().setStatusCode(code).putHeader("content-type", "application/json").end(ar.result().encode());
        }
      });
    });
  }

  private JsonObject status(RoutingContext ctx) {
    return new JsonObject().put("policy", b.policy()).put("version", b.control().current().version())
        .put("canary", ApiJson.canary(b.control().canary())).put("rulesVersion", b.rules().version())
        .put("runtime", b.runtimeStatus().get());
  }

  private JsonArray schemaJson() {
    JsonArray a = new JsonArray();
    b.control().schema().parameters().forEach(p -> a.add(ApiJson.parameter(p)));
    return a;
  }

  /** Checks every value once, against the schema, naming every bad one (422), then proposes. */
  private JsonObject propose(RoutingContext ctx) {
    JsonObject req = body(ctx);
    Map<String, Double> values = ApiJson.doubles(req.getJsonObject("values"));
    ParameterChange change;
    try {
      change = b.control().schema().change(values);
    } catch (ParameterException e) {
      List<FieldError> errors = new ArrayList<>();
      for (FieldError f : e.errors()) errors.add(ApiError.field("/values/" + f.path(), f.message()));
      throw new ApiError(422, "rejected", "parameters refused; nothing changed", errors);
    }
    JsonObject r = ApiJson.canary(b.control().propose(change, provenance(ctx, "proposed through the API")));
    audit(ctx, "proposed " + change.values() + ": canary version " + r.getLong("version"));
    return r;
  }

  private JsonObject ruleListWithVersion(JsonArray rules) {
    return new JsonObject().put("version", b.rules().version()).put("rules", rules);
  }

  /**
   * Runs one change of the rule store and turns its refusals into answers that name the field: the
   * store's key paths ({@code match.any[0].comm}) become JSON pointers into the request body
   * under {@code base} ({@code /match/any/0/comm}), like the contract validator's.
   */
  private static <T> T ruleChange(String name, String base, Supplier<T> change) {
    try {
      return change.get();
    } catch (RuleValidationException e) {
      List<FieldError> errors = new ArrayList<>();
      for (FieldError f : e.errors()) {
        // "position" is the query parameter, named as the contract's validator names parameters
        errors.add(f.path().equals("position") ? f : new FieldError(pointer(base, f.path()), f.line(), f.message()));
      }
      throw new ApiError(422, "rejected", "rules refused; nothing changed", errors);
    } catch (NoSuchElementException e) {
      throw noRule(name);
    } catch (IllegalStateException e) {
      throw new ApiError(409, "conflict", e.getMessage() + "; nothing changed", List.of(ApiError.field("/name", e.getMessage())));
    }
  }

  /** {@code match.any[0].comm} under {@code base} as a JSON pointer (RFC 6901): {@code base/match/any/0/comm}. */
  static String pointer(String base, String path) {
    if (path.isEmpty()) return base;
    String p = path.replaceAll("\\[(\\d+)]", ".$1");
    if (p.startsWith(".")) p = p.substring(1);
    StringBuilder sb = new StringBuilder(base);
    for (String part : p.split("\\.", -1)) sb.append('/').append(part.replace("~", "~0").replace("/", "~1"));
    return sb.toString();
  }

  private static ValidatedRequest validated(RoutingContext ctx) {
    return ctx.get(RouterBuilder.KEY_META_DATA_VALIDATED_REQUEST);
  }

  private static JsonObject body(RoutingContext ctx) {
    RequestParameter p = validated(ctx).getBody();
    return p == null || p.isNull() ? new JsonObject() : p.getJsonObject();
  }

  private static String pathParam(RoutingContext ctx, String name) {
    return validated(ctx).getPathParameters().get(name).getString();
  }

  private static ApiError noRule(String name) {
    return new ApiError(404, "not_found", "no rule named '" + name + "'", List.of(ApiError.field("name", "no rule named '" + name + "'")));
  }

  /**
   * The caller's provenance: the authenticated caller, after the client's own name when the body
   * states an {@code origin} (the learner: "learner via api:token"), with the origin's model, data
   * and figures, so the runtime's audit line carries the figures behind a learner's change.
   */
  private Provenance provenance(RoutingContext ctx, String defaultReason) {
    JsonObject req = body(ctx);
    String reason = req.getString("reason");
    reason = reason == null || reason.isBlank() ? defaultReason : reason;
    JsonObject origin = req.getJsonObject("origin");
    if (origin == null) return Provenance.now("api:" + caller(ctx), reason);
    String author = origin.getString("author");
    return new Provenance(java.time.Instant.now(), (author == null ? "" : author + " via ") + "api:" + caller(ctx),
        origin.getString("data", ""), origin.getString("model", ""), reason,
        ApiJson.doubles(origin.getJsonObject("figures", new JsonObject())));
  }

  private static String caller(RoutingContext ctx) {
    ApiAuth.Caller c = ctx.get(ApiAuth.CALLER);
    return c == null ? "anonymous" : c.name();
  }

  private void audit(RoutingContext ctx, String what) {
    b.audit().accept("api: " + caller(ctx) + ": " + ctx.request().method() + " " + ctx.normalizedPath() + ": " + what);
  }

  private static boolean isApi(RoutingContext ctx) {
    String p = ctx.normalizedPath();
    return p.equals(BASE) || p.startsWith(BASE + "/");
  }

  private static void notRouted(RoutingContext ctx, int status, String code, String message) {
    if (isApi(ctx)) {
      send(ctx, new ApiError(status, code, message));
    } else {
      ctx.response().setStatusCode(status).end(status == 404 ? "Not Found\n" : "Method Not Allowed\n");
    }
  }

  /** Every failure under /api/ becomes an {@link ApiError} answer. */
  private static void failure(RoutingContext ctx) {
    if (!isApi(ctx)) {
      ctx.next();
      return;
    }
    send(ctx, toApiError(ctx.failure(), ctx.statusCode()));
  }

  static ApiError toApiError(Throwable t, int status) {
    if (t instanceof ApiError e) return e;
    if (t instanceof HttpException h && h.getCause() instanceof ValidatorException v) return invalid(v);
    if (t instanceof ValidatorException v) return invalid(v);
    if (t instanceof RuleValidationException r) {
      return new ApiError(422, "rejected", "rules refused; nothing changed", r.errors());
    }
    if (t instanceof NoSuchElementException) return new ApiError(404, "not_found", t.getMessage());
    if (t instanceof IllegalStateException) return new ApiError(409, "conflict", t.getMessage());
    if (t instanceof IllegalArgumentException) return new ApiError(422, "rejected", t.getMessage() + "; nothing changed");
    int code = t instanceof HttpException h ? h.getStatusCode() : status;
    if (code == 413) {
      return new ApiError(413, "body_too_large", "the request body is over " + BODY_LIMIT + " bytes");
    }
    if (code == 400) return new ApiError(400, "invalid_request", t == null ? "bad request" : String.valueOf(t.getMessage()));
    return new ApiError(500, "internal", t == null ? "internal error (" + code + ")" : t.toString());
  }

  private static final java.util.regex.Pattern PARAMETER =
      java.util.regex.Pattern.compile("^The value of (?:query|path|header|cookie) parameter (\\S+) is invalid");

  private static ApiError invalid(ValidatorException v) {
    if (v.getMessage() != null && v.getMessage().contains("can't be decoded")) {
      return new ApiError(400, "malformed_json", "the request body is not valid JSON",
          List.of(ApiError.field("", "not valid JSON")));
    }
    List<FieldError> errors = new ArrayList<>();
    if (v instanceof SchemaValidationException s && s.getOutputUnit() != null) {
      collect(s.getOutputUnit(), errors);
      // A parameter's errors are located inside its value (""): name the parameter instead.
      java.util.regex.Matcher m = PARAMETER.matcher(v.getMessage());
      if (m.find()) errors.replaceAll(f -> f.path().isEmpty() ? ApiError.field(m.group(1), f.message()) : f);
    }
    if (errors.isEmpty()) errors.add(ApiError.field("", v.getMessage()));
    return new ApiError(400, "invalid_request", v.getMessage(), errors);
  }

  /** The leaves of the validator's output: each names where in the instance and what failed. */
  private static void collect(OutputUnit u, List<FieldError> out) {
    if (u.getErrors() != null && !u.getErrors().isEmpty()) {
      for (OutputUnit e : u.getErrors()) collect(e, out);
    } else if (u.getError() != null) {
      String where = u.getInstanceLocation() == null ? "" : u.getInstanceLocation().replaceFirst("^#", "");
      FieldError f = ApiError.field(where, u.getError());
      if (!out.contains(f)) out.add(f);
    }
  }

  private static void send(RoutingContext ctx, ApiError e) {
    if (ctx.response().ended()) return;
    ctx.response().setStatusCode(e.status()).putHeader("content-type", "application/json");
    if (e.challenge() != null) ctx.response().putHeader("WWW-Authenticate", e.challenge());
    ctx.response().end(e.toJson().encode());
  }
}
