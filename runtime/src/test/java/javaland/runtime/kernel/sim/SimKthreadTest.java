package javaland.runtime.kernel.sim;

import static javaland.runtime.kernel.sim.SimTrace.pid;
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
 * Kernel threads never wait behind user work (bpf/kthreads.h), on the simulated kernel. In the VM,
 * the unbound kworker the sched_ext watchdog checks in from was an ordinary task among the
 * thousands of threads of stress-ng --sleep, and the kernel ended the scheduler ("watchdog failed
 * to check in for 5.016s").
 */
class SimKthreadTest {
  private static SimConfig config(int cpus) {
    return SimConfig.of(cpus).withParams(KernelParams.parse(Map.of("kernel.slice_us", 5_000.0)));
  }

  /** A kworker that wakes every 400 ms for 50 us (the watchdog checks in every timeout/2). */
  private static Program kworker() {
    return Program.builder().sleep(400 * MS).run(50 * US).loop(6, 0).exit().build();
  }

  /** 1,000 CPU hogs on 2 CPUs for 3 s (one round of 5 ms slices: 2.5 s) and one kworker of {@code kind}. */
  private static SimMetrics overloaded(Exemption kind) {
    Workload w = Workload.builder("kthread-overload", 3)
        .hogsFor("user", 1000, 3 * SEC, 100)
        .group().task("kworker/u8:3", "kthread", 100, 0, kworker(), kind)
        .build();
    return new SimKernel(w, config(2)).runToCompletion(new FifoPolicy());
  }

  @Test
  void aWokenKthreadRunsWithinOneSliceNotBehindAThousandThreads() {
    SimMetrics asUser = overloaded(Exemption.NONE);
    SimMetrics asKthread = overloaded(Exemption.KTHREAD);
    for (SimMetrics m : new SimMetrics[] {asUser, asKthread}) {
      assertEquals(SimKernel.EXIT_DONE, m.exit().kind(), m.format());
      assertTrue(m.cls("user").schedDelay().maxNs() > SEC, "overloaded: the hogs wait a round: " + m.cls("user").schedDelay());
    }
    // As the policy's task (before kthreads.h), the kworker waited its turn among the hogs.
    assertTrue(asUser.cls("kthread").schedDelay().maxNs() > SEC, "behind the hogs: " + asUser.cls("kthread").schedDelay());
    // As a kthread, its start and each wakeup wait at most for the running hog's slice to end.
    assertEquals(7, asKthread.cls("kthread").schedDelay().count(), asKthread.cls("kthread").schedDelay().toString());
    assertTrue(asKthread.cls("kthread").schedDelay().maxNs() < 6 * MS, "one 5 ms slice at most (to 3 digits): " + asKthread.cls("kthread").schedDelay());
    assertTrue(asKthread.kernel().exemptDispatches() >= 7, asKthread.format());
  }

  /** Every task due 10 ms after its enqueue, slice 5 ms; its wakeups placed by the kernel, due at once. */
  private static final Policy PUSHING = (tasks, kernel) -> {
    for (int i = 0; i < tasks.size(); i++) {
      tasks.decide(i).deadline(tasks.enqueuedAtNs(i) + 10 * MS).sliceNs(5 * MS).wakeup(MS, 0);
    }
  };

  /**
   * One CPU: a hog; a kthread of {@code kind} that wakes at 12 ms; a task with a wakeup rule, due
   * at once, that wakes at 12.1 ms, which preempts the hog (due at 15 ms) unless something keeps
   * it out. Both first ran at 5 ms, when the hog's first slice ended.
   */
  private static SimTrace wakeupBesideAKthread(Exemption kind) {
    Workload w = Workload.builder("kthread-first", 5)
        .group().task("hog", "user", 100, 0, Program.builder().run(40 * MS).exit().build())
        .group().task("kworker/u8:3", "kthread", 100, 0, Program.builder().sleep(7 * MS).run(MS).exit().build(), kind)
        .group().task("waker", "user", 100, 0, Program.builder().run(100 * US).sleep(7 * MS).run(3 * MS).exit().build())
        .build();
    SimTrace trace = new SimTrace();
    SimKernel k = new SimKernel(w, config(1));
    trace.watch(k);
    SimMetrics m = k.runToCompletion(PUSHING);
    assertEquals(SimKernel.EXIT_DONE, m.exit().kind(), m.format());
    assertTrue(m.kernel().ruleDispatches() > 0, "the waker had a rule: " + m.format());
    return trace;
  }

  private static long firstRunAfter(SimTrace t, int pid, long at) {
    return t.runsOf(pid).stream().mapToLong(SimTrace.Run::at).filter(x -> x >= at).min().orElseThrow();
  }

  @Test
  void noWakeupPreemptsACpuWhereAWokenKthreadWaits() {
    for (Exemption kind : new Exemption[] {Exemption.KTHREAD, Exemption.PERCPU_KTHREAD, Exemption.RECLAIM_KTHREAD}) {
      SimTrace t = wakeupBesideAKthread(kind);
      long kthreadAt = firstRunAfter(t, pid(1), 12 * MS);
      long wakerAt = firstRunAfter(t, pid(2), 12 * MS);
      // not preempting: the hog, alone until then, had its slice refilled (SCX_SLICE_DFL) and ends that first
      assertTrue(kthreadAt <= 10 * MS + SimMachine.SCX_SLICE_DFL + MS, kind + ": by the end of the hog's slice: " + t.runs);
      assertTrue(wakerAt > kthreadAt, kind + ": the rule's wakeup did not go ahead of it: " + t.runs);
    }
  }
}
