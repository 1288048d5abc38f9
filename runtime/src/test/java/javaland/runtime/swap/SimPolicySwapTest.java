package javaland.runtime.swap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javaland.models.canary.CanaryStatus;
import javaland.models.registry.AuditEntry;
import javaland.models.registry.Provenance;
import javaland.policies.DeadlinePolicy;
import javaland.runtime.Scheduler;
import javaland.runtime.canary.Canary;
import javaland.runtime.canary.GuardBounds;
import javaland.runtime.kernel.Kernel;
import javaland.runtime.kernel.sim.SimConfig;
import javaland.runtime.kernel.sim.SimKernel;
import javaland.runtime.kernel.sim.Workloads;
import javaland.sdk.KernelView;
import javaland.sdk.Param;
import javaland.sdk.Policy;
import javaland.sdk.WaitingTasks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Policy hot swap on the simulated kernel (paced to real time, with a registry): another policy
 * decides from the next batch while the kernel stays attached (the same kernel, never unloaded),
 * as a canary; a policy that misbehaves is swapped back by the guard.
 */
class SimPolicySwapTest {
  @TempDir Path dir;

  /** Decides every task, one slice, any CPU; counts the tasks it decided. */
  static final class Counting implements Policy {
    final AtomicLong decided = new AtomicLong();
    private final Param.Time slice = Param.micros("slice_us", 50, 100_000, 3_000, "every task's slice");

    @Override
    public String name() {
      return "counting";
    }

    @Override
    public void schedule(WaitingTasks tasks, KernelView kernel) {
      for (int i = 0; i < tasks.size(); i++) tasks.decide(i).sliceNs(slice.ns());
      decided.addAndGet(tasks.size());
    }
  }

  /** Throws on every batch: everything it is given is left to the kernel's rescue. */
  static final class Throwing implements Policy {
    @Override
    public String name() {
      return "throwing";
    }

    @Override
    public void schedule(WaitingTasks tasks, KernelView kernel) {
      throw new IllegalStateException("a policy bug");
    }
  }

  /** Decides every task well but for a CPU that does not exist: the kernel sends each to the shared queue. */
  static final class BadCpu implements Policy {
    @Override
    public String name() {
      return "bad-cpu";
    }

    @Override
    public void schedule(WaitingTasks tasks, KernelView kernel) {
      for (int i = 0; i < tasks.size(); i++) tasks.decide(i).cpu(kernel.topology().nrCpus() + 7).sliceNs(3_000_000);
    }
  }

  private Scheduler scheduler(Duration window, Policy... swappable) {
    Scheduler s = Scheduler.create(Scheduler.Options.of(new DeadlinePolicy())
        .withCanary(new Scheduler.CanaryOptions(dir, GuardBounds.DEFAULTS.withWindow(window))));
    s.swapsFrom(() -> java.util.Arrays.stream(swappable).map(Policy::name).toList(), name -> {
      for (Policy p : swappable) if (p.name().equals(name)) return p;
      throw new IllegalArgumentException("unknown policy '" + name + "'");
    });
    return s;
  }

  private static SimKernel machine() {
    return new SimKernel(Workloads.named("mix", 1, 2, 120_000_000_000L), SimConfig.of(2).paced(1.0));
  }

  @Test
  void anotherPolicyDecidesFromTheNextBatchWhileTheKernelStaysAttached() throws Exception {
    Counting counting = new Counting();
    Scheduler s = scheduler(Duration.ofMillis(200), counting);
    SimKernel k = machine();
    try {
      s.attach(k);
      Canary c = s.canary();
      Thread.sleep(600);
      long userBefore = k.stats().userDispatches();
      assertTrue(userBefore > 0, "deadline decided first");
      assertEquals(List.of("counting"), c.policies());

      CanaryStatus st = c.swap("counting", Provenance.now("test", "try the counting policy"));
      assertEquals(CanaryStatus.CANARY, st.state());
      assertEquals("counting", s.policyName());
      assertEquals("counting", c.current().policy());
      assertEquals(3000.0, c.current().values().get("slice_us"), "its own defaults");
      assertTrue(c.current().values().containsKey("kernel.rescue_ms"), "with the kernel half's knobs in force");
      long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (counting.decided.get() < 20 && System.nanoTime() < end) Thread.sleep(10);
      assertTrue(counting.decided.get() >= 20, "the new policy decides: " + counting.decided.get());
      assertSame(k, s.kernel(), "the same kernel: never detached");
      assertTrue(k.exitInfo().isEmpty(), "never unloaded");
      assertEquals(1, s.status().get("loop").get("policy_swaps").asLong(), "the counting policy decided: the swap is in force");
      assertThrows(IllegalStateException.class, () -> c.swap("counting", Provenance.now("test", "again")),
          "a canary is running");

      c.commit(Provenance.now("test", "keep it"));
      assertEquals(CanaryStatus.COMMITTED, c.canary().state());
      assertEquals("counting", c.lastKnownGood().policy());
      assertEquals("counting", s.status().get("policy").asText());
      IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
          () -> c.swap("nosuch", Provenance.now("test", "a typo")));
      assertTrue(unknown.getMessage().contains("nosuch"), unknown.getMessage());
      assertEquals("counting", s.policyName(), "nothing changed");
      assertTrue(k.stats().userDispatches() > userBefore);
      List<String> events = c.audit().stream().map(AuditEntry::event).toList();
      assertEquals(List.of("start", "swap", "commit"), events);
    } finally {
      s.stop();
    }
  }

  @Test
  void aPolicyThatMisbehavesIsSwappedBackByTheGuard() throws Exception {
    Duration window = Duration.ofMillis(300);
    Scheduler s = scheduler(window, new Throwing());
    SimKernel k = machine();
    try {
      s.attach(k);
      Canary c = s.canary();
      Thread.sleep(window.toMillis() * 5); // baseline windows of deadline
      long deadlineVersion = c.current().version();
      c.swap("throwing", Provenance.now("test", "a policy that throws"));
      long end = System.nanoTime() + window.toNanos() * 8;
      while (c.canary().state().equals(CanaryStatus.CANARY) && System.nanoTime() < end) Thread.sleep(10);
      assertEquals(CanaryStatus.ROLLED_BACK, c.canary().state(), "the guard swapped it back");
      AuditEntry revert = c.audit().getLast();
      assertEquals("guard_revert", revert.event());
      // it throws (policy_fault), leaves every task to the rescue (fallback_rate) and so delays
      // wakeups (delay_p99): whichever guard trips first; not the timeout, not a request
      long byGuards = Canary.rollbackReasons().stream().filter(r -> !r.equals("timeout") && !r.equals("requested"))
          .mapToLong(c::rollbacks).sum();
      assertEquals(1, byGuards, revert.provenance().reason());
      assertEquals("deadline", s.policyName());
      assertEquals("deadline", c.current().policy());
      assertTrue(c.current().version() > deadlineVersion, "the revert is a new version of deadline");
      assertTrue(revert.provenance().figures().get("windows") <= 2, "within 2 windows: " + revert.provenance().figures());
      Kernel now = s.kernel();
      assertSame(k, now);
      assertTrue(k.exitInfo().isEmpty(), "the kernel rescued what it left: never unloaded");
      long swapped = System.nanoTime() + Duration.ofSeconds(5).toNanos(); // put in force at the next batch boundary
      while (s.status().get("loop").get("policy_swaps").asLong() < 2 && System.nanoTime() < swapped) Thread.sleep(5);
      assertEquals(2, s.status().get("loop").get("policy_swaps").asLong(), "there and back");
      assertTrue(s.faults("threw") > 0);
    } finally {
      s.stop();
    }
  }

  @Test
  void aPolicyThatChoosesCpusTheTaskMayNotUseIsSwappedBackAsAPolicyFault() throws Exception {
    Duration window = Duration.ofMillis(300);
    Scheduler s = scheduler(window, new BadCpu());
    SimKernel k = machine();
    try {
      s.attach(k);
      Canary c = s.canary();
      Thread.sleep(window.toMillis() * 5); // baseline windows of deadline, which bounces nothing
      assertEquals(0, k.stats().bounced());
      c.swap("bad-cpu", Provenance.now("test", "a policy that picks CPUs that do not exist"));
      long end = System.nanoTime() + window.toNanos() * 8;
      while (c.canary().state().equals(CanaryStatus.CANARY) && System.nanoTime() < end) Thread.sleep(10);
      assertEquals(CanaryStatus.ROLLED_BACK, c.canary().state(), "the guard swapped it back");
      AuditEntry revert = c.audit().getLast();
      assertEquals("guard_revert", revert.event());
      assertEquals(1, c.rollbacks("policy_fault"), revert.provenance().reason());
      assertTrue(revert.provenance().figures().get("windows") <= 2, "within 2 windows: " + revert.provenance().figures());
      assertTrue(k.stats().bounced() > 0, "the kernel sent its decisions to the shared queue");
      assertTrue(k.exitInfo().isEmpty(), "never unloaded");
      assertEquals("deadline", s.policyName());
    } finally {
      s.stop();
    }
  }
}
