package javaland.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `run` stops on SIGINT and SIGTERM, also when it was started with SIGINT ignored, as a script's
 * background job is ({@code cmd &} in a non-interactive shell): it then ignored Ctrl-C and
 * {@code kill -INT} for good (found on the real kernel: still running 20 s after the signal).
 * On the simulated kernel; the VM's scenarios stop the real one the same way.
 */
class StopSignalsTest {
  @TempDir Path dir;

  private long stopAfter(String signal) throws IOException, InterruptedException {
    Path out = dir.resolve(signal + ".out");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    // sh's `trap '' INT` makes SIGINT ignored in what it execs, as `&` does
    Process p = new ProcessBuilder("sh", "-c", "trap '' INT; exec \"$0\" -cp \"$1\" javaland.cli.Main run --sim"
        + " --http-port -1 --no-learner --registry \"$2\"", java, System.getProperty("java.class.path"),
        dir.resolve("reg-" + signal).toString())
        .redirectErrorStream(true).redirectOutput(out.toFile()).start();
    try {
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (!Files.readString(out).contains("javaland: start-up took") && System.nanoTime() < until && p.isAlive()) {
        Thread.sleep(100);
      }
      assertTrue(p.isAlive() && Files.readString(out).contains("start-up took"), Files.readString(out));
      long t0 = System.nanoTime();
      assertEquals(0, new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).start().waitFor());
      assertTrue(p.waitFor(10, TimeUnit.SECONDS), signal + ": still running 10 s after the signal\n" + Files.readString(out));
      long ms = (System.nanoTime() - t0) / 1_000_000;
      assertEquals(0, p.exitValue(), Files.readString(out));
      String text = Files.readString(out);
      assertTrue(text.contains("(SIG" + signal + ")"), "the report names the signal: " + text);
      return ms;
    } finally {
      p.destroyForcibly();
    }
  }

  @Test
  void sigintAndSigtermStopRunStartedWithSigintIgnored() throws Exception {
    // the set-up does what it says: what sh execs after `trap '' INT` starts with SIGINT ignored
    Process probe = new ProcessBuilder("sh", "-c", "trap '' INT; exec cat /proc/self/status").start();
    String status = new String(probe.getInputStream().readAllBytes());
    probe.waitFor();
    assertTrue(status.lines().anyMatch(l -> l.startsWith("SigIgn:") && (Long.parseLong(l.substring(7).trim(), 16) & 2) != 0),
        status);
    for (String signal : List.of("INT", "TERM")) {
      long ms = stopAfter(signal);
      System.out.println("run stopped " + ms + " ms after SIG" + signal);
      assertTrue(ms < 5_000, "SIG" + signal + " took " + ms + " ms");
    }
  }
}
