package javaland.learner.reward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The PromQL reward against a real Prometheus (Debian's {@code prometheus}, started here on a free
 * loopback port with no scrape targets: the expressions are built from constants, so the answers
 * are known), and against a closed port. Skipped when the binary is missing.
 */
class PromqlLatencyTest {
  @TempDir
  static Path tmp;
  private static Process prom;
  private static URI base;
  private final List<String> said = new ArrayList<>();

  @BeforeAll
  static void startPrometheus() throws Exception {
    Path bin = Path.of("/usr/bin/prometheus");
    assumeTrue(Files.isExecutable(bin), "no /usr/bin/prometheus (Debian's 'prometheus' package)");
    Path config = tmp.resolve("prometheus.yml");
    Files.writeString(config, "global:\n  scrape_interval: 15s\nscrape_configs: []\n");
    HttpClient http = HttpClient.newHttpClient();
    for (int attempt = 0; attempt < 3 && base == null; attempt++) {
      int port = freePort();
      prom = new ProcessBuilder(bin.toString(), "--config.file=" + config, "--storage.tsdb.path=" + tmp.resolve("data" + attempt),
          "--web.listen-address=127.0.0.1:" + port).redirectErrorStream(true).redirectOutput(tmp.resolve("log" + attempt).toFile()).start();
      URI b = URI.create("http://127.0.0.1:" + port);
      long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (System.nanoTime() < until && prom.isAlive() && base == null) {
        try {
          if (http.send(HttpRequest.newBuilder(b.resolve("/-/ready")).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200)
            base = b;
        } catch (IOException e) {
          Thread.sleep(100);
        }
      }
      if (base == null) prom.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    assertTrue(base != null, "prometheus did not become ready: " + Files.readString(tmp.resolve("log0")));
  }

  @AfterAll
  static void stop() throws InterruptedException {
    if (prom != null) {
      prom.destroy();
      if (!prom.waitFor(10, TimeUnit.SECONDS)) prom.destroyForcibly();
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private PromqlLatency q(String expr) {
    return new PromqlLatency(base, expr, Duration.ofSeconds(5), said::add);
  }

  @Test
  void oneSeriesOrAScalarIsTheValue() {
    assertEquals(0.012, q("vector(0.012)").check(), 1e-12);
    assertEquals(3.0, q("scalar(vector(3))").check(), 1e-12);
    assertEquals(7.0, q("max(vector(7) or label_replace(vector(5), \"a\", \"x\", \"\", \"\"))").check(), 1e-12);
  }

  @Test
  void anInvalidExpressionIsRefusedWithPrometheusReason() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> q("sum(rate(x[5m]").check());
    assertTrue(e.getMessage().startsWith("--reward-promql 'sum(rate(x[5m]': Prometheus refused it (HTTP 400, bad_data): "), e.getMessage());
    assertTrue(e.getMessage().contains("parse error"), e.getMessage());
  }

  @Test
  void nothingOrSeveralSeriesAreErrorsThatSayWhatToDo() {
    IllegalArgumentException none = assertThrows(IllegalArgumentException.class, () -> q("no_such_metric_here").check());
    assertTrue(none.getMessage().contains("it returned nothing"), none.getMessage());
    IllegalArgumentException two = assertThrows(IllegalArgumentException.class,
        () -> q("vector(1) or label_replace(vector(2), \"a\", \"x\", \"\", \"\")").check());
    assertTrue(two.getMessage().contains("returned 2 series") && two.getMessage().contains("aggregate it"), two.getMessage());
    IllegalArgumentException str = assertThrows(IllegalArgumentException.class, () -> q("\"text\"").check());
    assertTrue(str.getMessage().contains("returned a string"), str.getMessage());
  }

  @Test
  void perWindowAFailureIsNaNAndSaidOnce() throws IOException {
    PromqlLatency down = new PromqlLatency(URI.create("http://127.0.0.1:" + freePort()), "vector(1)", Duration.ofSeconds(2), said::add);
    assertTrue(Double.isNaN(down.getAsDouble()));
    assertTrue(Double.isNaN(down.getAsDouble()));
    assertEquals(1, said.size(), said::toString);
    assertTrue(said.getFirst().contains("did not answer") && said.getFirst().endsWith("(the window is not scored)"), said::toString);
    assertEquals(1.0, q("vector(1)").getAsDouble());
  }

  @Test
  void theRewardTakesTheServicesLatencyInPlaceOfTheSchedulingDelay() {
    Reward service = new Reward(RewardConfig.DEFAULT, q("vector(0.004)"));
    Reward slower = new Reward(RewardConfig.DEFAULT, q("vector(0.008)"));
    Reward unknown = new Reward(RewardConfig.DEFAULT, q("vector(0)"));
    javaland.models.telemetry.TelemetryWindow w = RewardTest.window(5000, 0.2, true);
    assertEquals(Math.log(2) * RewardConfig.DEFAULT.delayWeight(), service.score(w) - slower.score(w), 1e-9, "twice the latency costs w1 * log 2");
    assertTrue(Double.isNaN(unknown.score(w)), "a latency of 0 is no measurement");
  }
}
