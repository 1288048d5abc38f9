package javaland.runtime.kernel;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class KernelTunablesTest {
  private static String error(long slice, long rescue, int congestion) {
    return assertThrows(IllegalArgumentException.class, () -> new KernelTunables(slice, rescue, true, congestion))
        .getMessage();
  }

  @Test
  void defaults() {
    assertEquals(5_000_000L, KernelTunables.DEFAULTS.sliceNs());
    assertEquals(100_000_000L, KernelTunables.DEFAULTS.rescueNs());
    assertTrue(KernelTunables.DEFAULTS.idleFastpath());
    assertEquals(0, KernelTunables.DEFAULTS.congestionBytes());
  }

  @Test
  void sliceOutOfRange() {
    for (long slice : new long[] {49_999, 0, -1, 1_000_000_001L}) {
      String m = error(slice, 100_000_000L, 0);
      assertTrue(m.contains("sliceNs") && m.contains("50us..1s") && m.contains("got " + slice), m);
    }
  }

  @Test
  void rescueOutOfRange() {
    for (long rescue : new long[] {999_999, 0, 4_000_000_001L, Long.MAX_VALUE}) {
      String m = error(5_000_000, rescue, 0);
      assertTrue(m.contains("rescueNs") && m.contains("1ms..4s") && m.contains("got " + rescue), m);
      assertTrue(m.contains("watchdog"), "says why the limit: " + m);
    }
  }

  @Test
  void negativeCongestion() {
    String m = error(5_000_000, 100_000_000L, -1);
    assertTrue(m.contains("congestionBytes") && m.contains(">= 0"), m);
  }

  @Test
  void boundsAreInclusive() {
    assertDoesNotThrow(() -> new KernelTunables(50_000, 1_000_000, false, 0));
    assertDoesNotThrow(() -> new KernelTunables(1_000_000_000L, 4_000_000_000L, true, Integer.MAX_VALUE));
  }
}
