package javaland.runtime.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
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
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import javaland.api.LearnedClass;
import javaland.api.LearnedClassProposal;
import javaland.api.TaskProfiles;
import javaland.runtime.rules.LearnedClassStore;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javaland.api.ApiCodec;
import javaland.api.ApiContract;
import javaland.api.History;
import javaland.api.Origin;
import javaland.api.ParameterInfo;
import javaland.api.ParametersView;
import javaland.api.Proposal;
import javaland.api.Reason;
import javaland.api.Rollback;
import javaland.api.RuleList;
import javaland.api.RuleOrder;
import javaland.api.Status;
import javaland.models.FieldError;
import javaland.models.canary.CanaryStatus;
import javaland.models.params.ParameterChange;
import javaland.models.params.ParameterException;
import javaland.models.registry.Provenance;
import javaland.models.telemetry.TelemetrySnapshot;
import javaland.runtime.canary.PolicyControl;
import javaland.runtime.rules.RuleStore;
import javaland.runtime.rules.RuleValidationException;

/**
 * The REST API under {@value #BASE}, built from the api module's {@code openapi.yaml}: the
 * contract's validator refuses a request that does not match it (400) before any handler runs,
 * the handlers map the runtime's refusals to 404/409/422, and every error has the same JSON shape
 * ({@link ApiError}). Bodies are the api module's records, read and written by {@link ApiCodec};
 * Vert.x's JSON appears only where Vert.x wants it (the contract it builds the router from).
 * Calls into the runtime may write files, so they run on a worker thread, never the event loop.
 */
public final class RestApi {
  public static final String BASE = ApiContract.BASE;
  /** Largest request body accepted; a rule or a parameter set is a few hundred bytes. */
  public static final int BODY_LIMIT = 64 * 1024;

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
      Supplier<? extends JsonNode> runtimeStatus, Consumer<String> audit, LearnedClassStore learned,
      Supplier<TaskProfiles> tasks) {
    /** No learned classes kept beyond memory, no task profiles. */
    public Backend(String policy, PolicyControl control, RuleStore rules, Supplier<TelemetrySnapshot> stats,
        Supplier<? extends JsonNode> runtimeStatus, Consumer<String> audit) {
      this(policy, control, rules, stats, runtimeStatus, audit, LearnedClassStore.inMemory(audit),
          () -> new TaskProfiles(0, 0, 0, List.of()));
    }
  }

  private final Vertx vertx;
  private final Backend b;

  private RestApi(Vertx vertx, Backend b) {
    this.vertx = vertx;
    this.b = b;
  }

  /** The parsed and checked contract. */
  public static Future<OpenAPIContract> contract(Vertx vertx) {
    // Jackson's YAML reader, not SnakeYAML's Yaml class: that one loads java.beans (module
    // java.desktop), which a jlinked runtime such as the test VM's does not have.
    Map<String, Object> yaml;
    try {
      yaml = new com.fasterxml.jackson.databind.ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory())
          .readValue(ApiContract.text(), new com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>>() {});
    } catch (IOException e) {
      throw new UncheckedIOException(ApiContract.RESOURCE + ": " + e.getMessage(), e);
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
      return s;
    });
    handle(rb, "getParameters", ctx -> 200, ctx -> new ParametersView(b.control().schema().parameters().stream().map(ParameterInfo::of).toList(),
        b.control().current(), canary(b.control().canary())));
    handle(rb, "proposeParameters", ctx -> 202, this::propose);
    handle(rb, "getCanary", ctx -> 200, ctx -> canary(b.control().canary()));
    handle(rb, "getPolicy", ctx -> 200, ctx -> new javaland.api.PolicyChoice(b.control().current().policy(), b.control().policies()));
    handle(rb, "swapPolicy", ctx -> 202, ctx -> {
      javaland.api.PolicySwap req = body(ctx, javaland.api.PolicySwap.class, null);
      String from = b.control().current().policy();
      CanaryStatus r = canary(b.control().swap(req.name(), provenance(ctx, req.reason(), req.origin(), "swapped in through the API")));
      audit(ctx, "swapped policy " + from + " for " + req.name() + ": canary version " + r.version());
      return r;
    });
    handle(rb, "commitCanary", ctx -> 200, ctx -> {
      Reason req = body(ctx, Reason.class, Reason.NONE);
      CanaryStatus r = canary(b.control().commit(provenance(ctx, req.reason(), req.origin(), "commit the canary")));
      audit(ctx, "committed the canary: version " + r.version());
      return r;
    });
    handle(rb, "getHistory", ctx -> 200, ctx -> new History(b.control().history()));
    handle(rb, "rollback", ctx -> 200, ctx -> {
      Rollback req = body(ctx, Rollback.class, Rollback.LAST_KNOWN_GOOD);
      OptionalLong v = req.version() == null ? OptionalLong.empty() : OptionalLong.of(req.version());
      var r = b.control().rollback(v, provenance(ctx, req.reason(), req.origin(), "rollback"));
      audit(ctx, "rolled back to " + (v.isPresent() ? "version " + v.getAsLong() : "last-known-good")
          + ": now version " + r.version());
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
      ObjectNode r = ruleChange(null, "", () -> b.rules().create(body(ctx, ObjectNode.class, null), position));
      audit(ctx, "created rule " + r.path("name").asText() + (position == null ? "" : " at " + position));
      return r;
    });
    handle(rb, "replaceRule", ctx -> 200, ctx -> {
      String name = pathParam(ctx, "name");
      ObjectNode r = ruleChange(name, "", () -> b.rules().replace(name, body(ctx, ObjectNode.class, null)));
      String now = r.path("name").asText();
      audit(ctx, "replaced rule " + name + (name.equals(now) ? "" : " (now " + now + ")"));
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
      List<String> names = body(ctx, RuleOrder.class, new RuleOrder(List.of())).names();
      RuleList r = ruleListWithVersion(ruleChange(null, "/names", () -> b.rules().reorder(names)));
      audit(ctx, "reordered rules: " + String.join(", ", names));
      return r;
    });
    handle(rb, "getTasks", ctx -> 200, ctx -> b.tasks().get());
    handle(rb, "listLearnedClasses", ctx -> 200, ctx -> b.learned().list());
    handle(rb, "proposeLearnedClass", ctx -> 201, ctx -> {
      LearnedClassProposal req = body(ctx, LearnedClassProposal.class, null);
      String author = provenance(ctx, req.reason(), req.origin(), "proposed through the API").author();
      LearnedClass c = b.learned().propose(req.comm(), req.taskClass(), req.evidence(), req.reason(), author);
      audit(ctx, "learned class " + c.comm() + " " + c.taskClass() + ": canary, version " + c.version() + " " + c.evidence());
      return c;
    });
    handle(rb, "changeLearnedClass", ctx -> 200, ctx -> {
      String comm = pathParam(ctx, "comm");
      String action = pathParam(ctx, "action");
      Reason req = body(ctx, Reason.class, Reason.NONE);
      String author = provenance(ctx, req.reason(), req.origin(), action).author();
      LearnedClass c = switch (action) {
        case "commit" -> b.learned().commit(comm, req.reason(), author);
        case "rollback" -> b.learned().rollback(comm, req.reason(), author);
        case "pin" -> b.learned().pin(comm, req.reason(), author);
        case "reject" -> b.learned().reject(comm, req.reason(), author);
        default -> throw new ApiError(404, "not_found", "no such action on a learned class: " + action);
      };
      audit(ctx, "learned class " + comm + " " + c.taskClass() + ": " + c.state() + ", version " + c.version());
      return c;
    });
    for (OpenAPIRoute r : rb.getRoutes()) r.setDoSecurity(false); // ApiAuth enforces the contract's scopes
    Router api = rb.createRouter(); // the contract's paths, relative to its server URL (/api/v1)
    api.route().failureHandler(RestApi::failure);
    Router router = Router.router(vertx);
    router.route(BASE + "/*").subRouter(api);
    router.get("/openapi.yaml").handler(ctx -> ctx.response()
        .putHeader("content-type", "application/yaml; charset=utf-8").end(ApiContract.text()));
    router.route().failureHandler(RestApi::failure);
    router.errorHandler(404, ctx -> notRouted(ctx, 404, "not_found", "no such endpoint: " + ctx.normalizedPath()
        + " (see GET /openapi.yaml)"));
    router.errorHandler(405, ctx -> notRouted(ctx, 405, "method_not_allowed", ctx.request().method() + " is not allowed on "
        + ctx.normalizedPath()));
    return router;
  }

  interface StatusCode {
    int of(RoutingContext ctx);
  }

  /** An operation: its answer's body (a record of javaland.api, a model record, a tree), or null for none. */
  interface Op {
    Object run(RoutingContext ctx) throws Exception;
  }

  /**
   * Runs {@code op} on a worker (the runtime may fsync) and answers with its JSON, or fails. Not
   * ordered: ordered, every request of an event loop waited for the one before it, and one slow
   * answer (GET /tasks reads /proc for every thread: thousands under the faults scenario's load)
   * held a policy swap past its client's 30 s.
   */
  private void handle(RouterBuilder rb, String operationId, StatusCode status, Op op) {
    OpenAPIRoute route = rb.getRoute(operationId);
    if (route == null) throw new IllegalStateException("openapi.yaml has no operation " + operationId);
    route.addHandler(ctx -> {
      Callable<String> call = () -> {
        Object answer = op.run(ctx);
        return answer == null ? null : ApiCodec.encode(answer);
      };
      vertx.executeBlocking(call, false).onComplete(ar -> {
        if (ar.failed()) {
          ctx.fail(ar.cause());
          return;
        }
        int code = status.of(ctx);
        if (ar.result() == null) {
          ctx.response().setStatusCode(code).end();
        } else {
          ctx.response().setStatusCode(code).putHeader("content-type", "application/json").end(ar.result());
        }
      });
    });
  }

  private Status status(RoutingContext ctx) {
    return new Status(b.control().current().policy(), b.control().current().version(), canary(b.control().canary()), b.rules().version(),
        b.runtimeStatus().get());
  }

  /** The contract's CanaryStatus has a reason always: "" when the canary gave none. */
  private static CanaryStatus canary(CanaryStatus c) {
    return c.reason() != null ? c : new CanaryStatus(c.state(), c.version(), c.baselineVersion(), "", c.sinceEpochMs());
  }

  /** Checks every value once, against the schema, naming every bad one (422), then proposes. */
  private CanaryStatus propose(RoutingContext ctx) {
    Proposal req = body(ctx, Proposal.class, null);
    ParameterChange change;
    try {
      change = b.control().schema().change(req.values());
    } catch (ParameterException e) {
      List<FieldError> errors = new ArrayList<>();
      for (FieldError f : e.errors()) errors.add(ApiError.field("/values/" + f.path(), f.message()));
      throw new ApiError(422, "rejected", "parameters refused; nothing changed", errors);
    }
    CanaryStatus r = canary(b.control().propose(change, provenance(ctx, req.reason(), req.origin(), "proposed through the API")));
    audit(ctx, "proposed " + change.values() + ": canary version " + r.version());
    return r;
  }

  private RuleList ruleListWithVersion(List<ObjectNode> rules) {
    return new RuleList(b.rules().version(), rules);
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

  /**
   * The request's body as {@code type}, or {@code absent} when there is none. Read from the text the
   * contract's validator has just accepted, so the codec sees exactly what was checked.
   */
  private static <T> T body(RoutingContext ctx, Class<T> type, T absent) {
    String text = rawBody(ctx);
    if (text == null) {
      if (absent == null) throw new ApiError(400, "invalid_request", "a body is required", List.of(ApiError.field("", "missing")));
      return absent;
    }
    try {
      return ApiCodec.decode(text, type);
    } catch (IllegalArgumentException e) {
      throw new ApiError(400, "invalid_request", e.getMessage(), List.of(ApiError.field("", e.getMessage())));
    }
  }

  private static String rawBody(RoutingContext ctx) {
    RequestParameter p = validated(ctx).getBody();
    io.vertx.core.buffer.Buffer raw = ctx.body() == null ? null : ctx.body().buffer();
    if (p == null || p.isNull() || raw == null || raw.length() == 0) return null;
    return raw.toString(java.nio.charset.StandardCharsets.UTF_8);
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
   * and figures, so the runtime's audit line carries the figures behind a learner's change, and
   * the artifact the client was warm-started from, if it names one.
   */
  private Provenance provenance(RoutingContext ctx, String reason, Origin origin, String defaultReason) {
    reason = reason == null || reason.isBlank() ? defaultReason : reason;
    if (origin == null) return Provenance.now("api:" + caller(ctx), reason);
    String author = origin.author();
    return new Provenance(java.time.Instant.now(), (author == null ? "" : author + " via ") + "api:" + caller(ctx),
        origin.data() == null ? "" : origin.data(), origin.model() == null ? "" : origin.model(), reason,
        origin.figures() == null ? Map.of() : origin.figures(), origin.artifact());
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
    ctx.response().end(ApiCodec.encode(e.body()));
  }
}
