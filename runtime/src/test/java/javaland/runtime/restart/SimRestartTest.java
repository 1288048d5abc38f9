package javaland.runtime.restart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import javaland.models.canary.CanaryStatus;
import javaland.models.registry.AuditEntry;
import javaland.models.registry.Provenance;
import javaland.policies.DeadlinePolicy;
import javaland.runtime.RunOutcome;
import javaland.runtime.Scheduler;
import javaland.runtime.canary.Canary;
import javaland.runtime.canary.GuardBounds;
import javaland.runtime.kernel.ExitInfo;
import javaland.runtime.kernel.Kernel;
import javaland.runtime.kernel.KernelKnob;
import javaland.runtime.kernel.KernelParams;
import javaland.runtime.kernel.sim.SimConfig;
import javaland.runtime.kernel.sim.SimKernel;
import javaland.runtime.kernel.sim.Workloads;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Restart with memory on the simulated kernel (paced to real time, with a registry): the kernel
 * unloads the scheduler while a canary is in force; the scheduler attaches a new kernel with the
 * last-known-good values, never the candidate's; after the limit it stays off and the run's exit
 * code is 4. A restart starts a new simulated machine (the real kernel's tasks would have run on
 * the default scheduler meanwhile).
 */
class SimRestartTest {
  @TempDir Path dir;

  private static SimKernel machine() {
    return new SimKernel(Workloads.named("mix", 1, 2, 120_000_000_000L), SimConfig.of(2).paced(1.0));
  }

  @Test
  void anUnloadDuringACanaryRestartsWithLastKnownGoodAndTheLimitStaysOff() throws Exception {
    SimKernel first = machine();
    Scheduler s = Scheduler.create(Scheduler.Options.of(new DeadlinePolicy())
        .withCanary(new Scheduler.CanaryOptions(dir, GuardBounds.DEFAULTS.withWindow(Duration.ofMillis(200)))));
    s.superviseWith(new Restarts(new Restarts.Policy(2, Duration.ofMinutes(10), Duration.ofMillis(100))));
    List<KernelParams> attachedWith = new ArrayList<>();
    Scheduler.KernelAttacher again = params -> {
      attachedWith.add(params);
      return machine();
    };
    CountDownLatch noStop = new CountDownLatch(1);
    try {
      s.attach(first);
      Canary c = s.canary();
      long goodRescue = (long) c.currentValues().get(KernelKnob.RESCUE.parameter().name());
      c.propose(c.schema().change(Map.of("kernel.rescue_ms", 37.0, "slice_max_us", 7_000.0)),
          Provenance.now("test", "a candidate in force when the kernel unloads us"));
      assertEquals(CanaryStatus.CANARY, c.canary().state());

      first.forceUnload(ExitInfo.SYSRQ, "SysRq-S");
      assertTrue(s.awaitEnd(Duration.ofSeconds(10)), "the loop ends when the kernel unloads us");
      long t0 = System.nanoTime();
      assertTrue(s.restartAfterUnload(again, noStop), "attached again");
      long tookMs = (System.nanoTime() - t0) / 1_000_000;
      Kernel second = s.kernel();
      assertNotSame(first, second);
      assertTrue(tookMs >= 100, "waited the backoff first, took " + tookMs + " ms");
      assertEquals(1, attachedWith.size());
      assertEquals(goodRescue * 1_000_000, attachedWith.get(0).get(KernelKnob.RESCUE), "the new kernel got last-known-good's knobs");
      assertEquals(goodRescue, (long) c.currentValues().get("kernel.rescue_ms"), "the candidate is not in force");
      assertEquals(CanaryStatus.ROLLED_BACK, c.canary().state());
      long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (second.stats().userDispatches() == 0 && System.nanoTime() < end) Thread.sleep(10);
      assertTrue(second.stats().userDispatches() > 0, "the policy decides on the new kernel");
      assertEquals(goodRescue * 1_000_000, second.params().get(KernelKnob.RESCUE));
      assertEquals(1, s.restarts().count(Restarts.RESTART));
      assertEquals(1, s.status().get("restarts").get("restarts").asLong());

      ((SimKernel) second).forceUnload(ExitInfo.ERROR_STALL, "runnable task stall");
      assertTrue(s.awaitEnd(Duration.ofSeconds(10)));
      assertFalse(s.restartAfterUnload(again, noStop), "the second unload within the window is the limit");
      assertEquals(1, attachedWith.size(), "nothing attached again");
      RunOutcome o = s.stop();
      assertEquals(RunOutcome.GAVE_UP, o.exitCode());
      assertTrue(o.reason().contains("2 unloads within 10 min") && o.reason().contains("runnable task stall"), o.reason());
      assertEquals(ExitInfo.ERROR_STALL, o.exit().kind(), "the outcome is the last attach's");

      List<String> events = c.audit().stream().map(AuditEntry::event).toList();
      // The candidate is reverted once before the restart: by the restart itself (unload_revert),
      // or by the canary's exit guard when its window closed first (guard_revert).
      List<String> reverts = events.stream().filter(e -> e.endsWith("_revert")).toList();
      assertEquals(1, reverts.size(), events::toString);
      assertTrue(events.indexOf(reverts.get(0)) < events.indexOf("restart"), events::toString);
      assertEquals(List.of("start", "propose", "unload", "restart", "unload", "give_up"),
          events.stream().filter(e -> !e.endsWith("_revert")).toList());
      assertEquals(2, s.restarts().count(Restarts.UNLOAD));
      assertEquals(1, s.restarts().count(Restarts.GIVE_UP));
    } finally {
      s.stop();
    }
  }

  @Test
  void ourOwnDetachAndAStopDuringTheBackoffAreNotRestarted() throws Exception {
    Scheduler s = Scheduler.create(Scheduler.Options.of(new DeadlinePolicy()));
    s.superviseWith(new Restarts(new Restarts.Policy(5, Duration.ofMinutes(10), Duration.ofSeconds(30))));
    int[] attaches = {0};
    Scheduler.KernelAttacher again = params -> {
      attaches[0]++;
      return machine();
    };
    SimKernel k = machine();
    s.attach(k);
    k.forceUnload(ExitInfo.SYSRQ, "SysRq-S");
    assertTrue(s.awaitEnd(Duration.ofSeconds(10)));
    CountDownLatch stop = new CountDownLatch(1);
    Thread.ofPlatform().start(() -> {
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        return;
      }
      s.requestStop("SIGTERM");
      stop.countDown();
    });
    long t0 = System.nanoTime();
    assertFalse(s.restartAfterUnload(again, stop), "a signal during the 30 s backoff ends the run");
    assertTrue(System.nanoTime() - t0 < 10_000_000_000L, "at once, not after the backoff");
    assertEquals(0, attaches[0]);
    RunOutcome o = s.stop();
    assertEquals(RunOutcome.UNLOADED, o.exitCode(), "unloaded, and stopped before attaching again");
    assertFalse(s.restartAfterUnload(again, stop), "nothing to restart once stopped");
  }
}
