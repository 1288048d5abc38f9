package javaland.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

/**
 * run's exit codes on the simulated kernel (docs/operations.md#exit-codes); 3 is SchedulerTest's
 * and SimRestartTest's.
 */
class RunExitCodesTest {
  private static final String[] SIM = {"run", "--sim", "--sim-cpus", "2", "--no-learner", "--registry", "none"};

  private static String[] with(String... more) {
    String[] a = java.util.Arrays.copyOf(SIM, SIM.length + more.length);
    System.arraycopy(more, 0, a, SIM.length, more.length);
    return a;
  }

  @Test
  void aControlPlaneThatCannotListenIsAFailureExitOne() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      CliRun r = CliRun.run(with("--duration", "5s", "--http-port", String.valueOf(taken.getLocalPort())));
      assertEquals(1, r.code(), r.out() + r.err());
      assertTrue(r.out().contains("JAVALAND_STATS"), "it attached, then gave the kernel back its scheduler: " + r.out());
    }
  }

  @Test
  void unloadsAreRestartedUntilTheLimitThenItStaysOffExitFour() {
    CliRun r = CliRun.run(with("--duration", "60s", "--http-port", "-1", "--sim-unload-every", "1500ms",
        "--restart-backoff", "100ms", "--unload-limit", "3"));
    assertEquals(4, r.code(), r.out() + r.err());
    assertEquals(2, r.out().lines().filter(l -> l.startsWith("javaland: restart: attached again")).count(), r.out());
    assertTrue(r.err().contains("javaland: warning: gave up restarting: 3 unloads within 10 min"), r.err());
    String stats = r.out().lines().filter(l -> l.startsWith("JAVALAND_STATS ")).findFirst().orElseThrow();
    assertTrue(stats.contains("\"restarts\":{\"unloads\":3,\"restarts\":2,\"gave_up\":1"), stats);
  }

  @Test
  void aBadRestartOptionIsAUsageError() {
    CliRun bad = CliRun.run(with("--unload-limit", "0"));
    assertEquals(2, bad.code(), bad.err());
    assertTrue(bad.err().contains("--unload-limit must be >= 1, got 0"), bad.err());
  }

  @Test
  void logFormatJsonMakesEveryLineOfRunsOwnAJsonObject() {
    try {
      CliRun r = CliRun.run(with("--duration", "1s", "--http-port", "-1", "--log-format", "json", "--progress", "500ms"));
      assertEquals(0, r.code(), r.out() + r.err());
      java.util.List<String> lines = (r.out() + r.err()).lines().filter(l -> !l.isBlank() && !l.startsWith("JAVALAND_STATS ")).toList();
      assertTrue(lines.size() >= 3, "the simulated-kernel line, the attach, progress: " + lines);
      for (String l : lines) {
        io.vertx.core.json.JsonObject j = new io.vertx.core.json.JsonObject(l); // throws on anything else
        assertTrue(j.containsKey("time") && j.containsKey("level") && j.containsKey("logger") && j.containsKey("message"), l);
      }
      assertTrue(lines.stream().anyMatch(l -> l.contains("\"message\":\"SIMULATED KERNEL: ")), String.join("\n", lines));
      assertTrue(r.lastLine().startsWith("JAVALAND_STATS {"), "the report stays the last line, as it was: " + r.out());

      CliRun bad = CliRun.run(with("--duration", "1s", "--log-format", "xml"));
      assertEquals(2, bad.code(), bad.err());
      assertTrue(bad.err().contains("--log-format: log format 'xml': choose text or json"), bad.err());
    } finally {
      javaland.telemetry.log.Log.configure(javaland.telemetry.log.Log.Format.TEXT, javaland.telemetry.log.Log.Level.INFO);
    }
  }

  @Test
  void aBadOptionIsAUsageErrorExitTwoAndARunToItsEndExitsZero() {
    CliRun bad = CliRun.run(with("--duration", "-1s"));
    assertEquals(2, bad.code(), bad.err());
    assertTrue(!bad.out().contains("SIMULATED KERNEL"), "nothing started: " + bad.out());
    CliRun done = CliRun.run(with("--duration", "1s", "--http-port", "-1"));
    assertEquals(0, done.code(), done.out() + done.err());
  }
}
