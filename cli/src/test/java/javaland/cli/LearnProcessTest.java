package javaland.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javaland.models.canary.CanaryStatus;
import javaland.runtime.Scheduler;
import javaland.runtime.api.ApiAuth;
import javaland.runtime.api.RestApi;
import javaland.runtime.canary.GuardBounds;
import javaland.runtime.kernel.sim.SimConfig;
import javaland.runtime.kernel.sim.SimKernel;
import javaland.runtime.kernel.sim.Workloads;
import javaland.runtime.policy.PolicyCatalog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code javaland learn} as its own process (this test's class path) against a runtime in this
 * JVM (simulated kernel, registry, canary, REST API with a token passed in the environment, as
 * {@code run} passes it): it connects, proposes, serves its metrics; its CPU cost per window is
 * measured from the process's CPU time over the windows its own counter saw; SIGTERM ends it
 * cleanly, rolling back the canary it was running.
 */
class LearnProcessTest {
  private static final String TOKEN = "learn-process-test-token-0123456789";
  private static final Pattern METRICS = Pattern.compile("metrics at (http://127\\.0\\.0\\.1:\\d+/metrics)");

  @TempDir Path dir;

  @Test
  @Timeout(120)
  void theLearnProcessProposesServesMetricsAndStopsCleanly() throws Exception {
    Path tokenFile = dir.resolve("api-token");
    Files.createFile(tokenFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(tokenFile, TOKEN + "\n");
    SimRuntime rt = new SimRuntime(dir.resolve("registry"), GuardBounds.DEFAULTS.withWindow(Duration.ofMillis(500))
        .withTimeout(Duration.ofSeconds(100)), Map.of(), tokenFile, Duration.ofMinutes(5));
    Scheduler s = rt.scheduler;
    Process p = null;
    try {
      String java = ProcessHandle.current().info().command().orElseThrow();
      // mild arms (the guards leave them alone), and more windows than a verdict needs, so that
      // a canary is running when the process is stopped; no class proposals, whose canary comes
      // first and, on a loaded host, kept the parameter canary out past the 30 s wait
      List<String> cmd = new ArrayList<>(List.of(java, "-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
          "-cp", System.getProperty("java.class.path"), Main.class.getName(), "learn",
          "--url", rt.url, "--window", "250ms", "--progress", "2s", "--metrics-port", Integer.toString(freePort()),
          "--state-dir", dir.resolve("state").toString(), "--min-windows", "4", "--max-candidate-windows", "400",
          "--arms", "slice_max_us=15000,25000", "--no-classes"));
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
      pb.environment().put("JAVALAND_API_TOKEN", TOKEN);
      p = pb.start();
      List<String> lines = new CopyOnWriteArrayList<>();
      Process proc = p;
      Thread reader = Thread.ofPlatform().daemon(true).start(() -> {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(proc.getInputStream(), StandardCharsets.UTF_8))) {
          for (String line; (line = r.readLine()) != null; ) lines.add(line);
        } catch (java.io.IOException e) {
          lines.add("(read failed: " + e + ")");
        }
      });
      String metricsUrl = await(() -> lines.stream().map(METRICS::matcher).filter(Matcher::find).map(m -> m.group(1)).findFirst()
          .orElse(null), lines);
      await(() -> s.canary().canary().state().equals(CanaryStatus.CANARY) ? "" : null, lines);
      assertTrue(s.canary().current().provenance().author().equals("learner via api:token"), s.canary().current().provenance().toString());

      HttpClient http = HttpClient.newHttpClient();
      Thread.sleep(2000); // past JIT warm-up of the first windows
      double w0 = windows(http, metricsUrl);
      Duration cpu0 = p.toHandle().info().totalCpuDuration().orElseThrow();
      Thread.sleep(10_000);
      double w1 = windows(http, metricsUrl);
      Duration cpu1 = p.toHandle().info().totalCpuDuration().orElseThrow();
      double perWindowMs = (cpu1.toNanos() - cpu0.toNanos()) / 1e6 / (w1 - w0);
      System.out.printf("learn process: %.0f windows of 250 ms in 10 s, %.1f ms CPU per window (%.2f%% of a CPU at 250 ms windows,"
          + " %.2f%% at the default 2 s)%n", w1 - w0, perWindowMs, perWindowMs / 250 * 100, perWindowMs / 2000 * 100);
      assertTrue(w1 - w0 >= 20, "about 40 windows in 10 s, saw " + (w1 - w0));

      // The mild arms still differ by enough for a verdict on some hosts (a commit 12 s in, seen in
      // CI): then the learner proposes again after its baseline windows, and that canary is the one stopped.
      await(() -> s.canary().canary().state().equals(CanaryStatus.CANARY) ? "" : null, lines);
      assertEquals(CanaryStatus.CANARY, s.canary().canary().state(), "a canary is running: " + lines);
      long canaryVersion = s.canary().canary().version();
      p.toHandle().destroy(); // SIGTERM (Process.destroy would also close the pipe we read)
      assertTrue(p.waitFor(15, TimeUnit.SECONDS), "the learner stops on SIGTERM");
      reader.join(2000);
      assertEquals(0, p.exitValue(), String.join("\n", lines));
      assertEquals(CanaryStatus.ROLLED_BACK, s.canary().canary().state(), "its canary was rolled back on stop: " + lines);
      assertTrue(s.canary().audit().stream().anyMatch(e -> e.event().equals("rollback") && e.version() > canaryVersion
          && e.provenance().reason().contains("learner stopping mid-canary")), s.canary().audit().toString());
      List<JsonObject> audit = lines.stream().filter(l -> l.startsWith("{")).map(JsonObject::new).toList();
      assertTrue(audit.stream().anyMatch(j -> j.getString("event").equals("propose") && j.getJsonObject("figures").containsKey("propensity")),
          lines.toString());
      assertTrue(lines.stream().anyMatch(l -> l.startsWith("javaland-learn: stopped:")), lines.toString());
      assertTrue(Files.readString(dir.resolve("state/learner-audit.jsonl")).contains("\"event\":\"propose\""));
    } finally {
      if (p != null) p.destroyForcibly();
      rt.close();
    }
  }

  private static int freePort() throws java.io.IOException {
    try (java.net.ServerSocket ss = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return ss.getLocalPort();
    }
  }

  private static double windows(HttpClient http, String url) throws Exception {
    String body = http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString()).body();
    double n = 0;
    for (String l : body.split("\n")) {
      if (l.startsWith("javaland_learner_windows_total{")) n += Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1));
    }
    return n;
  }

  private static <T> T await(java.util.function.Supplier<T> f, List<String> lines) throws InterruptedException {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < until) {
      T t = f.get();
      if (t != null) return t;
      Thread.sleep(100);
    }
    throw new AssertionError("timed out; the learner printed:\n" + String.join("\n", lines));
  }
}
