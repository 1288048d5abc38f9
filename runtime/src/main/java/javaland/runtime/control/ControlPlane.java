package javaland.runtime.control;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javaland.models.json.JsonCodec;
import javaland.runtime.Scheduler;
import javaland.runtime.api.ApiAuth;
import javaland.runtime.api.RestApi;
import javaland.telemetry.Telemetry;
import javaland.telemetry.log.Log;

/**
 * The runtime's HTTP face on Vert.x, built on top of a {@link Scheduler}: {@code GET /status}
 * (counters, policy, kernel), {@code GET /metrics} (Prometheus) and {@code GET /healthz}, always
 * without authentication (they change nothing, and Prometheus scrapes /metrics without
 * credentials); with a registry, the REST API under /api/v1 with {@code GET /openapi.yaml}
 * (docs/api.md). Listens on loopback unless told otherwise. The metrics (and their OTLP push, from
 * {@code OTEL_*}) exist whether or not anything listens.
 */
public final class ControlPlane implements AutoCloseable {
  /**
   * Where and how to serve.
   *
   * @param port the HTTP port (0: any free one; -1: no HTTP server, metrics still pushed over OTLP)
   * @param auth the REST API's authentication ({@link ApiAuth.Config#NONE}: writes refused)
   * @param api whether to mount the REST API (it needs the scheduler's registry)
   * @param audit receives one line per change accepted through the API
   */
  public record Options(String host, int port, ApiAuth.Config auth, boolean api, Consumer<String> audit) {
    public Options {
      Objects.requireNonNull(host, "host");
      Objects.requireNonNull(auth, "auth");
      Objects.requireNonNull(audit, "audit");
      if (port < -1 || port > 65535) throw new IllegalArgumentException("port must be within -1..65535, got " + port);
    }

    /** /status and /metrics on {@code host:port}, no REST API. */
    public static Options of(String host, int port) {
      return new Options(host, port, ApiAuth.Config.NONE, false, line -> {});
    }

    public Options withApi(ApiAuth.Config a, Consumer<String> auditLog) {
      return new Options(host, port, a, true, auditLog);
    }
  }

  private static final Log LOG = Log.named("runtime");

  private final Telemetry telemetry;
  private final Vertx vertx;
  private final HttpServer http;

  private ControlPlane(Telemetry telemetry, Vertx vertx, HttpServer http) {
    this.telemetry = telemetry;
    this.vertx = vertx;
    this.http = http;
  }

  /**
   * Builds the scheduler's metrics and, unless the port is -1, serves them and the API. Blocks
   * until the server listens; throws naming the address (or the auth file) when it cannot, with
   * nothing left running.
   */
  public static ControlPlane start(Scheduler scheduler, Options o) {
    Telemetry telemetry = Telemetry.builder().metrics(SchedulerMetrics.of(scheduler)).build(); // throws on bad OTEL_*
    if (o.port() < 0) return new ControlPlane(telemetry, null, null);
    // Vert.x's own DNS resolver is not needed (loopback only) and costs seconds of start-up.
    System.setProperty("vertx.disableDnsResolver", "true");
    Vertx vertx = telemetry.vertxBuilder(new VertxOptions()).build();
    RestApi.Backend backend = null;
    if (o.api()) {
      backend = new RestApi.Backend(scheduler.policyName(), scheduler.policyControl().orElseThrow(
          () -> new IllegalStateException("the REST API needs the scheduler's registry")), scheduler.ruleStore(),
          scheduler::snapshot, scheduler::status, o.audit(), scheduler.learnedClasses(),
          scheduler::taskProfiles);
    }
    try {
      Future<HttpServer> listening = serve(vertx, o.host(), o.port(), scheduler::status, telemetry.metricsHandler(vertx), backend,
          o.auth());
      HttpServer http = null;
      // No deadline: the scheduler is attached and runs meanwhile, and a loaded machine is no
      // reason to stop it. Under the faults scenario's load (TCG) the listen took over 60 s, the
      // 60 s await that was here failed the run (exit 1) and gave the CPUs back to the kernel.
      for (int waited = 60; http == null; waited += 60) {
        try {
          http = listening.await(60, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException slow) {
          LOG.warn("the control plane is not listening on " + o.host() + ":" + o.port() + " after " + waited
              + " s (a loaded machine?); the scheduler runs meanwhile");
        }
      }
      return new ControlPlane(telemetry, vertx, http);
    } catch (Exception e) {
      close(vertx, telemetry);
      throw new IllegalStateException("control plane could not listen on " + o.host() + ":" + o.port() + ": " + e.getMessage(), e);
    }
  }

  /**
   * The HTTP server alone, with the REST API when {@code api} is not null (for tests that bring
   * their own backend). Fails (naming the file) if the authentication configuration cannot be read.
   */
  public static Future<HttpServer> serve(Vertx vertx, String host, int port, Supplier<? extends JsonNode> status,
      Handler<HttpServerRequest> metrics, RestApi.Backend api, ApiAuth.Config auth) {
    Future<Router> router;
    if (api == null) {
      router = Future.succeededFuture(Router.router(vertx));
    } else {
      ApiAuth a;
      try {
        a = ApiAuth.load(vertx, auth, host);
      } catch (RuntimeException e) {
        return Future.failedFuture(e);
      }
      router = RestApi.router(vertx, api, a);
    }
    return router.compose(r -> {
      r.get("/metrics").handler(ctx -> metrics.handle(ctx.request()));
      r.get("/status").handler(ctx -> ctx.response()
          .putHeader("content-type", "application/json")
          .end(JsonCodec.writePretty(status.get())));
      r.get("/healthz").handler(ctx -> ctx.response().end("ok\n"));
      return vertx.createHttpServer().requestHandler(r).listen(port, host);
    });
  }

  /** The port it listens on; -1 without an HTTP server. */
  public int port() {
    return http == null ? -1 : http.actualPort();
  }

  public Telemetry telemetry() {
    return telemetry;
  }

  /** Stops serving; the OTLP push, if any, sends a last time. Best effort: shutdown goes on. */
  @Override
  public void close() {
    close(vertx, telemetry);
  }

  private static void close(Vertx vertx, Telemetry telemetry) {
    if (vertx != null) {
      try {
        vertx.close().await(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        // closing the control plane is best effort at shutdown
      }
    }
    telemetry.close();
  }
}
