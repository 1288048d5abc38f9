package javaland.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/** run --profile-threads: JFR's samples land on the thread that ran, under the javaland method it ran in. */
class ThreadProfileTest {
  private static volatile long sink;

  private static void spinFor(long ms) {
    long end = System.nanoTime() + ms * 1_000_000;
    long x = 1;
    while (System.nanoTime() < end) x = x * 31 + 7;
    sink = x;
  }

  @Test
  void aBusyThreadsSamplesAreCountedUnderItsOwnMethod() throws Exception {
    JsonNode j;
    try (ThreadProfile p = new ThreadProfile()) {
      Thread t = Thread.ofPlatform().name("spinner").start(() -> spinFor(1500));
      t.join();
      Thread.sleep(300); // JFR hands events to the stream a little later
      j = p.json();
    }
    JsonNode spinner = j.path("threads").path("spinner");
    assertTrue(spinner.path("samples").asInt() >= 5, "samples of the busy thread: " + j);
    String own = spinner.path("own").path(0).path(0).asText();
    assertTrue(own.startsWith("javaland.cli.ThreadProfileTest."), "its first javaland frame: " + spinner);
    assertTrue(j.path("compilations").path("count").asLong() > 0, "the JIT compiled at least the spinning loop: " + j);
  }
}
