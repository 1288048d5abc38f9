package javaland.runtime.kernel.sim;

import static javaland.runtime.kernel.sim.SimTrace.pid;
import static javaland.runtime.kernel.sim.Workload.MS;
import static javaland.runtime.kernel.sim.Workload.SEC;
import static javaland.runtime.kernel.sim.Workload.US;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import javaland.sdk.CpuTopology;
import javaland.runtime.kernel.Exemption;
import javaland.runtime.kernel.ExitInfo;
import javaland.runtime.kernel.KernelStats;
import javaland.runtime.kernel.TaskBatch;
import javaland.runtime.kernel.KernelParams;
import javaland.policies.FifoPolicy;
import javaland.sdk.Policy;
import org.junit.jupiter.api.Test;
import javaland.sdk.Decision;
import java.util.Map;

/** The simulated kernel behaves like bpf/javaland.bpf.c on sched_ext, case by case. */
class SimSemanticsTest {
  private static final Policy IGNORE_ALL = (tasks, kernel) -> { };

  private static SimConfig config(int cpus, boolean fastpath, long rescueNs) {
    return SimConfig.of(cpus).withParams(KernelParams.parse(Map.of("kernel.slice_us", 5_000.0,
        "kernel.rescue_ms", rescueNs / 1e6, "kernel.idle_fastpath", fastpath ? 1.0 : 0.0)));
  }

  /**
   * Drives {@code k} as the dispatch loop does, but hands it what no policy can make through the
   * SDK: each batch decided with the defaults, then with every enqueue counter one ahead
   * ({@code forgeSeq}, due at 0) or submitted a second time for CPU 0 ({@code twice}).
   */
  private static SimMetrics runRaw(SimKernel k, boolean forgeSeq, boolean twice) {
    TaskBatch batch = new TaskBatch(256);
    TaskBatch forged = new TaskBatch(256);
    while (k.exitInfo().isEmpty()) {
      if (k.poll(batch, 50) == 0) continue;
      TaskBatch out = batch;
      if (forgeSeq) {
        forged.clear();
        for (int i = 0; i < batch.size(); i++) {
          forged.add(batch.pid(i), batch.tgid(i), batch.prevCpu(i), batch.nrCpusAllowed(i), batch.weight(i),
              batch.wokeUp(i), batch.seq(i) + 1, batch.enqueuedAtNs(i), batch.execNs(i), batch.vtime(i));
        }
        out = forged;
      }
      for (int i = 0; i < out.size(); i++) {
        if (forgeSeq) out.decide(i).deadline(0);
        else out.decide(i);
      }
      k.submit(out);
      if (twice) {
        for (int i = 0; i < out.size(); i++) out.decide(i).cpu(0);
        k.submit(out);
      }
    }
    return k.metrics();
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  private static Workload single(String comm, long startNs, Program p) {
    return Workload.builder(comm, 1).group().task(comm, "batch", 100, startNs, p).build();
  }

  @Test
  void withTheIdleFastpathWakeupsThatFindAnIdleCpuNeverReachThePolicy() {
    Workload w = Workload.builder("ia", 1).interactive(4, 100 * US, MS, 200 * MS).build();
    SimMetrics on = new SimKernel(w, config(4, true, 100 * MS)).runToCompletion(new FifoPolicy());
    assertEquals(on.contextSwitches(), on.kernel().idleDispatches(), "every wakeup found its CPU idle");
    assertEquals(on.kernel().idleDispatches(), on.kernel().kernelDispatches());
    assertEquals(0, on.kernel().queued());
    assertEquals(0, on.schedDelay().maxNs(), "no round trip, no delay");
    assertEquals(0, on.migrations(), "the previous CPU is preferred");

    SimTrace trace = new SimTrace();
    SimKernel k = new SimKernel(w, config(4, false, 100 * MS));
    SimMetrics off = k.runToCompletion(trace.recording(new FifoPolicy()));
    KernelStats s = off.kernel();
    assertEquals(0, s.idleDispatches());
    assertEquals(0, s.kernelDispatches());
    assertEquals(off.contextSwitches(), s.queued(), "every run went through the policy");
    assertEquals(s.queued(), s.userDispatches());
    assertEquals(s.queued(), s.roundTrips());
    assertTrue(off.schedDelay().p50Ns() >= SimConfig.DEFAULT_ROUND_TRIP_NS, off.schedDelay().toString());
    assertTrue(s.roundTripP50Ns() >= SimConfig.DEFAULT_ROUND_TRIP_NS);
    // Forks arrive without the wakeup flag; wakeups with it, and with no CPU time since.
    for (SimTrace.Row r : trace.rows) {
      boolean fork = r.enqueuedAt() == w.tasks().get(r.pid() - SimKernel.PID_BASE).startNs();
      assertEquals(!fork, r.wokeUp(), r.toString());
      assertEquals(0, r.execNs(), r.toString());
      assertEquals("ia-", r.comm().substring(0, 3));
    }
  }

  @Test
  void aDecisionWithAStaleSeqIsCancelledAndTheTaskRescued() {
    Workload w = Workload.builder("hogs", 1).hogs(4, 20 * MS).build();
    SimMetrics m = runRaw(new SimKernel(w, config(2, true, 5 * MS)), true, false);
    KernelStats s = m.kernel();
    assertEquals(SimKernel.EXIT_DONE, m.exit().kind(), m.format());
    assertTrue(s.queued() > 0);
    assertEquals(s.queued(), s.cancelled());
    assertEquals(0, s.userDispatches());
    assertEquals(s.queued(), s.fallbacks());
    assertEquals(4 * 20 * MS, m.workNs(), "all the work was done anyway");

    // A second decision for the same enqueue is stale too: the first one consumed it.
    SimMetrics m2 = runRaw(new SimKernel(w, config(2, true, 5 * MS)), false, true);
    assertEquals(m2.kernel().queued(), m2.kernel().userDispatches());
    assertEquals(m2.kernel().queued(), m2.kernel().cancelled());
    assertEquals(0, m2.kernel().fallbacks());
  }

  @Test
  void tasksThePolicyIgnoresAreDispatchedByTheKernelAfterRescueNs() {
    Workload w = Workload.builder("hogs", 1).hogs(4, 30 * MS).build();
    SimTrace trace = new SimTrace();
    SimKernel k = new SimKernel(w, config(2, true, 5 * MS));
    trace.watch(k);
    SimMetrics m = k.runToCompletion(IGNORE_ALL);
    KernelStats s = m.kernel();
    assertEquals(SimKernel.EXIT_DONE, m.exit().kind());
    assertEquals(0, s.userDispatches());
    assertTrue(s.queued() > 0);
    assertEquals(s.queued(), s.fallbacks());
    assertEquals(s.kernelDispatches(), s.fallbacks() + s.idleDispatches());
    for (SimTrace.Queued q : trace.queued) {
      SimTrace.Run next = trace.runs.stream().filter(r -> r.pid() == q.pid() && r.at() >= q.at()).findFirst().orElseThrow();
      assertTrue(next.at() - q.at() >= 5 * MS, q + " ran at " + next);
    }
  }

  @Test
  void onAnIdleMachineTheHeartbeatRescues() {
    SimTrace trace = new SimTrace();
    SimKernel k = new SimKernel(single("lonely", 0, Program.builder().run(MS).build()), config(1, false, 5 * MS));
    trace.watch(k);
    SimMetrics m = k.runToCompletion(IGNORE_ALL);
    // No CPU goes through dispatch on its own: the first heartbeat (20 ms) finds it overdue.
    assertEquals(20 * MS, trace.firstRun(pid(0)).at());
    assertEquals(1, m.kernel().heartbeats());
    assertEquals(1, m.kernel().fallbacks());
    assertEquals(SimKernel.EXIT_DONE, m.exit().kind());
  }

  @Test
  void aRescuedTaskQueuesByItsEnqueueTimeAmongDecidedOnes() {
    Workload w = Workload.builder("order", 1)
        .group().task("hog", "batch", 100, 0, Program.builder().run(100 * MS).build())
        .group().task("b", "batch", 100, US, Program.builder().run(500 * US).build())
        .group().task("c", "batch", 100, US, Program.builder().run(MS).build())
        .build();
    Policy p = (tasks, kernel) -> {
      for (int i = 0; i < tasks.size(); i++) {
        if (tasks.commStartsWith(i, ascii("b"))) continue; // left to the rescue
        long lateness = tasks.commStartsWith(i, ascii("hog")) ? 0 : 20 * MS;
        tasks.decide(i).cpu(Decision.ANY_CPU).sliceNs(50 * MS).deadline(tasks.enqueuedAtNs(i) + lateness).vtime(tasks.vtime(i));
      }
    };
    SimTrace trace = new SimTrace();
    SimKernel k = new SimKernel(w, config(1, false, MS));
    trace.watch(k);
    SimMetrics m = k.runToCompletion(p);
    SimTrace.Run hog = trace.firstRun(pid(0));
    SimTrace.Run b = trace.firstRun(pid(1));
    SimTrace.Run c = trace.firstRun(pid(2));
    // c waits in the shared queue due at enqueue + 20 ms; b is rescued after rescue_ns, due at its
    // enqueue time, so it runs first when the hog's slice runs out.
    assertEquals(hog.at() + 50 * MS, b.at());
    assertTrue(b.at() < c.at(), "rescued b first: b at " + b.at() + ", c at " + c.at());
    assertEquals(1, m.kernel().fallbacks());
  }

  @Test
  void deadlinesAreClampedSoNoPolicyCanStarveATask() {
    // The policy puts "late" 10 s after its enqueue and every later task at time 0: without the
    // clamp, late would starve behind the stream; with it, it runs within about a second.
    Workload.Builder b = Workload.builder("clamp", 1)
        .group().task("late", "batch", 100, 0, Program.builder().run(MS).build());
    for (int i = 0; i < 400; i++) {
      b.group().task("eager", "batch", 100, i * 5 * MS, Program.builder().run(5 * MS).build());
    }
    Policy p = (tasks, kernel) -> {
      for (int i = 0; i < tasks.size(); i++) {
        long deadline = tasks.commStartsWith(i, ascii("late")) ? tasks.enqueuedAtNs(i) + 10 * SEC : 0;
        tasks.decide(i).cpu(Decision.ANY_CPU).sliceNs(5 * MS).deadline(deadline).vtime(tasks.vtime(i));
      }
    };
    SimTrace trace = new SimTrace();
    SimKernel k = new SimKernel(w(b), config(1, false, 100 * MS));
    trace.watch(k);
    SimMetrics m = k.runToCompletion(p);
    long late = trace.firstRun(pid(0)).at();
    assertTrue(late <= SEC + 10 * MS, "late ran at " + late + " ns");
    assertEquals(SimKernel.EXIT_DONE, m.exit().kind(), m.format());
  }

  @Test
  void anExpiredSliceGoesBackToThePolicyUnlessNothingElseIsRunnable() {
    SimConfig cfg = config(1, false, 100 * MS);
    SimMetrics alone = new SimKernel(Workload.builder("one", 1).hogs(1, 20 * MS).build(), cfg)
        .runToCompletion(new FifoPolicy());
    assertEquals(1, alone.kernel().queued(), "only its fork; the kernel kept it running");
    assertEquals(1, alone.contextSwitches());

    // Two hogs of different weights: each expiry re-queues with wokeUp=false, exec_ns is the CPU
    // time since the last wakeup and vtime is charged ran_ns * 100 / weight (FIFO echoes vtime).
    Workload two = Workload.builder("two", 1).hogs("heavy", 1, 20 * MS, 100).hogs("light", 1, 20 * MS, 50).build();
    SimTrace trace = new SimTrace();
    new SimKernel(two, cfg).runToCompletion(trace.recording(new FifoPolicy()));
    List<SimTrace.Row> requeues = trace.rows.stream().filter(r -> r.execNs() > 0).toList();
    assertEquals(trace.rows.size() - 2, requeues.size(), "all but the two forks are re-queues");
    assertEquals(6, requeues.size());
    for (SimTrace.Row r : requeues) {
      assertFalse(r.wokeUp(), r.toString());
      assertEquals(0, r.execNs() % (5 * MS), "whole 5 ms slices: " + r);
      int weight = r.pid() == pid(0) ? 100 : 50;
      assertEquals(r.execNs() * 100 / weight, r.vtime(), r.toString());
      assertEquals(0, r.prevCpu());
    }
  }

  @Test
  void endlessSlicesAreCappedSoAPolicyCannotStarveATask() {
    // Deadlines are clamped, and so are slices now: the endless slices that once starved the
    // victim (a stall exit after 5 s) run 100 ms at most, and every task gets its turn.
    Workload w = Workload.builder("starve", 1)
        .hogs(2, 2 * SEC)
        .group().task("victim", "interactive", 100, MS, Program.builder().run(MS).build())
        .build();
    Policy starve = (tasks, kernel) -> {
      for (int i = 0; i < tasks.size(); i++) {
        long slice = tasks.commStartsWith(i, ascii("victim")) ? 50 * MS : -1L; // u64 max: never expires
        tasks.decide(i).cpu(Decision.ANY_CPU).sliceNs(slice).deadline(tasks.enqueuedAtNs(i) + MS).vtime(tasks.vtime(i));
      }
    };
    SimTrace trace = new SimTrace();
    SimKernel k = new SimKernel(w, config(1, false, 100 * MS));
    trace.watch(k);
    SimMetrics m = k.runToCompletion(starve);
    assertEquals(SimKernel.EXIT_DONE, m.exit().kind(), m.format());
    assertFalse(trace.runsOf(pid(2)).isEmpty(), "the victim ran");
    assertTrue(m.kernel().sliceClamped() > 0, m.format());
    assertEquals(4 * SEC + MS, m.workNs(), "all the work done");
  }

  @Test
  void tasksWaitingPastTheWatchdogGetTheSchedulerKickedOut() {
    // The kernel's own slice is an operator's knob (up to 1 s, reverted by the canary's guards
    // when it hurts): with it, eight hogs on one CPU make the last one wait 7 s.
    Workload w = Workload.builder("starve", 1).hogs(8, 10 * SEC).build();
    SimConfig cfg = SimConfig.of(1).withParams(KernelParams.parse(Map.of("kernel.slice_us", 1_000_000.0,
        "kernel.idle_fastpath", 0.0)));
    SimKernel k = new SimKernel(w, cfg);
    Policy kernelSlices = (tasks, kernel) -> {
      for (int i = 0; i < tasks.size(); i++) tasks.decide(i); // slice 0: the kernel's
    };
    SimMetrics m = k.runToCompletion(kernelSlices);
    ExitInfo e = m.exit();
    assertEquals(ExitInfo.ERROR_STALL, e.kind(), m.format());
    assertTrue(e.isError());
    assertEquals("runnable task stall", e.reason());
    assertTrue(e.message().contains("failed to run for 5."), e.message());
    assertTrue(m.makespanNs() > 5 * SEC && m.makespanNs() < 6 * SEC, "" + m.makespanNs());
    assertEquals(e, k.exitInfo().orElseThrow());
  }

  @Test
  void aFullOrCongestedRingSendsTasksToTheFallbackQueue() {
    Workload w = Workload.builder("burst", 1).hogs(16, MS).build();
    SimMetrics full = new SimKernel(w, config(1, false, 100 * MS).withRingCapacity(4)).runToCompletion(new FifoPolicy());
    assertEquals(12, full.kernel().ringFull(), "16 forks at once, room for 4");
    assertEquals(12, full.kernel().kernelDispatches());
    assertEquals(16 * MS, full.workNs());

    SimConfig congested = SimConfig.of(1).withParams(KernelParams.parse(Map.of("kernel.idle_fastpath", 0.0, "kernel.congestion_kb", 2 * 88 / 1024.0)));
    SimMetrics c = new SimKernel(w, congested).runToCompletion(new FifoPolicy());
    assertEquals(13, c.kernel().congested(), "beyond 2 records' worth, tasks bypass the policy");
    assertEquals(0, c.kernel().ringFull());
  }

  @Test
  void perCpuDecisionsStayOnTheirCpuAndImpossibleOnesBounce() {
    Workload w = Workload.builder("hogs", 1).hogs(6, 10 * MS).build();
    SimTrace trace = new SimTrace();
    SimKernel k = new SimKernel(w, config(2, false, 100 * MS));
    trace.watch(k);
    Policy pin = (tasks, kernel) -> {
      for (int i = 0; i < tasks.size(); i++) tasks.decide(i).cpu(1).sliceNs(0).deadline(tasks.enqueuedAtNs(i)).vtime(0);
    };
    SimMetrics m = k.runToCompletion(pin);
    assertTrue(trace.runs.stream().allMatch(r -> r.cpu() == 1), "CPU 0 never takes CPU 1's queue");
    assertEquals(0, m.kernel().bounced());
    assertEquals(0.5, m.utilisation(), 0.01);

    Policy nowhere = (tasks, kernel) -> {
      for (int i = 0; i < tasks.size(); i++) tasks.decide(i).cpu(99).sliceNs(0).deadline(tasks.enqueuedAtNs(i)).vtime(0);
    };
    SimMetrics b = new SimKernel(w, config(2, false, 100 * MS)).runToCompletion(nowhere);
    assertEquals(b.kernel().userDispatches(), b.kernel().bounced());
    assertTrue(b.kernel().bounced() > 0);
  }

  @Test
  void selectCpuPrefersAnIdleSiblingThenTheSameCache() {
    // 8 CPUs; siblings {0,4} {1,5} {2,6} {3,7}; caches {0,2,4,6} and {1,3,5,7}.
    CpuTopology topo = new CpuTopology(8, new int[] {0, 1, 2, 3, 0, 1, 2, 3}, new int[] {0, 1, 0, 1, 0, 1, 0, 1});
    Program hog = Program.builder().run(100 * MS).build();
    Program blip = Program.builder().run(US).build();
    Workload.Builder b = Workload.builder("topo", 1);
    // A task starts on CPU (index % 8): hogs take CPU 0 (and 4); fillers start late.
    b.group().task("hog-a", "batch", 100, 0, hog);
    for (int i = 1; i < 8; i++) b.group().task("filler", "batch", 100, 200 * MS, i == 4 ? hog : blip);
    b.group().task("waker", "interactive", 100, US, blip);   // index 8: previous CPU 0
    SimTrace trace = new SimTrace();
    SimKernel k = new SimKernel(b.build(), SimConfig.of(topo));
    trace.watch(k);
    k.runToCompletion(new FifoPolicy());
    assertEquals(4, trace.firstRun(pid(8)).cpu(), "CPU 0 busy: its SMT sibling");

    // Now CPU 4 is busy too: another CPU of the same cache, not the nearest number.
    Workload.Builder b2 = Workload.builder("topo", 1);
    b2.group().task("hog-a", "batch", 100, 0, hog);
    for (int i = 1; i < 8; i++) b2.group().task(i == 4 ? "hog-b" : "filler", "batch", 100, i == 4 ? 0 : 200 * MS, i == 4 ? hog : blip);
    b2.group().task("waker", "interactive", 100, US, blip);
    SimTrace trace2 = new SimTrace();
    SimKernel k2 = new SimKernel(b2.build(), SimConfig.of(topo));
    trace2.watch(k2);
    k2.runToCompletion(new FifoPolicy());
    assertEquals(2, trace2.firstRun(pid(8)).cpu(), "same LLC as CPU 0");
  }

  @Test
  void exemptTasksAreDispatchedByTheKernelHalfAndNeverReachThePolicy() {
    Program hog = Program.builder().run(30 * MS).exit().build();
    Workload w = Workload.builder("ex", 1)
        .group().task("jvm-gc", "exempt", 100, 0, hog, Exemption.JVM_THREAD)
        .group().task("hog-a", "batch", 100, 0, hog)
        .group().task("hog-b", "batch", 100, 0, hog)
        .build();
    SimTrace trace = new SimTrace();
    SimMetrics m = new SimKernel(w, config(2, false, 100 * MS)).runToCompletion(trace.recording(new FifoPolicy()));
    KernelStats s = m.kernel();
    assertEquals(SimKernel.EXIT_DONE, m.exit().kind(), m.format());
    assertFalse(trace.rows.isEmpty());
    for (SimTrace.Row r : trace.rows) assertFalse(r.comm().startsWith("jvm"), "the policy saw " + r);
    assertTrue(s.exemptDispatches() >= 2, "its start and each slice end: " + s);
    assertEquals(s.exemptDispatches(), s.kernelDispatches(), "no fast path, no rescue: only exemptions " + s);
    assertEquals(trace.rows.size(), s.queued());

    // Alone and woken on idle CPUs, it goes straight to the CPU select_cpu found, fast path or not.
    Workload alone = Workload.builder("ex1", 1)
        .group().task("kworker", "exempt", 100, 0, Program.builder().run(100 * US).sleep(MS).run(100 * US).exit().build(), Exemption.PERCPU_KTHREAD)
        .build();
    SimMetrics a = new SimKernel(alone, config(2, false, 100 * MS)).runToCompletion(IGNORE_ALL);
    assertEquals(SimKernel.EXIT_DONE, a.exit().kind(), a.format());
    assertEquals(0, a.kernel().queued());
    assertEquals(2, a.kernel().exemptDispatches());
    assertEquals(0, a.schedDelay().maxNs());
  }

  /** Two hogs on one CPU (5 ms slices) and one exempt task of {@code kind} waking at 12 ms. */
  private static SimTrace exemptWakingAt12ms(Exemption kind) {
    Program hog = Program.builder().run(40 * MS).exit().build();
    Workload w = Workload.builder("kinds", 1)
        .group().task("hog-a", "batch", 100, 0, hog)
        .group().task("hog-b", "batch", 100, 0, hog)
        .group().task("exempt", "exempt", 100, 0, Program.builder().sleep(12 * MS).run(MS).exit().build(), kind)
        .build();
    SimTrace trace = new SimTrace();
    SimKernel k = new SimKernel(w, config(1, false, 100 * MS));
    trace.watch(k);
    SimMetrics m = k.runToCompletion(new FifoPolicy());
    assertEquals(SimKernel.EXIT_DONE, m.exit().kind(), m.format());
    return trace;
  }

  @Test
  void eachExemptKindIsPlacedAsDispatchExemptPlacesIt() {
    // The dispatch thread takes its CPU at once; the hog it preempts goes back to the policy.
    SimTrace d = exemptWakingAt12ms(Exemption.DISPATCHER);
    SimTrace.Run woke = d.runsOf(pid(2)).getLast();
    assertEquals(12 * MS, woke.at(), "the dispatch thread waits for nothing: " + d.runs);
    assertTrue(d.queued.stream().anyMatch(q -> q.at() == 12 * MS && !q.wokeUp()), "the preempted hog is requeued: " + d.queued);

    // Every kthread waits for the running hog's slice end, then goes first.
    for (Exemption k : List.of(Exemption.RECLAIM_KTHREAD, Exemption.PERCPU_KTHREAD, Exemption.KTHREAD)) {
      SimTrace t = exemptWakingAt12ms(k);
      int at = t.runs.indexOf(t.runsOf(pid(2)).getLast());
      SimTrace.Run before = t.runs.get(at - 1);
      assertTrue(before.at() < 12 * MS, k + ": the hog running at 12 ms is not preempted: " + t.runs);
      assertEquals(before.at() + 5 * MS, t.runs.get(at).at(), k + ": next at its slice end, before hog-b: " + t.runs);
    }

    // The JVM's other threads join the shared queue one slice late: behind the waiting hog.
    SimTrace j = exemptWakingAt12ms(Exemption.JVM_THREAD);
    assertTrue(j.runsOf(pid(2)).getLast().at() > 15 * MS, "behind hog-b: " + j.runs);
  }

  @Test
  void kernelDebugErrorEndsTheSchedulerWithAnErrorExitAtTheNextDispatch() {
    Workload w = Workload.builder("forced", 1).hogs(2, 30 * MS).build();
    SimMetrics on = new SimKernel(w, SimConfig.of(2).withParams(KernelParams.parse(Map.of("kernel.debug_error", 1.0))))
        .runToCompletion(new FifoPolicy());
    assertEquals(ExitInfo.ERROR_BPF, on.exit().kind(), on.format());
    assertTrue(on.exit().message().contains("kernel.debug_error"), on.exit().toString());
    SimMetrics off = new SimKernel(w, SimConfig.of(2)).runToCompletion(new FifoPolicy());
    assertEquals(SimKernel.EXIT_DONE, off.exit().kind(), "off by default: " + off.format());
  }

  private static Workload w(Workload.Builder b) {
    return b.build();
  }
}
