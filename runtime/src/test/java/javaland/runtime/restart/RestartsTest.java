package javaland.runtime.restart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The verdicts after each unload: backoff doubling within the window, giving up at the limit, forgetting old unloads. */
class RestartsTest {
  private static final long S = 1_000_000_000L;

  @Test
  void theBackoffDoublesWithinTheWindowAndTheLimitEndsIt() {
    Restarts r = new Restarts(new Restarts.Policy(3, Duration.ofMinutes(10), Duration.ofSeconds(2)));
    Restarts.Verdict first = r.unloaded(100 * S, "SysRq-S");
    assertFalse(first.giveUp());
    assertEquals(Duration.ofSeconds(2), first.backoff());
    Restarts.Verdict second = r.unloaded(130 * S, "runnable task stall");
    assertFalse(second.giveUp());
    assertEquals(Duration.ofSeconds(4), second.backoff());
    assertNull(r.gaveUpWhy());
    Restarts.Verdict third = r.unloaded(160 * S, "runnable task stall");
    assertTrue(third.giveUp(), third.why());
    assertEquals(3, third.inWindow());
    assertTrue(r.gaveUpWhy().contains("3 unloads within 10 min") && r.gaveUpWhy().contains("runnable task stall"), r.gaveUpWhy());
    assertEquals(3, r.count(Restarts.UNLOAD));
    assertEquals(1, r.count(Restarts.GIVE_UP));
    assertEquals(0, r.count(Restarts.RESTART), "only a successful attach counts as a restart");
  }

  @Test
  void unloadsOlderThanTheWindowNoLongerCount() {
    Restarts r = new Restarts(new Restarts.Policy(2, Duration.ofSeconds(60), Duration.ofMillis(500)));
    assertFalse(r.unloaded(0, "a").giveUp());
    Restarts.Verdict later = r.unloaded(61 * S, "b");
    assertFalse(later.giveUp(), "the first unload is out of the window: " + later.why());
    assertEquals(Duration.ofMillis(500), later.backoff(), "the backoff starts over with the window");
    assertTrue(r.unloaded(62 * S, "c").giveUp());
  }

  @Test
  void aLimitOfOneNeverRestarts() {
    assertTrue(new Restarts(new Restarts.Policy(1, Duration.ofMinutes(1), Duration.ZERO)).unloaded(0, "x").giveUp());
  }

  @Test
  void badPoliciesNameTheirOption() {
    assertTrue(assertThrows(IllegalArgumentException.class, () -> new Restarts.Policy(0, Duration.ofMinutes(1), Duration.ZERO))
        .getMessage().contains("--unload-limit"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> new Restarts.Policy(3, Duration.ZERO, Duration.ZERO))
        .getMessage().contains("--unload-window"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> new Restarts.Policy(3, Duration.ofMinutes(1), Duration.ofSeconds(-1)))
        .getMessage().contains("--restart-backoff"));
  }
}
