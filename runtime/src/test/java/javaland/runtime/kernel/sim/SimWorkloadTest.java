package javaland.runtime.kernel.sim;

import static javaland.runtime.kernel.sim.SimTrace.pid;
import static javaland.runtime.kernel.sim.Workload.MS;
import static javaland.runtime.kernel.sim.Workload.SEC;
import static javaland.runtime.kernel.sim.Workload.US;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import javaland.runtime.kernel.ExitInfo;
import javaland.policies.DeadlinePolicy;
import javaland.policies.FifoPolicy;
import org.junit.jupiter.api.Test;

/** The workload model: phases, wakeup dependencies, generators and how runs end. */
class SimWorkloadTest {
  @Test
  void forkJoinParentsWaitForAllTheirChildren() {
    Workload w = Workload.builder("fj", 1).forkJoin(1, 4, MS, 100 * US, 10).build();
    SimTrace trace = new SimTrace();
    SimKernel k = new SimKernel(w, SimConfig.of(8));
    trace.watch(k);
    SimMetrics m = k.runToCompletion(new FifoPolicy());
    assertEquals(SimKernel.EXIT_DONE, m.exit().kind(), m.format());
    SimMetrics.Latency rounds = m.cls("forkjoin").response();
    assertEquals(10, rounds.count());
    assertTrue(rounds.p50Ns() >= MS / 2, "a round lasts at least as long as its shortest child: " + rounds);
    // The parent: one run to fork the first round, then one per join. The children: one per
    // round, the first at their arrival (the parent's first post came before their first wait).
    assertEquals(11, trace.runsOf(pid(0)).size());
    for (int t = 1; t < 5; t++) assertEquals(10, trace.runsOf(pid(t)).size(), "child " + t);
  }

  @Test
  void serverRequestsAreServedAndTheirLatencyMeasured() {
    Workload w = Workload.builder("srv", 3).server(1, 8, 500 * US, 200 * US, SEC).build();
    SimMetrics m = new SimKernel(w, SimConfig.of(4)).runToCompletion(new DeadlinePolicy());
    SimMetrics.Latency r = m.cls("server").response();
    assertTrue(r.count() > 1800 && r.count() < 2200, "about 1 s / 500 us requests: " + r);
    assertTrue(r.p50Ns() > 100 * US && r.p50Ns() < MS, r.toString());
  }

  @Test
  void aRequestIsTimedFromItsPost() {
    Program poster = Program.builder().sleep(MS).post(1).exit().build();
    Program worker = Program.builder().waitFor(1).run(MS).recordSincePost().exit().build();
    Workload w = Workload.builder("pair", 1).group()
        .task("poster", "x", 100, 0, poster)
        .task("worker", "x", 100, 0, worker)
        .build();
    SimMetrics m = new SimKernel(w, SimConfig.of(2)).runToCompletion(new FifoPolicy());
    assertEquals(1, m.response().count());
    assertEquals(MS, m.response().maxNs(), MS / 500.0, "posted at 1 ms, woken on an idle CPU, 1 ms of work");
    assertEquals(2 * MS, m.makespanNs());
  }

  @Test
  void periodicTasksMeetDeadlinesWhenThereIsRoomAndMissThemUnderOverload() {
    Workload light = Workload.builder("rt", 2).periodic(2, 10 * MS, 2 * MS, SEC).build();
    SimMetrics ok = new SimKernel(light, SimConfig.of(4)).runToCompletion(new DeadlinePolicy());
    assertTrue(ok.activations() >= 190 && ok.activations() <= 202, ok.format());
    assertEquals(0, ok.deadlineMisses(), ok.format());

    Workload heavy = Workload.builder("rt+hogs", 2).periodic(2, 10 * MS, 2 * MS, SEC).hogsFor("batch", 8, SEC, 100).build();
    SimMetrics bad = new SimKernel(heavy, SimConfig.of(2)).runToCompletion(new FifoPolicy());
    assertTrue(bad.cls("latency-critical").deadlineMisses() > 0, bad.format());
  }

  @Test
  void aTaskWaitingForAPostNobodyMakesEndsTheRunAsADeadlock() {
    Workload w = Workload.builder("stuck", 1).group()
        .task("waiter", "x", 100, 0, Program.builder().run(MS).waitFor(1).build())
        .build();
    SimMetrics m = new SimKernel(w, SimConfig.of(1)).runToCompletion(new FifoPolicy());
    assertEquals(ExitInfo.ERROR, m.exit().kind());
    assertEquals("workload deadlocked", m.exit().reason());
  }

  @Test
  void theHorizonStopsAnEndlessWorkload() {
    Workload w = Workload.builder("endless", 1).hogsFor("batch", 2, Long.MAX_VALUE, 100).build();
    SimMetrics m = new SimKernel(w, SimConfig.of(1).withHorizon(100 * MS)).runToCompletion(new FifoPolicy());
    assertEquals(SimKernel.EXIT_DONE, m.exit().kind());
    assertEquals("time limit reached", m.exit().reason());
    assertEquals(100 * MS, m.makespanNs());
    assertEquals(100 * MS, m.busyNs(), "the running slice is charged at the stop");
    assertEquals(1.0, m.utilisation());
  }

  @Test
  void programsAndWorkloadsAreChecked() {
    assertThrows(IllegalArgumentException.class, () -> Program.builder().jump(5).build());
    assertThrows(IllegalArgumentException.class, () -> Program.builder().waitFor(0));
    assertThrows(IllegalArgumentException.class, () -> Workload.builder("bad", 1).group()
        .task("a", "x", 100, 0, Program.builder().post(1).build()).build());
    assertThrows(IllegalArgumentException.class, () -> Workload.builder("bad", 1).group()
        .task("a", "x", 0, 0, Program.builder().build()));
    assertThrows(IllegalArgumentException.class, () -> Workloads.named("nope", 1, 4, MS));
    assertThrows(IllegalArgumentException.class, () -> Dist.uniform(5, 5));
    Workload spin = Workload.builder("spin", 1).group().task("spin", "x", 100, 0, Program.builder().jump(0).build()).build();
    assertThrows(IllegalStateException.class, () -> new SimKernel(spin, SimConfig.of(1)).runToCompletion(new FifoPolicy()));
  }

  @Test
  void theKernelViewAnswersInVirtualTime() {
    Workload w = Workload.builder("view", 1).hogs(3, 10 * MS).build();
    SimKernel k = new SimKernel(w, SimConfig.of(2));
    javaland.runtime.kernel.TaskBatch batch = new javaland.runtime.kernel.TaskBatch(8);
    assertEquals(0, k.nowNs());
    int n = k.poll(batch, 50);
    // Hogs 0 and 1 took the idle CPUs directly; hog 2 waits for a decision.
    assertEquals(1, n);
    assertEquals(pid(2), batch.pid(0));
    assertEquals("hog-2", batch.comm(0));
    assertEquals(pid(2), batch.tgid(0));
    assertEquals(2, batch.nrCpusAllowed(0));
    assertEquals(0, k.backlog());
    assertTrue(!k.cpuIdle(0) && !k.cpuIdle(1) && !k.cpuIdle(2) && !k.cpuIdle(-1));
    assertEquals(0, k.poll(batch, 1), "nothing new within 1 ms");
    assertEquals(MS + SimConfig.DEFAULT_DECIDE_NS_PER_TASK, k.nowNs(), "busy deciding one task, then 1 ms asleep");
    assertTrue(k.describe().startsWith("simulated, 2 CPUs"), k.describe());
  }
}
