package javaland.runtime.kernel.sim;

import static javaland.runtime.kernel.sim.Workload.MS;
import static javaland.runtime.kernel.sim.Workload.SEC;
import static javaland.runtime.kernel.sim.Workload.US;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import javaland.policies.FifoPolicy;
import javaland.runtime.kernel.Exemption;
import javaland.runtime.kernel.KernelParams;
import javaland.sdk.Policy;
import org.junit.jupiter.api.Test;

/**
 * What a woken task may preempt (jl_running's running_deadline, bpf/wakeup.h's preempt_victim),
 * on the simulated kernel: the scheduler's own housekeeping threads always, and when no CPU is idle a
 * wakeup without a rule takes one that runs only housekeeping.
 */
class SimPreemptionTest {
  /** Every task due {@code lateNs} after its enqueue, slice 5 ms; wakeups placed by the kernel, due at once. */
  private static Policy pushing(long lateNs) {
    return (tasks, kernel) -> {
      for (int i = 0; i < tasks.size(); i++) {
        tasks.decide(i).deadline(tasks.enqueuedAtNs(i) + lateNs).sliceNs(5 * MS).wakeup(MS, 0);
      }
    };
  }

  private static SimConfig config() {
    return SimConfig.of(2).withParams(KernelParams.parse(Map.of("kernel.slice_us", 5_000.0)));
  }

  /** Two JVM threads (a JIT compile, a GC) that keep both CPUs busy, and two short-burst tasks. */
  private static Workload housekeepingBesideShortBursts() {
    Program busy = Program.builder().run(10 * MS).exitIfAfter(SEC).jump(0).build();
    return Workload.builder("housekeeping", 11)
        .group().task("C1 CompilerThre", "jvm", 100, 0, busy, Exemption.JVM_THREAD)
        .group().task("VM Thread", "jvm", 100, 0, busy, Exemption.JVM_THREAD)
        .interactive("ia", 2, 200 * US, 5 * MS, SEC, 100)
        .build();
  }

  @Test
  void aWokenTaskPreemptsTheSchedulersHousekeepingThreads() {
    Workload w = housekeepingBesideShortBursts();
    SimMetrics m = new SimKernel(w, config()).runToCompletion(pushing(10 * MS));
    assertTrue(m.kernel().ruleDispatches() > 300, m.format());
    assertTrue(m.kernel().preempted() > 0.9 * m.kernel().ruleDispatches(), "the CPUs only ran housekeeping: " + m.format());
    assertEquals(0, m.cls("ia").schedDelay().p50Ns(), "placed and run at once: " + m.cls("ia").schedDelay());
    assertTrue(m.cls("jvm").cpuNs() > SEC, "the housekeeping still ran on what was left: " + m.format());
  }

  @Test
  void aWakeupWithoutARuleTakesACpuThatRunsOnlyHousekeepingAsAnIdleOne() {
    Workload w = housekeepingBesideShortBursts();
    SimMetrics over = new SimKernel(w, config()).runToCompletion(new FifoPolicy());
    SimMetrics off = new SimKernel(w, SimConfig.of(2).withParams(KernelParams.parse(
        Map.of("kernel.slice_us", 5_000.0, "kernel.idle_fastpath", 0.0)))).runToCompletion(new FifoPolicy());
    assertEquals(0, over.kernel().ruleDispatches(), "fifo pushes no rule");
    assertTrue(over.kernel().idleDispatches() > 300, over.format());
    assertTrue(over.kernel().queued() < 0.1 * off.kernel().queued(), "hardly any round trip: " + over.format());
    assertEquals(0, over.cls("ia").schedDelay().p50Ns(), "run at once: " + over.cls("ia").schedDelay());
    assertTrue(off.cls("ia").schedDelay().p50Ns() >= SimConfig.DEFAULT_ROUND_TRIP_NS,
        "without the idle fast path every wakeup is the policy's: " + off.cls("ia").schedDelay());
  }

  @Test
  void aWakeupForThePolicyWakesItEvenWhileTheCpusHaveWork() {
    // 6 hogs keep the shared queue full: their slice expiries wait for a batch, a wakeup does not
    // (at most one such wake every 250 us). No rules pushed: every wakeup is the policy's, which
    // puts it first (due at its enqueue).
    Policy wakeupsFirst = (tasks, kernel) -> {
      for (int i = 0; i < tasks.size(); i++) {
        tasks.decide(i).deadline(tasks.enqueuedAtNs(i) + (tasks.wokeUp(i) ? 0 : 10 * MS)).sliceNs(5 * MS);
      }
    };
    Workload w = Workload.builder("busy", 17)
        .hogsFor("batch", 6, SEC, 100)
        .interactive("ia", 2, 200 * US, 5 * MS, SEC, 100)
        .build();
    SimMetrics m = new SimKernel(w, config()).runToCompletion(wakeupsFirst);
    assertEquals(0, m.kernel().ruleDispatches());
    assertTrue(m.cls("ia").schedDelay().count() > 150, m.format());
    SimMetrics.Latency d = m.cls("ia").schedDelay();
    // left for the next batch: p50 5.9 ms, p99 12.7 ms; with the wake (250 us gap) 2.9 and 9.8 ms
    assertTrue(d.p50Ns() < 4500 * US && d.p99Ns() < 11 * MS, "no wait for the next batch: " + d);
  }
}
