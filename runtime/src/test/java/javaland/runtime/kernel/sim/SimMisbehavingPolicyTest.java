package javaland.runtime.kernel.sim;

import static javaland.runtime.kernel.sim.Workload.MS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import javaland.policies.FifoPolicy;
import javaland.runtime.kernel.KernelKnob;
import javaland.runtime.loop.DispatchLoop;
import javaland.runtime.policy.PolicySchema;
import javaland.sdk.Policy;
import javaland.telemetry.metrics.DispatchRecorder;
import org.junit.jupiter.api.Test;

/**
 * A policy that returns nonsense, throws, overruns or leaves tasks undecided, on the simulated
 * kernel (which applies decisions as bpf/javaland.bpf.c's apply_decision does): each kind is
 * corrected and counted, and every task still runs all its work.
 */
class SimMisbehavingPolicyTest {
  private static final int HOGS = 6;
  private static final long WORK = 150 * MS;

  private static Workload hogs() {
    return Workload.builder("hogs", 9).hogs(HOGS, WORK).build();
  }

  private static SimMetrics direct(Policy p) {
    SimMetrics m = new SimKernel(hogs(), SimConfig.of(4)).runToCompletion(p);
    assertEquals(SimKernel.EXIT_DONE, m.exit().kind(), m.format());
    assertEquals(HOGS * WORK, m.workNs(), "every task ran all its work: " + m.format());
    return m;
  }

  @Test
  void aWellBehavedPolicyHasNothingCorrected() {
    SimMetrics m = direct(new FifoPolicy());
    assertEquals(0, m.kernel().sliceClamped(), m.format());
    assertEquals(0, m.kernel().deadlineClamped(), m.format());
    assertEquals(0, m.kernel().bounced(), m.format());
  }

  @Test
  void slicesOfNanosecondsAndMinutesAreHeldToTheKernelSliceRange() {
    SimMetrics m = direct((tasks, kernel) -> {
      for (int i = 0; i < tasks.size(); i++) tasks.decide(i).sliceNs(i % 2 == 0 ? 1 : 60_000_000_000L);
    });
    assertTrue(m.kernel().userDispatches() > 0);
    assertEquals(m.kernel().userDispatches(), m.kernel().sliceClamped(), "every decision was out of range: " + m.format());
    assertEquals(50_000, KernelKnob.decisionSlice(1, 5_000_000));
    assertEquals(100_000_000, KernelKnob.decisionSlice(-1, 5_000_000), "a u64 of 2^64-1 ns");
    assertEquals(100_000_000, KernelKnob.decisionSlice(100_000_000, 5_000_000), "the cap itself is kept");
    assertEquals(5_000_000, KernelKnob.decisionSlice(0, 5_000_000), "0 takes the kernel's");
  }

  @Test
  void theWakeupRulesSliceIsHeldToTheSameBounds() {
    SimMetrics m = direct((tasks, kernel) -> {
      for (int i = 0; i < tasks.size(); i++) tasks.decide(i).sliceNs(1_000_000).wakeup(i % 2 == 0 ? 1 : 60_000_000_000L, 0);
    });
    assertTrue(m.kernel().userDispatches() > 0);
    assertEquals(m.kernel().userDispatches(), m.kernel().sliceClamped(), "every rule's slice was out of range: " + m.format());
  }

  @Test
  void cpusOutOfRangeAreBouncedToTheSharedQueue() {
    SimMetrics m = direct((tasks, kernel) -> {
      for (int i = 0; i < tasks.size(); i++) tasks.decide(i).cpu(i % 2 == 0 ? 4 : 1_000_000);
    });
    assertEquals(m.kernel().userDispatches(), m.kernel().bounced(), m.format());
  }

  @Test
  void deadlinesFarInThePastOrFutureAreClamped() {
    SimMetrics m = direct((tasks, kernel) -> {
      for (int i = 0; i < tasks.size(); i++) {
        tasks.decide(i).deadline(i % 2 == 0 ? Long.MAX_VALUE : tasks.enqueuedAtNs(i) + 60_000_000_000L);
      }
    });
    assertEquals(m.kernel().userDispatches(), m.kernel().deadlineClamped(), m.format());
  }

  @Test
  void aPolicyThatThrowsOverrunsOrLeavesTasksUndecidedIsCountedAndEveryTaskRuns() throws Exception {
    int[] calls = {0};
    long[] seen = {0};
    Policy bad = (tasks, kernel) -> {
      int call = calls[0]++;
      if (call == 1) sleep(KernelKnob.RESCUE, 1.2); // past its budget, once
      for (int i = 0; i < tasks.size(); i++) if (seen[0]++ % 3 != 2) tasks.decide(i); // every third left undecided
      if (call % 5 == 4) throw new IllegalStateException("every fifth batch");
    };
    SimKernel kernel = new SimKernel(hogs(), SimConfig.of(4));
    DispatchLoop loop = new DispatchLoop(kernel, bad, PolicySchema.of(bad).defaults(), 256,
        new DispatchRecorder(DispatchLoop.TASK_CLASSES));
    loop.start();
    assertTrue(loop.awaitEnd(60, TimeUnit.SECONDS), "the loop ends when the workload does");
    SimMetrics m = kernel.metrics();
    assertNull(loop.failure(), "a misbehaving policy does not end the loop");
    assertEquals(SimKernel.EXIT_DONE, kernel.exitInfo().orElseThrow().kind(), m.format());
    assertEquals(HOGS * WORK, m.workNs(), "every task ran all its work: " + m.format());
    assertEquals(calls[0] / 5, loop.faults().threw(), calls[0] + " batches");
    assertEquals(1, loop.faults().overran());
    assertTrue(loop.faults().undecided() > 0);
    assertTrue(m.kernel().fallbacks() >= loop.faults().undecided(), "the kernel rescued every undecided task: " + m.format());
    assertEquals(loop.faults().threw() + loop.faults().overran() + loop.faults().undecided(), loop.faults().total());
    assertEquals(loop.faults().threw(), loop.faults().get("threw"));
    kernel.close();
  }

  private static void sleep(KernelKnob rescue, double times) {
    try {
      Thread.sleep((long) (javaland.runtime.kernel.KernelParams.defaults().get(rescue) * times / 1_000_000));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
