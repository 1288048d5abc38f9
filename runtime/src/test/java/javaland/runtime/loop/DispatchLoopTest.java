package javaland.runtime.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import javaland.sdk.CpuTopology;
import javaland.runtime.kernel.ExitInfo;
import javaland.runtime.kernel.Kernel;
import javaland.runtime.kernel.KernelStats;
import javaland.runtime.kernel.KernelParams;
import javaland.runtime.kernel.TaskBatch;
import javaland.policies.FifoPolicy;
import javaland.runtime.policy.PolicySchema;
import javaland.sdk.Policy;
import javaland.telemetry.metrics.DispatchRecorder;
import org.junit.jupiter.api.Test;

/** The loop's contract, against a scripted kernel: batches in, decisions out, updates between. */
class DispatchLoopTest {
  private static class ScriptedKernel extends javaland.runtime.ScriptedKernel {}

  private static DispatchLoop loop(Kernel k, Policy p) {
    return new DispatchLoop(k, p, PolicySchema.of(p).defaults(), 16, new DispatchRecorder(DispatchLoop.TASK_CLASSES));
  }

  private static void awaitDecisions(ScriptedKernel k, int n) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (k.decided.size() < n && System.nanoTime() < end) Thread.sleep(1);
    assertEquals(n, k.decided.size());
  }

  @Test
  void everyQueuedTaskGetsOneDecisionAndEveryBatchIsFlushed() throws Exception {
    ScriptedKernel k = new ScriptedKernel();
    k.batches.add(new int[] {1, 2, 3});
    k.batches.add(new int[] {4});
    DispatchLoop loop = loop(k, new FifoPolicy());
    loop.start();
    awaitDecisions(k, 4);
    loop.requestStop();
    assertTrue(loop.awaitEnd(5, TimeUnit.SECONDS));
    assertTrue(k.registered, "the loop registers its thread with the kernel");
    assertEquals(List.of(1L, 2L, 3L, 4L), k.decided.stream().map(d -> d[0]).toList());
    assertEquals(List.of(10L, 20L, 30L, 40L), k.decided.stream().map(d -> d[1]).toList(), "seq echoed");
    assertEquals(2, k.flushes);
    assertEquals(2, loop.batches());
    assertEquals(4, loop.tasks());
    assertEquals(3, loop.largestBatch());
  }

  @Test
  void theStagesOfARoundTripAreMeasuredFromTheKernelsEnqueue() throws Exception {
    // queued 3 ms before the loop reads them; writing the decisions takes 2 ms more
    ScriptedKernel k = new ScriptedKernel() {
      @Override
      public int poll(TaskBatch batch, int timeoutMs) {
        batch.clear();
        int[] pids = batches.poll();
        if (pids == null) return super.poll(batch, timeoutMs);
        for (int pid : pids) batch.add(pid, pid, 0, 2, 100, true, pid * 10L, System.nanoTime() - 3_000_000L, 0, 0);
        return pids.length;
      }

      @Override
      public void submit(TaskBatch batch) {
        try {
          Thread.sleep(2);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        super.submit(batch);
      }
    };
    DispatchLoop loop = loop(k, new FifoPolicy());
    loop.start();
    k.batches.add(new int[] {1, 2});
    k.batches.add(new int[] {3});
    awaitDecisions(k, 3);
    loop.requestStop();
    assertTrue(loop.awaitEnd(5, TimeUnit.SECONDS));
    RoundTripStages.Snapshot s = loop.stages();
    assertEquals(3, java.util.Arrays.stream(s.read()).sum(), "one sample per decided task");
    long read = s.readQuantileNs(0.5), decided = s.decidedQuantileNs(0.99);
    assertTrue(read >= 3_000_000L && read < 3_000_000L * 1.125 + 1_000_000L, "read p50 " + read);
    assertTrue(decided >= 5_000_000L, "decided p99 " + decided + " includes the 2 ms of writing");
    assertTrue(s.emptyWakeups() > 0, "polls that found nothing are counted");
    assertEquals(3, java.util.Arrays.stream(s.readWakeups()).sum(), "the scripted tasks all woke up");
  }

  @Test
  void parameterUpdatesApplyBetweenBatches() throws Exception {
    ScriptedKernel k = new ScriptedKernel();
    FifoPolicy fifo = new FifoPolicy();
    DispatchLoop loop = loop(k, fifo);
    loop.start();
    k.batches.add(new int[] {1});
    awaitDecisions(k, 1);
    loop.update(PolicySchema.of(fifo).parse(Map.of("slice_us", 777.0, "kernel.slice_us", 2_000.0,
        "kernel.rescue_ms", 30.0, "kernel.idle_fastpath", 0.0)));
    KernelParams tuned = KernelParams.parse(Map.of("kernel.slice_us", 2_000.0, "kernel.rescue_ms", 30.0,
        "kernel.idle_fastpath", 0.0));
    k.batches.add(new int[] {2});
    awaitDecisions(k, 2);
    loop.requestStop();
    loop.awaitEnd(5, TimeUnit.SECONDS);
    assertEquals(5_000_000L, k.decided.get(0)[3], "default slice before the update");
    assertEquals(777_000L, k.decided.get(1)[3], "new slice after the update");
    assertEquals(tuned, k.tunables, "kernel knobs pushed down");
  }

  @Test
  void theLoopEndsByItselfWhenTheKernelUnloadsTheScheduler() throws Exception {
    ScriptedKernel k = new ScriptedKernel();
    DispatchLoop loop = loop(k, new FifoPolicy());
    loop.start();
    assertFalse(loop.awaitEnd(50, TimeUnit.MILLISECONDS));
    k.exit = new ExitInfo(ExitInfo.ERROR_STALL, 0, "runnable task stall", "x[1] failed to run for 5s");
    assertTrue(loop.awaitEnd(5, TimeUnit.SECONDS), "loop must notice the exit");
    assertEquals(null, loop.failure());
  }

  @Test
  void aThrowingPolicyIsCountedAndTheLoopGoesOn() throws Exception {
    ScriptedKernel k = new ScriptedKernel();
    Policy broken = (tasks, kernel) -> {
      tasks.decide(0);
      if (tasks.size() > 1) throw new IllegalStateException("bug in policy");
    };
    DispatchLoop loop = loop(k, broken);
    loop.start();
    k.batches.add(new int[] {1, 2, 3});
    k.batches.add(new int[] {4});
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (loop.batches() < 2 && System.nanoTime() < deadline) Thread.sleep(5);
    loop.requestStop();
    assertTrue(loop.awaitEnd(5, TimeUnit.SECONDS));
    assertEquals(null, loop.failure(), "a policy's exception does not end the loop");
    assertEquals(2, loop.batches());
    assertEquals(1, loop.faults().threw());
    assertEquals(2, loop.faults().undecided(), "tasks 2 and 3 of the batch it threw in");
    assertEquals("bug in policy", loop.lastPolicyFailure().getMessage());
    assertEquals(java.util.List.of(1L, 4L), k.decided.stream().map(d -> d[0]).toList(),
        "what it decided before throwing is submitted");
  }

  @Test
  void aPolicyStuckInABatchIsSeenOverrunningWhileItIsStuck() throws Exception {
    ScriptedKernel k = new ScriptedKernel();
    var release = new java.util.concurrent.CountDownLatch(1);
    var entered = new java.util.concurrent.CountDownLatch(1);
    Policy stuck = (tasks, kernel) -> {
      entered.countDown();
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      tasks.decide(0);
    };
    DispatchLoop loop = loop(k, stuck);
    long budgetNs = k.params().get(javaland.runtime.kernel.KernelKnob.RESCUE);
    loop.start();
    assertFalse(loop.overrunningNow(), "between batches");
    k.batches.add(new int[] {1});
    assertTrue(entered.await(5, TimeUnit.SECONDS));
    assertFalse(loop.overrunningNow(), "inside its budget of kernel.rescue_ms");
    Thread.sleep(TimeUnit.NANOSECONDS.toMillis(budgetNs) + 50);
    assertTrue(loop.overrunningNow(), "past kernel.rescue_ms in one batch");
    assertEquals(0, loop.faults().overran(), "counted as an overrun only once it returns");
    release.countDown();
    awaitDecisions(k, 1);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (loop.batches() < 1 && System.nanoTime() < deadline) Thread.sleep(5);
    assertFalse(loop.overrunningNow(), "it returned");
    assertEquals(1, loop.faults().overran());
    loop.requestStop();
    assertTrue(loop.awaitEnd(5, TimeUnit.SECONDS));
  }
}
