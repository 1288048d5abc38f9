package javaland.runtime.kernel.sim;

import static javaland.runtime.kernel.sim.SimTrace.pid;
import static javaland.runtime.kernel.sim.Workload.MS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javaland.policies.DeadlinePolicy;
import javaland.policies.FifoPolicy;
import javaland.runtime.kernel.Exemption;
import javaland.runtime.kernel.KernelParams;
import org.junit.jupiter.api.Test;

/** The simulated kernel emits the scheduling events bpf/javaland.bpf.c emits, where its callbacks would. */
class SimEventsTest {
  private static final int NEW = 0;
  private static final int RUNNABLE = 1;
  private static final int RUNNING = 2;
  private static final int BLOCKED = 3;
  private static final int DEAD = 4;

  /**
   * Checks the stream as sched_ext orders the callbacks: enable before a task's first runnable,
   * which is its fork; running only when runnable and its CPU free; stopping on the CPU it runs
   * on; a blocked task runnable again only by a wakeup, a still-runnable one running again
   * without one; nothing after its death. A waker named runs on the event's CPU. Returns the
   * scheduling delays the stream shows (runnable or stopped still runnable, to running), for
   * comparison with the simulator's own.
   */
  private static long[] check(Workload w, SimTrace trace, String what) {
    assertEquals(w.tasks().size(), trace.tasks.size(), what + ": one task event per task");
    for (SimTrace.Task t : trace.tasks) {
      TaskSpec s = w.tasks().get(t.pid() - SimKernel.PID_BASE);
      assertEquals(pid(s.groupBase()), t.tgid(), what);
      assertEquals(s.weight(), t.weight(), what);
      assertEquals(s.exempt(), t.exempt(), what);
      assertTrue(s.comm().startsWith(t.comm()) && t.comm().length() <= 15, what + ": " + t.comm());
    }
    Map<Integer, Integer> state = new HashMap<>();
    Map<Integer, Long> since = new HashMap<>();
    Map<Integer, Integer> onCpu = new HashMap<>();
    Map<Integer, Integer> cpuRuns = new HashMap<>();
    long count = 0;
    long sum = 0;
    long max = 0;
    long named = 0;
    for (SimTrace.Event e : trace.events) {
      int st = state.getOrDefault(e.pid(), NEW);
      String at = what + ": " + e + " in state " + st;
      switch (e.kind()) {
        case 'R' -> {
          assertTrue(st == NEW ? !e.flag() : st == BLOCKED && e.flag(), at);
          if (e.waker() != 0) {
            assertEquals(e.waker(), cpuRuns.get(e.cpu()), at + ": the waker runs on the event's CPU");
            named++;
          } else {
            assertNull(cpuRuns.get(e.cpu()), at + ": waker 0 on a busy CPU");
          }
          state.put(e.pid(), RUNNABLE);
          since.put(e.pid(), e.at());
        }
        case 'S' -> {
          assertEquals(RUNNABLE, st, at);
          assertNull(cpuRuns.get(e.cpu()), at + ": its CPU is free");
          long d = e.at() - since.get(e.pid());
          count++;
          sum += d;
          max = Math.max(max, d);
          state.put(e.pid(), RUNNING);
          onCpu.put(e.pid(), e.cpu());
          cpuRuns.put(e.cpu(), e.pid());
        }
        default -> {
          assertEquals(RUNNING, st, at);
          assertEquals(onCpu.get(e.pid()), e.cpu(), at);
          assertFalse(e.flag() && e.dead(), at);
          cpuRuns.remove(e.cpu());
          state.put(e.pid(), e.dead() ? DEAD : e.flag() ? RUNNABLE : BLOCKED);
          since.put(e.pid(), e.at());
        }
      }
    }
    return new long[] {count, sum, max, named};
  }

  @Test
  void everyWorkloadsEventsAreOrderedAsTheCallbacksAndGiveTheSimulatorsDelays() {
    for (String name : Workloads.NAMES) {
      for (SimConfig c : new SimConfig[] {SimConfig.of(3), SimConfig.of(SimConfig.topology(2, 2, 2)).withRingCapacity(2)}) {
        Workload w = Workloads.named(name, 5, c.topology().nrCpus(), 100 * MS);
        SimKernel k = new SimKernel(w, c);
        SimTrace trace = new SimTrace().watch(k);
        SimMetrics m = k.runToCompletion(new DeadlinePolicy());
        String what = name + " ring " + c.ringCapacity();
        long[] d = check(w, trace, what);
        SimMetrics.Latency sd = m.schedDelay();
        assertEquals(m.contextSwitches(), d[0], what + ": one running per context switch");
        assertEquals(sd.count(), d[0], what);
        // HdrHistogram keeps 3 significant digits.
        assertEquals(d[2], sd.maxNs(), d[2] * 0.001 + 1, what);
        assertEquals(d[1] / (double) d[0], sd.meanNs(), sd.meanNs() * 0.002 + 1, what);
        if (name.equals("forkjoin") || name.equals("server")) assertTrue(d[3] > 0, what + ": posts name their wakers");
      }
    }
  }

  @Test
  void slicesAreTheDispatchedOnesAndWhatIsLeftOfThem() {
    // Two hogs on one CPU under FIFO (its slices: the kernel's 5 ms); a third task blocks 1 ms into its slice.
    Workload w = Workload.builder("slices", 1).hogs(2, 12 * MS)
        .group().task("napper", "interactive", 100, 30 * MS, Program.builder().run(MS).sleep(MS).run(MS).exit().build())
        .build();
    SimKernel k = new SimKernel(w, SimConfig.of(1).withParams(KernelParams.parse(Map.of("kernel.slice_us", 5_000.0))));
    SimTrace trace = new SimTrace().watch(k);
    k.runToCompletion(new FifoPolicy());
    check(w, trace, "slices");
    List<SimTrace.Event> hog = trace.eventsOf(pid(0));
    assertEquals(5 * MS, hog.stream().filter(e -> e.kind() == 'S').findFirst().orElseThrow().sliceNs());
    SimTrace.Event preempted = hog.stream().filter(e -> e.kind() == 'P' && e.flag()).findFirst().orElseThrow();
    assertEquals(0, preempted.sliceNs(), "its slice ran out: " + hog);
    assertTrue(hog.getLast().dead(), "its last switch-out: " + hog);
    SimTrace.Event nap = trace.eventsOf(pid(2)).stream().filter(e -> e.kind() == 'P').findFirst().orElseThrow();
    assertFalse(nap.flag() || nap.dead(), "a sleep: " + nap);
    assertEquals(4 * MS, nap.sliceNs(), "5 ms less the 1 ms it ran");
  }

  @Test
  void aPostNamesThePosterOnItsCpuAndATimerWhateverRunsWhereTheTaskSlept() {
    // A posts to B and then runs on; B's timer wakeup comes while C runs on B's CPU.
    Program a = Program.builder().run(2 * MS).post(1).run(5 * MS).exit().build();
    Program b = Program.builder().waitFor(1).run(MS).sleep(MS).run(MS).exit().build();
    Workload w = Workload.builder("posts", 1)
        .group().task("a", "batch", 100, 0, a).task("b", "interactive", 100, 0, b)
        .group().task("c", "batch", 100, 3 * MS + MS / 2, Program.builder().run(10 * MS).exit().build())
        .build();
    SimKernel k = new SimKernel(w, SimConfig.of(2));
    SimTrace trace = new SimTrace().watch(k);
    k.runToCompletion(new FifoPolicy());
    check(w, trace, "posts");
    List<SimTrace.Event> wakeups = trace.eventsOf(pid(1)).stream().filter(e -> e.kind() == 'R' && e.flag()).toList();
    assertEquals(2, wakeups.size(), trace.events.toString());
    SimTrace.Event post = wakeups.get(0);
    assertEquals(2 * MS, post.at());
    assertEquals(pid(0), post.waker(), "the poster: " + post);
    assertEquals(trace.firstRun(pid(0)).cpu(), post.cpu(), "on the poster's CPU");
    SimTrace.Event timer = wakeups.get(1);
    SimTrace.Event slept = trace.eventsOf(pid(1)).stream().filter(e -> e.kind() == 'P').findFirst().orElseThrow();
    assertEquals(slept.cpu(), timer.cpu(), "where it went to sleep: " + trace.events);
    assertEquals(pid(2), timer.waker(), "what an interrupt there would find running: " + trace.events);
  }

  @Test
  void exemptTasksAreAnnouncedByKindAndTheDispatcherPreemptsStillRunnable() {
    Program hog = Program.builder().run(40 * MS).exit().build();
    Workload w = Workload.builder("kinds", 1)
        .group().task("hog", "batch", 100, 0, hog)
        .group().task("javaland-dispatch", "exempt", 100, 0, Program.builder().sleep(12 * MS).run(MS).exit().build(),
            Exemption.DISPATCHER)
        .build();
    SimKernel k = new SimKernel(w, SimConfig.of(1));
    SimTrace trace = new SimTrace().watch(k);
    k.runToCompletion(new FifoPolicy());
    check(w, trace, "kinds");
    assertEquals(Exemption.DISPATCHER, trace.tasks.get(1).exempt());
    assertEquals("javaland-dispat", trace.tasks.get(1).comm(), "15 bytes, as task->comm");
    long woke = trace.eventsOf(pid(1)).stream().filter(e -> e.kind() == 'R' && e.flag()).findFirst().orElseThrow().at();
    assertEquals(woke, trace.runsOf(pid(1)).getLast().at(), "it takes its CPU at once: " + trace.events);
    assertTrue(trace.eventsOf(pid(0)).stream().anyMatch(e -> e.kind() == 'P' && e.flag() && e.at() == woke),
        "the hog is preempted as it wakes: " + trace.events);
  }

  @Test
  void aRunThatEndsTakesItsRunningTasksOffStillRunnable() {
    Workload w = Workload.builder("endless", 1).hogs(3, 10 * 1000 * MS).build();
    SimKernel k = new SimKernel(w, SimConfig.of(2).withHorizon(50 * MS));
    SimTrace trace = new SimTrace().watch(k);
    k.runToCompletion(new FifoPolicy());
    check(w, trace, "endless");
    List<SimTrace.Event> last = trace.events.subList(trace.events.size() - 2, trace.events.size());
    for (SimTrace.Event e : last) {
      assertEquals('P', e.kind(), last.toString());
      assertEquals(50 * MS, e.at());
      assertTrue(e.flag() && !e.dead(), last.toString());
    }
  }
}
