package javaland.runtime.kernel.sim;

import static javaland.runtime.kernel.sim.Workload.MS;
import static javaland.runtime.kernel.sim.Workload.SEC;
import static javaland.runtime.kernel.sim.Workload.US;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import javaland.policies.FifoPolicy;
import javaland.runtime.kernel.KernelParams;
import javaland.runtime.kernel.KernelStats;
import javaland.sdk.Policy;
import org.junit.jupiter.api.Test;

/**
 * The kernel half's rule paths (bpf/wakeup.h) on the simulated kernel: wakeups placed by the
 * rule a decision pushed down (Decision.wakeup), the burst bound, the deadline offset, and the
 * return of a preempted task; and that a policy that pushes nothing is scheduled as before.
 */
class SimWakeRulesTest {
  /** Every task due 10 ms after its enqueue, slice 5 ms, and the given wakeup rule. */
  private static Policy pushing(long wakeSliceNs, long wakeOffsetNs) {
    return (tasks, kernel) -> {
      for (int i = 0; i < tasks.size(); i++) {
        tasks.decide(i).deadline(tasks.enqueuedAtNs(i) + 10 * MS).sliceNs(5 * MS).wakeup(wakeSliceNs, wakeOffsetNs);
      }
    };
  }

  private static SimConfig config(Map<String, Double> knobs) {
    Map<String, Double> k = new HashMap<>(Map.of("kernel.slice_us", 5_000.0));
    k.putAll(knobs);
    return SimConfig.of(2).withParams(KernelParams.parse(k));
  }

  /** 2 CPUs saturated by 4 hogs, and 2 short-burst tasks (200 us of work, 5 ms sleeps). */
  private static Workload mix() {
    return Workload.builder("mix", 7)
        .hogsFor("batch", 4, SEC, 100)
        .interactive("ia", 2, 200 * US, 5 * MS, SEC, 100)
        .build();
  }

  @Test
  void shortBurstWakeupsAreTheKernelsOwnAndPreemptTheHogs() {
    SimMetrics asked = new SimKernel(mix(), config(Map.of())).runToCompletion(pushing(0, 0));
    SimMetrics ruled = new SimKernel(mix(), config(Map.of())).runToCompletion(pushing(1 * MS, 0));
    KernelStats a = asked.kernel();
    KernelStats r = ruled.kernel();
    assertEquals(0, a.ruleDispatches(), "no rule pushed: every wakeup goes to the policy");
    assertEquals(0, a.preempted());
    // ~170 wakeups each of the two interactive tasks; all but the first are placed by the kernel
    assertTrue(r.ruleDispatches() > 300, ruled.format());
    assertTrue(r.preempted() > 0.9 * r.ruleDispatches(), "the CPUs are busy with hogs due later: " + ruled.format());
    assertEquals(r.preempted(), r.ruleRequeues(), "each preempted hog went back by its rule, not to the policy");
    assertTrue(r.queued() < a.queued(), "fewer round trips: " + r.queued() + " vs " + a.queued());
    long p50Asked = asked.cls("ia").schedDelay().p50Ns();
    long p50Ruled = ruled.cls("ia").schedDelay().p50Ns();
    assertEquals(0, p50Ruled, "placed and run at once: " + ruled.cls("ia").schedDelay());
    assertTrue(p50Asked >= SimConfig.DEFAULT_ROUND_TRIP_NS, "a round trip at least: " + asked.cls("ia").schedDelay());
    assertTrue(ruled.utilisation() > 0.99 && asked.utilisation() > 0.99, "saturated both times");
  }

  @Test
  void aTaskThatRanLongerThanTheBurstBoundGoesBackToThePolicy() {
    // 3 ms bursts (exactly): beyond a 2 ms bound, within a 5 ms one
    Program p = Program.builder().run(3 * MS).sleep(5 * MS).exitIfAfter(SEC).jump(0).build();
    Workload.Builder b = Workload.builder("long", 7).hogsFor("batch", 4, SEC, 100);
    for (int i = 0; i < 2; i++) b.group().task("ia-" + i, "ia", 100, i * MS, p);
    Workload w = b.build();
    SimMetrics bound = new SimKernel(w, config(Map.of("kernel.wake_burst_us", 2_000.0))).runToCompletion(pushing(MS, 0));
    SimMetrics loose = new SimKernel(w, config(Map.of("kernel.wake_burst_us", 5_000.0))).runToCompletion(pushing(MS, 0));
    assertEquals(0, bound.kernel().ruleDispatches(), bound.format());
    assertTrue(bound.kernel().ruleLapsed() > 100, bound.format());
    assertTrue(loose.kernel().ruleDispatches() > 100, loose.format());
    assertEquals(0, loose.kernel().ruleLapsed(), loose.format());
  }

  @Test
  void theRulesDeadlineDecidesWhetherAWakeupPreempts() {
    // due 1 s after the wakeup: later than any hog (due 10 ms after its enqueue), so it waits its turn
    SimMetrics late = new SimKernel(mix(), config(Map.of())).runToCompletion(pushing(MS, SEC));
    assertTrue(late.kernel().ruleDispatches() > 50, late.format());
    assertEquals(0, late.kernel().preempted(), late.format());
    assertTrue(late.cls("ia").schedDelay().p50Ns() > MS, "behind the hogs' slices: " + late.cls("ia").schedDelay());
    // without wakeup preemption the kernel still places the wakeups, in deadline order
    SimMetrics noPreempt = new SimKernel(mix(), config(Map.of("kernel.wakeup_preempt", 0.0))).runToCompletion(pushing(MS, 0));
    assertTrue(noPreempt.kernel().ruleDispatches() > 100, noPreempt.format());
    assertEquals(0, noPreempt.kernel().preempted());
    assertEquals(0, noPreempt.kernel().ruleRequeues(), "nobody preempted, nobody put back");
  }

  @Test
  void switchedOffTheRulesAreIgnoredAndAPolicyThatPushesNothingIsScheduledAsBefore() {
    SimMetrics off = new SimKernel(mix(), config(Map.of("kernel.wake_rules", 0.0))).runToCompletion(pushing(MS, 0));
    SimMetrics none = new SimKernel(mix(), config(Map.of())).runToCompletion(pushing(0, 0));
    assertEquals(0, off.kernel().ruleDispatches() + off.kernel().ruleRequeues() + off.kernel().ruleLapsed());
    assertEquals(none.format(), off.format(), "wake_rules=0 is the kernel of a policy that pushes no rule");
    SimMetrics fifoOn = new SimKernel(mix(), config(Map.of())).runToCompletion(new FifoPolicy());
    SimMetrics fifoOff = new SimKernel(mix(), config(Map.of("kernel.wake_rules", 0.0))).runToCompletion(new FifoPolicy());
    assertEquals(fifoOff, fifoOn, "fifo pushes nothing: the knob changes nothing");
  }

  @Test
  void aRulesDeadlineIsBoundedAsADecisionsIs() {
    long now = 10 * SEC;
    assertEquals(now + 5 * MS, SimTime.wakeDeadline(5 * MS, now, 100 * MS));
    assertEquals(now + SimTime.MAX_LATENESS_NS, SimTime.wakeDeadline(Long.MAX_VALUE, now, 100 * MS));
    assertEquals(now - 2 * MS, SimTime.wakeDeadline(-2 * MS, now, 100 * MS));
    assertEquals(now - 100 * MS, SimTime.wakeDeadline(-SEC, now, 100 * MS), "no earlier than rescue_ns before the wakeup");
    assertEquals(now - 100 * MS, SimTime.wakeDeadline(Long.MIN_VALUE, now, 100 * MS));
    assertEquals(0, SimTime.wakeDeadline(-SEC, 50 * MS, 100 * MS), "unsigned: not below 0");
  }
}
