package javaland.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javaland.runtime.canary.GuardBounds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code javaland stats [--monitor]} against a runtime in this JVM (simulated kernel, REST API behind a token). */
class StatsCommandTest {
  private static final Pattern RATE = Pattern.compile("\n  dispatch  ([0-9,]+)/s  java-decided ([0-9.]+)%");

  @TempDir Path dir;

  @Test
  @Timeout(60)
  void monitorPrintsOneBlockPerIntervalAndTheErrorsSayWhatWasWrong() throws Exception {
    Path token = SimRuntime.tokenFile(dir);
    try (SimRuntime rt = new SimRuntime(dir.resolve("registry"), GuardBounds.DEFAULTS, Map.of(), token, Duration.ofMinutes(2))) {
      Thread.sleep(500); // some dispatches to count
      CliRun r = CliRun.run("stats", "--url", rt.url, "--token-file", token.toString(), "--monitor", "300ms", "--count", "3");
      assertEquals(0, r.code(), r.out() + r.err());
      String[] blocks = r.out().split("(?m)^## javaland ");
      assertEquals(4, blocks.length, "three blocks: " + r.out());
      for (int i = 1; i < blocks.length; i++) {
        String b = blocks[i];
        assertTrue(b.contains("policy deadline v1") && b.contains("attached\n  kernel    SIMULATED: simulated, 4 CPUs"), b);
        Matcher m = RATE.matcher(b);
        assertTrue(m.find(), b);
        assertTrue(Long.parseLong(m.group(1).replace(",", "")) > 1000, "the mix workload dispatches thousands a second: " + b);
        assertTrue(b.contains("  canary    idle: version 1 (baseline 1)"), b);
      }
      assertFalse(blocks[1].contains("(+"), "the first block is since attach: " + blocks[1]);
      assertTrue(blocks[2].contains("threw 0 (+0)"), "later ones say what grew since the block before: " + blocks[2]);

      CliRun once = CliRun.run("stats", "--url", rt.url, "--token-file", token.toString());
      assertEquals(0, once.code(), once.err());
      assertEquals(2, once.out().split("(?m)^## javaland ").length, "without --monitor: one block: " + once.out());

      Path wrong = dir.resolve("wrong-token");
      Files.createFile(wrong, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(wrong, "not-the-token-0123456789abcdefghijkl\n");
      CliRun refused = CliRun.run("stats", "--url", rt.url, "--token-file", wrong.toString());
      assertEquals(2, refused.code(), refused.err());
      assertTrue(refused.err().contains("not authenticated (401)") && refused.err().contains("the token in --token-file was not accepted"),
          refused.err());
      CliRun none = CliRun.run("stats", "--url", rt.url);
      assertEquals(2, none.code(), none.err());
      assertTrue(none.err().contains("pass --token-file FILE"), none.err());
    }
  }

  @Test
  void anUnreachableApiIsAFailureExitOneAndABadIntervalAUsageError() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort(); // closed again: nothing listens there
    }
    CliRun r = CliRun.run("stats", "--url", "http://127.0.0.1:" + port, "--monitor");
    assertEquals(1, r.code(), r.err());
    assertTrue(r.err().contains("cannot reach the javaland API at http://127.0.0.1:" + port + " (connection refused)"), r.err());
    assertTrue(r.out().isEmpty(), r.out());

    CliRun bad = CliRun.run("stats", "--monitor", "0s");
    assertEquals(2, bad.code(), bad.err());
    assertTrue(bad.err().contains("--monitor must be a positive interval"), bad.err());
  }
}
