package javaland.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * /metrics served the way the runtime will serve it (its own Vert.x server, Vert.x created with
 * metrics into the same registry), then checked with Prometheus's own linter,
 * {@code promtool check metrics}. promtool comes with Debian's {@code prometheus} package: when
 * it is missing and we are root, the test installs it with apt-get (and says so); otherwise it
 * is skipped with the reason.
 */
class VertxAndPromtoolTest {
  @Test
  void servedExpositionHasVertxMetricsAndPassesPromtool() throws Exception {
    Fixtures f = new Fixtures(true);
    f.record();
    try (Telemetry t = f.telemetry(Map.of())) {
      Vertx vertx = t.vertxBuilder(new VertxOptions()).build();
      try {
        HttpServer server = vertx.createHttpServer()
            .requestHandler(req -> {
              if (req.path().equals("/metrics")) {
                t.metricsHandler(vertx).handle(req);
              } else {
                req.response().end("ok\n");
              }
            })
            .listen(0, "127.0.0.1").await(30, TimeUnit.SECONDS);
        HttpClient http = HttpClient.newHttpClient();
        URI base = URI.create("http://127.0.0.1:" + server.actualPort());
        for (int i = 0; i < 3; i++) {
          http.send(HttpRequest.newBuilder(base.resolve("/status")).build(), HttpResponse.BodyHandlers.ofString());
        }
        http.send(HttpRequest.newBuilder(base.resolve("/metrics")).build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve("/metrics")).build(),
            HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"));
        String body = r.body();
        Files.writeString(Path.of("target/served-metrics.txt"), body);
        assertTrue(body.contains("\nvertx_http_server_requests_total{"), "Vert.x HTTP server metrics are in the scrape");
        assertTrue(body.contains("\nvertx_http_server_active_connections"), "Vert.x connection metrics");
        assertTrue(body.contains("\njavaland_roundtrip_seconds_bucket{"));
        HttpResponse<String> om = http.send(HttpRequest.newBuilder(base.resolve("/metrics"))
            .header("Accept", "application/openmetrics-text; version=1.0.0; charset=utf-8").build(),
            HttpResponse.BodyHandlers.ofString());
        assertTrue(om.headers().firstValue("Content-Type").orElse("").startsWith("application/openmetrics-text"));
        assertTrue(om.body().endsWith("# EOF\n"));
        Files.writeString(Path.of("target/served-metrics.om.txt"), om.body());

        Optional<Path> promtool = promtool();
        assumeTrue(promtool.isPresent(), "promtool not found and cannot be installed (not root or no apt-get):"
            + " install Debian's 'prometheus' package to run this check");
        assertPromtoolAccepts(promtool.get(), body, "text format 0.0.4");
      } finally {
        vertx.close().await(30, TimeUnit.SECONDS);
      }
    }
  }

  static void assertPromtoolAccepts(Path promtool, String body, String what) throws Exception {
    Process p = new ProcessBuilder(promtool.toString(), "check", "metrics").redirectErrorStream(true).start();
    try (var in = p.getOutputStream()) {
      in.write(body.getBytes(StandardCharsets.UTF_8));
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    System.out.println("promtool check metrics (" + what + "): exit " + p.exitValue() + (out.isBlank() ? ", no findings" : ":\n" + out));
    assertEquals(0, p.exitValue(), "promtool check metrics found problems:\n" + out);
  }

  /** promtool on the PATH or in /usr/bin; installed with apt-get when root and missing. */
  static Optional<Path> promtool() throws Exception {
    for (String dir : (System.getenv().getOrDefault("PATH", "") + File.pathSeparator + "/usr/bin").split(File.pathSeparator)) {
      Path p = Path.of(dir.isEmpty() ? "." : dir, "promtool");
      if (Files.isExecutable(p)) return Optional.of(p);
    }
    boolean root = Files.readAllLines(Path.of("/proc/self/status")).stream()
        .anyMatch(l -> l.startsWith("Uid:") && l.split("\\s+")[2].equals("0"));
    if (!root || !Files.isExecutable(Path.of("/usr/bin/apt-get"))) return Optional.empty();
    System.out.println("promtool is missing: installing Debian's 'prometheus' package with apt-get (root)");
    if (!aptGet("install", "-y", "--no-install-recommends", "prometheus")) {
      aptGet("update");
      if (!aptGet("install", "-y", "--no-install-recommends", "prometheus")) return Optional.empty();
    }
    Path p = Path.of("/usr/bin/promtool");
    return Files.isExecutable(p) ? Optional.of(p) : Optional.empty();
  }

  private static boolean aptGet(String... args) throws Exception {
    String[] cmd = new String[args.length + 1];
    cmd[0] = "/usr/bin/apt-get";
    System.arraycopy(args, 0, cmd, 1, args.length);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().put("DEBIAN_FRONTEND", "noninteractive");
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(15, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      return false;
    }
    String[] lines = out.split("\n");
    System.out.println("apt-get " + String.join(" ", args) + ": exit " + p.exitValue() + ", last line: " + lines[lines.length - 1]);
    return p.exitValue() == 0;
  }
}
