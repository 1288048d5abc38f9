package javaland.runtime.control;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.ext.web.Router;
import java.util.function.Supplier;
import javaland.models.json.JsonCodec;
import javaland.runtime.api.ApiAuth;
import javaland.runtime.api.RestApi;

/**
 * The runtime's HTTP face on Vert.x: {@code GET /status} (counters, policy, kernel),
 * {@code GET /metrics} (Prometheus) and {@code GET /healthz}, always without authentication
 * (they change nothing, and Prometheus scrapes /metrics without credentials); and, when given a
 * backend, the REST API under /api/v1 with {@code GET /openapi.yaml} (docs/api.md).
 * Listens on loopback unless told otherwise.
 */
public final class ControlPlane {
  private ControlPlane() {}

  /** Starts the server without the API; {@code port} 0 picks a free one (see {@link HttpServer#actualPort()}). */
  public static Future<HttpServer> start(Vertx vertx, String host, int port, Supplier<? extends JsonNode> status,
      Handler<HttpServerRequest> metrics) {
    return start(vertx, host, port, status, metrics, null, ApiAuth.Config.NONE);
  }

  /**
   * Starts the server, with the REST API when {@code api} is not null. Fails (naming the file)
   * if the authentication configuration cannot be read.
   */
  public static Future<HttpServer> start(Vertx vertx, String host, int port, Supplier<? extends JsonNode> status,
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
}
