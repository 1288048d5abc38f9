package javaland.trace;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import javaland.runtime.kernel.sim.SimConfig;
import javaland.runtime.kernel.sim.SimKernel;
import javaland.runtime.kernel.sim.SimMetrics;
import javaland.runtime.kernel.sim.Workload;
import javaland.runtime.kernel.sim.Workloads;
import javaland.policies.DeadlinePolicy;
import javaland.trace.TraceRecord.Switch;
import javaland.trace.TraceRecord.TaskInfo;
import javaland.trace.TraceRecord.Wakeup;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The one recorder on the simulated kernel: a simulated run recorded as a trace says what the
 * simulator measured (the BPF kernel's events: SchedEventRecorderTest).
 */
class SchedEventRecorderSimTest {
  @TempDir Path dir;
  private SliceStats slices;

  private SimMetrics record(Workload w, SimConfig c, Path file) throws IOException {
    SimKernel k = new SimKernel(w, c);
    try (SchedEventRecorder rec = SchedEventRecorder.attach(k, w, file, Map.of("policy", "deadline"))) {
      SimMetrics m = k.runToCompletion(new DeadlinePolicy());
      slices = rec.slices();
      return m;
    }
  }

  /**
   * What a replay does with the stream: per task, runnable since (a wakeup, or a switch-out in a
   * runnable state) until switched in; counts switches and migrations.
   */
  static final class Replay {
    final Map<Integer, Long> runnableSince = new HashMap<>();
    final Map<Integer, Integer> lastCpu = new HashMap<>();
    final Map<Integer, TaskInfo> tasks = new HashMap<>();
    long delays;
    long delaySum;
    long delayMax;
    long switchesIn;
    long migrations;
    long exits;
    long wakings;
    long wakersRunning; // wakings on a CPU where a task runs: the replay's wakeup edges
    final Map<Integer, Integer> cpuRuns = new HashMap<>();

    void accept(TraceRecord r) {
      switch (r) {
        case TaskInfo t -> tasks.put(t.pid(), t);
        case Wakeup w -> {
          runnableSince.putIfAbsent(w.pid(), w.timeNs());
          if (w.type() == EventType.WAKING) {
            wakings++;
            if (cpuRuns.getOrDefault(w.cpu(), 0) != 0) wakersRunning++;
          }
        }
        case Switch s -> {
          cpuRuns.put(s.cpu(), s.nextPid());
          if (s.prevPid() != 0 && s.prevState().runnable()) runnableSince.put(s.prevPid(), s.timeNs());
          if (s.nextPid() != 0) {
            Long since = runnableSince.remove(s.nextPid());
            long d = since == null ? 0 : s.timeNs() - since;
            delays++;
            delaySum += d;
            delayMax = Math.max(delayMax, d);
            switchesIn++;
            Integer prev = lastCpu.put(s.nextPid(), s.cpu());
            if (prev != null && prev != s.cpu()) migrations++;
          }
        }
        case TraceRecord.Exit e -> exits++;
        default -> { }
      }
    }
  }

  @Test
  void aRecordedRunReproducesTheSimulatorsMeasurements() throws IOException {
    Workload w = Workloads.named("mix", 7, 8, 200 * Workload.MS);
    SimConfig c = SimConfig.of(SimConfig.topology(1, 4, 2));
    Path f = dir.resolve("mix.jlt");
    SimMetrics m = record(w, c, f);

    Replay replay = new Replay();
    try (TraceReader r = TraceReader.open(f)) {
      assertEquals(TraceHeader.CLOCK_SIM, r.header().clock());
      assertEquals(SchedEventRecorder.SOURCE_SIM, r.header().metadata().get("source"));
      assertEquals(c.topology(), r.header().topology());
      assertEquals("mix", r.header().metadata().get("workload"));
      assertEquals("deadline", r.header().metadata().get("policy"));
      for (TraceRecord rec; (rec = r.next()) != null; ) replay.accept(rec);
      TraceSummary s = r.summary();
      assertEquals(w.tasks().size(), s.tasks());
      // What the BPF kernel records and nothing else: no ring records, decisions or fallbacks.
      for (EventType t : new EventType[] {EventType.QUEUED, EventType.DECIDED, EventType.FALLBACK, EventType.WAKEUP}) {
        assertEquals(0, s.count(t), t.name());
      }
      assertEquals(w.tasks().size(), s.count(EventType.WAKEUP_NEW), "one fork per task");
      assertTrue(s.count(EventType.WAKING) > 0);
      assertEquals(0, s.outOfOrder());
      assertEquals(m.makespanNs(), s.lastNs(), "the last event is the last exit's switch");
    }
    assertEquals(w.tasks().size(), replay.exits);
    assertEquals(m.contextSwitches(), replay.switchesIn);
    assertEquals(m.migrations(), replay.migrations);
    assertEquals(m.schedDelay().count(), replay.delays);
    // HdrHistogram keeps 3 significant digits: the simulator's max is within 0.1% of the exact one.
    assertEquals(replay.delayMax, m.schedDelay().maxNs(), replay.delayMax * 0.001 + 1);
    assertEquals(replay.delaySum / (double) replay.delays, m.schedDelay().meanNs(), m.schedDelay().meanNs() * 0.002 + 1);
    assertTrue(replay.tasks.values().stream().anyMatch(t -> t.label().equals("interactive")), "the tasks' classes");
    assertTrue(replay.wakersRunning > 0 && replay.wakersRunning <= replay.wakings, replay.wakersRunning + " of " + replay.wakings);
    assertEquals(m.contextSwitches(), slices.runs(), "every run was the policy's: " + slices.describe());
  }

  @Test
  void theSameRunGivesTheSameBytes() throws IOException {
    Workload w = Workloads.named("server", 3, 4, 100 * Workload.MS);
    Path a = dir.resolve("a.jlt");
    Path b = dir.resolve("b.jlt");
    record(w, SimConfig.of(4), a);
    record(w, SimConfig.of(4), b);
    assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b));
  }

  @Test
  void everyTaskLeavesItsCpuBeforeItRunsElsewhere() throws IOException {
    // Every workload, and a ring so small that wakeups fall back to the shared queue unseen.
    for (String name : Workloads.NAMES) {
      for (SimConfig c : new SimConfig[] {SimConfig.of(3), SimConfig.of(SimConfig.topology(2, 2, 2)).withRingCapacity(2)}) {
        Workload w = Workloads.named(name, 11, c.topology().nrCpus(), 100 * Workload.MS);
        Path f = dir.resolve(name + c.ringCapacity() + ".jlt");
        SimMetrics m = record(w, c, f);
        checkConsistent(f, name + " ring " + c.ringCapacity());
        Replay replay = new Replay();
        try (TraceReader r = TraceReader.open(f)) {
          for (TraceRecord rec; (rec = r.next()) != null; ) replay.accept(rec);
        }
        assertEquals(m.contextSwitches(), replay.switchesIn, name);
        assertEquals(m.migrations(), replay.migrations, name);
      }
    }
  }

  /** Each CPU's switches chain (prev is what ran there), and no task runs on two CPUs at once. */
  private static void checkConsistent(Path f, String what) throws IOException {
    Map<Integer, Integer> runningOn = new HashMap<>();
    Map<Integer, Integer> cpuRuns = new HashMap<>();
    try (TraceReader r = TraceReader.open(f)) {
      for (TraceRecord rec; (rec = r.next()) != null; ) {
        if (!(rec instanceof Switch s)) continue;
        assertEquals(cpuRuns.getOrDefault(s.cpu(), 0), s.prevPid(), what + ": switch on CPU " + s.cpu() + " at " + s.timeNs());
        if (s.prevPid() != 0) runningOn.remove(s.prevPid());
        if (s.nextPid() != 0) {
          Integer other = runningOn.put(s.nextPid(), s.cpu());
          assertEquals(null, other, what + ": " + s.nextPid() + " runs on two CPUs at " + s.timeNs());
        }
        cpuRuns.put(s.cpu(), s.nextPid());
      }
    }
  }
}
