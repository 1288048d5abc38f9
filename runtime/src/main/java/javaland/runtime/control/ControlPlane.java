package javaland.runtime.control;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.util.function.Supplier;

/**
 * The runtime's HTTP face on Vert.x. For now: {@code GET /status} (counters, policy, kernel),
 * {@code GET /metrics} (Prometheus) and {@code GET /healthz}. Listens on loopback unless told otherwise.
 */
public final class ControlPlane {
  private ControlPlane() {}

  /** Starts the server; {@code port} 0 picks a free one (see {@link HttpServer#actualPort()}). */
  public static Future<HttpServer> start(Vertx vertx, String host, int port, Supplier<JsonObject> status,
      Handler<HttpServerRequest> metrics) {
    Router router = Router.router(vertx);
    router.get("/metrics").handler(ctx -> metrics.handle(ctx.request()));
    router.get("/status").handler(ctx -> ctx.response()
        .putHeader("content-type", "application/json")
        .end(status.get().encodePrettily()));
    router.get("/healthz").handler(ctx -> ctx.response().end("ok\n"));
    return vertx.createHttpServer().requestHandler(router).listen(port, host);
  }
}
