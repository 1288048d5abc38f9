package javaland.runtime.kernel.sim;

import static javaland.runtime.kernel.sim.Workload.MS;
import static javaland.runtime.kernel.sim.Workload.SEC;
import static javaland.runtime.kernel.sim.Workload.US;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import javaland.runtime.kernel.ExitInfo;
import javaland.runtime.loop.DispatchLoop;
import javaland.policies.DeadlinePolicy;
import javaland.policies.ExamplePolicy;
import javaland.policies.FifoPolicy;
import javaland.runtime.policy.PolicyCatalog;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import java.util.Map;
import javaland.runtime.kernel.KernelParams;
import javaland.runtime.policy.PolicySchema;

/** The shipped policies run unchanged on the simulated kernel, and behave as they should. */
class SimPoliciesTest {
  static Iterable<String> policies() {
    return PolicyCatalog.builtIn().names();
  }

  static Workload interactiveAndHogs(long seed) {
    return Workload.builder("interactive+hogs", seed)
        .hogsFor("batch", 8, SEC, 100)
        .interactive(8, 300 * US, 5 * MS, SEC)
        .build();
  }

  @Test
  void deadlinePolicyGivesInteractiveTasksALowerTailDelayThanFifo() {
    SimMetrics deadline = new SimKernel(interactiveAndHogs(7), SimConfig.of(4)).runToCompletion(new DeadlinePolicy());
    SimMetrics fifo = new SimKernel(interactiveAndHogs(7), SimConfig.of(4)).runToCompletion(new FifoPolicy());
    System.out.println("deadline:\n" + deadline.format() + "fifo:\n" + fifo.format());
    long dl = deadline.cls("interactive").schedDelay().p99Ns();
    long ff = fifo.cls("interactive").schedDelay().p99Ns();
    assertTrue(dl < ff, "interactive p99: deadline " + dl + " ns, fifo " + ff + " ns");
    // And the hogs are not starved for it.
    assertTrue(deadline.utilisation() > 0.97, deadline.format());
  }

  @ParameterizedTest
  @MethodSource("policies")
  void utilisationIsNearlyFullWhenTasksOutnumberCpus(String name) {
    Workload w = Workload.builder("hogs", 3).hogs(8, 200 * MS).build();
    SimMetrics m = new SimKernel(w, SimConfig.of(4)).runToCompletion(PolicyCatalog.builtIn().create(name));
    assertEquals(SimKernel.EXIT_DONE, m.exit().kind(), m.format());
    assertEquals(8 * 200 * MS, m.workNs(), "every ns of work done");
    assertTrue(m.utilisation() > 0.97, m.format());
    assertTrue(m.throughput() > 3.88, m.format());
    assertTrue(m.fairness() > 0.9, m.format());
  }

  @ParameterizedTest
  @MethodSource("policies")
  void everyPolicyRunsEveryWorkloadToTheEnd(String name) {
    for (String workload : Workloads.NAMES) {
      Workload w = Workloads.named(workload, 11, 4, 300 * MS);
      SimMetrics m = new SimKernel(w, SimConfig.of(SimConfig.topology(1, 2, 2))).runToCompletion(PolicyCatalog.builtIn().create(name));
      ExitInfo e = m.exit();
      assertEquals(SimKernel.EXIT_DONE, e.kind(), name + " on " + workload + ": " + m.format());
      assertEquals("workload finished", e.reason());
      assertEquals(0, m.kernel().cancelled(), m.format());
      assertEquals(0, m.kernel().fallbacks(), "the policy keeps up: " + m.format());
      if (!workload.equals("forkjoin")) assertTrue(m.makespanNs() >= 300 * MS, m.format()); // rounds, not time
    }
  }

  @Test
  void examplePolicyUsesIdlePreviousCpus() {
    // Fewer busy tasks than CPUs and no idle fast path: ExamplePolicy sends wakeups back to
    // their previous CPU, which is idle, so tasks do not migrate.
    Workload w = Workload.builder("ia", 5).interactive(3, 200 * US, 2 * MS, 200 * MS).build();
    SimConfig cfg = SimConfig.of(4).withParams(KernelParams.parse(Map.of("kernel.idle_fastpath", 0.0)));
    SimMetrics example = new SimKernel(w, cfg).runToCompletion(new ExamplePolicy());
    assertEquals(0, example.migrations(), example.format());
    assertEquals(0, example.kernel().bounced());
  }

  @Test
  void dispatchLoopDrivesTheSimulationToTheSameResult() throws InterruptedException {
    Workload w = Workloads.named("mix", 5, 4, 200 * MS);
    SimMetrics direct = new SimKernel(w, SimConfig.of(4)).runToCompletion(new DeadlinePolicy());

    SimKernel kernel = new SimKernel(w, SimConfig.of(4));
    DeadlinePolicy policy = new DeadlinePolicy();
    DispatchLoop loop = new DispatchLoop(kernel, policy, PolicySchema.of(policy).defaults(), 256,
        new javaland.telemetry.metrics.DispatchRecorder(DispatchLoop.TASK_CLASSES));
    loop.start();
    assertTrue(loop.awaitEnd(60, TimeUnit.SECONDS), "the loop ends when the workload does");
    assertNull(loop.failure());
    assertEquals(SimKernel.EXIT_DONE, kernel.exitInfo().orElseThrow().kind());
    assertEquals(direct, kernel.metrics(), "same calls in the same order: same run");
    assertTrue(loop.batches() > 0);
    assertTrue(loop.tasks() <= kernel.stats().queued());
    kernel.close();
    assertEquals(SimKernel.EXIT_DONE, kernel.exitInfo().orElseThrow().kind(), "close keeps the first exit");
  }

  @Test
  void pacedModeKeepsVirtualTimeBehindTheWallClock() {
    Workload w = Workload.builder("one", 1).hogs(1, 100 * MS).build();
    SimKernel k = new SimKernel(w, SimConfig.of(2).paced(1.0));
    long t0 = System.nanoTime();
    SimMetrics m = k.runToCompletion(new FifoPolicy());
    long wall = System.nanoTime() - t0;
    assertEquals(100 * MS, m.makespanNs());
    assertTrue(wall >= 90 * MS, "100 ms of virtual time took " + wall / 1e6 + " ms");
    assertTrue(k.describe().contains("paced"));
  }
}
