package javaland.runtime.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ExitInfoTest {
  @Test
  void classifiesTheKinds() {
    ExitInfo ours = new ExitInfo(ExitInfo.UNREG, 0, "unregistered from user space", "");
    assertTrue(ours.byUserSpace());
    assertFalse(ours.isError());
    assertEquals("unregistered (64): unregistered from user space", ours.toString());

    ExitInfo stall = new ExitInfo(ExitInfo.ERROR_STALL, 0, "runnable task stall", "java[42] failed to run for 30s");
    assertFalse(stall.byUserSpace());
    assertTrue(stall.isError());
    assertEquals("runnable task stall (1026): runnable task stall: java[42] failed to run for 30s", stall.toString());

    assertFalse(new ExitInfo(ExitInfo.SYSRQ, 0, "", "").isError());
    assertTrue(new ExitInfo(ExitInfo.ERROR_BPF, 0, "", "").isError());
    assertEquals("kind 2000", new ExitInfo(2000, 0, "", "").kindName());
  }

  @Test
  void statsSumDispatches() {
    KernelStats s = new KernelStats(10, 7, 3, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 7, 100, 200, 300);
    assertEquals(10, s.dispatches());
  }
}
