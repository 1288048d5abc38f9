package javaland.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javaland.api.ApiClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code javaland run --stats} as its own process (this test's class path, the flags the launcher
 * gives run), so that what it prints is all of what a person sees, the JDK's and the libraries'
 * own lines included (java.util.logging writes to the stderr the process started with, which an
 * in-process test cannot capture). While it runs, clients call it the way people and the learner
 * do: java.net.http (which asks for an HTTP/2 upgrade), several connections, /status, /metrics
 * and the API. Its output must hold no WARNING (Micrometer warned about Netty's and Vert.x's
 * gauges registered twice) and the --stats blocks. Without the learner child: as root it runs as
 * nobody, who cannot read this build's class path under /root; LearnerChildTest checks its flags.
 */
class RunOutputProcessTest {
  @TempDir Path dir;

  @Test
  @Timeout(120)
  void runPrintsNoWarningAndOneStatsBlockPerInterval() throws Exception {
    Path token = SimRuntime.tokenFile(dir);
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    String java = ProcessHandle.current().info().command().orElseThrow();
    Path log = dir.resolve("run.log");
    Process p = new ProcessBuilder(List.of(java, "--enable-native-access=ALL-UNNAMED", "-Xmx256m", "-XX:+UseSerialGC",
        "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), Main.class.getName(),
        "run", "--sim", "--sim-cpus", "2", "--duration", "6s", "--no-learner", "--registry", dir.resolve("registry").toString(),
        "--api-token-file", token.toString(), "--http-port", Integer.toString(port), "--stats", "1s"))
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      String base = "http://127.0.0.1:" + port;
      waitForListening(base, p);
      ApiClient api = new ApiClient(base, SimRuntime.TOKEN);
      for (int i = 0; i < 3; i++) {
        HttpClient fresh = HttpClient.newHttpClient(); // a new connection each time
        for (String path : List.of("/status", "/metrics", "/healthz")) {
          assertEquals(200, fresh.send(HttpRequest.newBuilder(URI.create(base + path)).build(),
              HttpResponse.BodyHandlers.discarding()).statusCode(), path);
        }
        assertEquals("deadline", api.status().policy());
      }
      assertTrue(p.waitFor(60, TimeUnit.SECONDS), "run ends after --duration");
      String out = Files.readString(log, StandardCharsets.UTF_8);
      assertEquals(0, p.exitValue(), out);
      assertFalse(out.contains("WARNING"), "nothing in run's output is a library's or the JDK's warning:\n" + out);
      assertFalse(out.contains("already registered"), out);
      long blocks = out.lines().filter(l -> l.startsWith("## javaland ")).count();
      assertTrue(blocks >= 3 && blocks <= 7, blocks + " blocks in 6 s at 1 s:\n" + out);
      assertTrue(out.contains("\n  dispatch  ") && out.contains("\n  canary    idle: version 1"), out);
      assertFalse(out.contains("dispatches/s ("), "--stats replaces the progress line:\n" + out);
      assertTrue(out.strip().lines().reduce((a, b) -> b).orElse("").startsWith("JAVALAND_STATS {"), out);
    } finally {
      p.destroyForcibly();
    }
  }

  private static void waitForListening(String base, Process p) throws InterruptedException {
    HttpClient http = HttpClient.newHttpClient();
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < until && p.isAlive()) {
      try {
        http.send(HttpRequest.newBuilder(URI.create(base + "/healthz")).build(), HttpResponse.BodyHandlers.discarding());
        return;
      } catch (IOException e) {
        Thread.sleep(100);
      }
    }
    throw new AssertionError("run did not listen on " + base + " within 60 s (alive: " + p.isAlive() + ")");
  }
}
