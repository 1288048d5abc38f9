package javaland.runtime.canary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import javaland.models.canary.CanaryStatus;
import javaland.models.registry.AuditEntry;
import javaland.models.registry.Provenance;
import javaland.runtime.Scheduler;
import javaland.runtime.kernel.sim.SimConfig;
import javaland.runtime.kernel.sim.SimKernel;
import javaland.runtime.kernel.sim.Workloads;
import javaland.policies.DeadlinePolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import javaland.runtime.policy.PolicySchema;

/**
 * A whole scheduler on the simulated kernel (paced to real time) with a registry: a harmful
 * parameter set is proposed and nobody (no learner) judges it; the runtime's guards must revert
 * it within two windows.
 */
class CanarySimTest {
  @TempDir Path dir;

  @Test
  void aHarmfulParameterSetIsRevertedWithinTwoWindows() throws Exception {
    Duration window = Duration.ofMillis(500);
    GuardBounds bounds = GuardBounds.DEFAULTS.withWindow(window);
    int cpus = 4;
    SimKernel k = new SimKernel(Workloads.named("mix", 1, cpus, 120_000_000_000L), SimConfig.of(cpus).paced(1.0));
    DeadlinePolicy policy = new DeadlinePolicy();
    Scheduler s = Scheduler.create(Scheduler.Options.of(policy).withCanary(new Scheduler.CanaryOptions(dir, bounds)));
    try {
      s.attach(k);
      Canary c = s.canary();
      assertTrue(s.startNote().startsWith("recorded version 1 of deadline"), s.startNote());
      Thread.sleep(window.toMillis() * 5); // baseline windows of the defaults
      // long slices, deadlines up to 2 s, no wakeup preemption: woken tasks wait behind the hogs
      Map<String, Double> harmful = Map.of("slice_max_us", 100_000.0, "slice_min_us", 20_000.0, "max_delay_us", 2_000_000.0,
          "slice_lag_us", 1_000_000.0, "exec_cap_us", 10_000_000.0, "kernel.slice_us", 1_000_000.0, "kernel.wakeup_preempt", 0.0);
      long t0 = System.nanoTime();
      c.propose(c.schema().change(harmful), Provenance.now("test", "a deliberately harmful parameter set"));
      assertEquals(2, c.current().version());
      long deadline = System.nanoTime() + window.toNanos() * 6;
      while (c.canary().state().equals(CanaryStatus.CANARY) && System.nanoTime() < deadline) Thread.sleep(10);
      double secs = (System.nanoTime() - t0) / 1e9;
      assertEquals(CanaryStatus.ROLLED_BACK, c.canary().state(), "the guard reverted the harmful set");
      AuditEntry revert = c.audit().get(c.audit().size() - 1);
      assertEquals("guard_revert", revert.event());
      double windows = revert.provenance().figures().get("windows");
      System.out.printf("harmful set reverted after %.0f window(s) of %d ms (%.2f s): %s %s%n", windows, window.toMillis(), secs,
          revert.provenance().reason(), revert.provenance().figures());
      assertTrue(windows <= 2, "reverted within 2 windows, took " + windows);
      assertEquals(3, c.current().version());
      assertEquals(20_000.0, c.current().values().get("slice_max_us"), "the defaults are back in force");
      assertEquals(List.of("start", "propose", "guard_revert"), c.audit().stream().map(AuditEntry::event).toList());
      assertTrue(k.exitInfo().isEmpty(), "the run goes on");
    } finally {
      s.stop();
    }
  }

  @Test
  void stoppingWhileTheCanaryAppliesAVersionDoesNotDeadlock() throws Exception {
    int cpus = 2;
    SimKernel k = new SimKernel(Workloads.named("mix", 1, cpus, 120_000_000_000L), SimConfig.of(cpus).paced(1.0));
    DeadlinePolicy policy = new DeadlinePolicy();
    Scheduler s = Scheduler.create(Scheduler.Options.of(policy)
        .withCanary(new Scheduler.CanaryOptions(dir, GuardBounds.DEFAULTS.withWindow(Duration.ofMillis(500)))));
    s.attach(k);
    Canary c = s.canary();
    // What the canary's own thread does when a window reverts a version: under the canary's lock,
    // apply the version to the scheduler. Here it starts while stop() is already waiting.
    CountDownLatch holding = new CountDownLatch(1);
    Thread judge = Thread.ofPlatform().name("judge").start(() -> {
      synchronized (c) {
        holding.countDown();
        try {
          Thread.sleep(300); // stop() is called meanwhile
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        c.propose(c.schema().change(Map.of("slice_max_us", 10_000.0)), Provenance.now("test", "applied while stopping"));
      }
    });
    holding.await();
    javaland.runtime.RunOutcome o = assertTimeoutPreemptively(Duration.ofSeconds(20), s::stop,
        "stop() and a canary applying a version wait for each other");
    judge.join(5_000);
    assertFalse(judge.isAlive());
    assertTrue(o.attached());
    assertEquals(2, c.current().version(), "the version applied while stopping was recorded");
  }
}
