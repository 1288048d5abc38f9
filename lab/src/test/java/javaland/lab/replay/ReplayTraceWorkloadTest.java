package javaland.lab.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javaland.lab.replay.TraceWorkload.TaskModel;
import javaland.runtime.kernel.Exemption;
import javaland.runtime.kernel.sim.SimKernel;
import javaland.runtime.kernel.sim.TaskSpec;
import javaland.runtime.kernel.sim.Workload;
import javaland.trace.EventType;
import javaland.trace.ImportOptions;
import javaland.trace.TaskState;
import javaland.trace.TraceImporter;
import javaland.trace.TraceParseException;
import javaland.trace.TraceRecord.Switch;
import javaland.trace.TraceRecord.TaskInfo;
import javaland.trace.TraceRecord.Wakeup;
import javaland.trace.TraceRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Traces become per-task programs: bursts, sleeps, wakeup edges, starts and exits. */
class ReplayTraceWorkloadTest {
  @TempDir Path dir;

  static Path sample(String name) {
    try {
      return Path.of(ReplayTraceWorkloadTest.class.getResource("/traces/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Map<Integer, String> programs(TraceWorkload tw) {
    return tw.tasks().stream().collect(Collectors.toMap(TaskModel::pid, TaskModel::describe));
  }

  /**
   * The sample scenario (see ftrace-trace.txt), times from its first event (5173.318123):
   * Web Content runs from 0, is preempted by kworker/1:2 at 907 us and back at 938 us, blocks
   * (D) at 2377 us: one burst of 907 + 1439 us. bash ran since before the trace (its CPU shows
   * nothing earlier), sleeps at 107 us, is woken at 1987 us by gcc (running on CPU 0, the waking
   * CPU) and runs 880 us. gcc, forked at 47 us, runs 1210 us on CPU 3, is preempted, runs again
   * on CPU 0 from 1292 us, wakes bash after 695 us and exits 10 us later.
   */
  @Test
  void theFtraceSampleGivesItsTasksBurstsSleepsAndWakeupEdge() throws IOException {
    TraceWorkload tw = TraceWorkload.load(sample("ftrace-trace.txt"), TraceWorkload.Options.defaults().withStrict(true));
    assertEquals(List.of(31, 345, 2801, 5001, 4242, 4250, 4649), tw.tasks().stream().map(TaskModel::pid).toList(),
        "pid order, bash and gcc (linked by a wakeup) together in bash's place");
    Map<Integer, String> p = programs(tw);
    assertEquals("run 2.346ms", p.get(4242));
    assertEquals("run 41.000us", p.get(345));
    assertEquals("run 107.000us; waitFor; run 880.000us", p.get(2801));
    assertEquals("run 1.905ms; post #2; run 10.000us", p.get(5001), "bash is task #2 of the workload");
    assertEquals("run 31.000us", p.get(4649));
    assertEquals("run 10.000us", p.get(31));
    assertEquals("run 389.000us", p.get(4250));

    TaskModel bash = tw.task(2801);
    TaskModel gcc = tw.task(5001);
    assertEquals(0, bash.startNs());
    assertEquals(47_000, gcc.startNs(), "starts at its fork");
    assertEquals(887_000, tw.task(4649).startNs(), "starts at its first wakeup");
    assertEquals(1_880_000, bash.sleepNs());
    assertEquals(1, bash.waits());
    assertEquals(1, gcc.posts());
    assertTrue(gcc.exited());
    assertFalse(bash.exited());
    assertEquals(2, bash.groupBase(), "bash and gcc form one group");
    assertEquals(2, gcc.groupBase());
    assertEquals("interactive", bash.label(), "slept 1880 us, ran 987 us");
    assertEquals("batch", tw.task(4242).label());
    assertEquals("Web Content", tw.task(4242).comm());

    TraceWorkload.TraceInfo info = tw.info();
    assertEquals("ftrace", info.format());
    assertEquals(27, info.events());
    assertEquals(17, info.lostEvents());
    assertEquals(4, info.nrCpus());
    assertEquals(2_877_000, info.spanNs());
    assertEquals(1, tw.wakeupEdges());
    assertEquals(11, tw.operations());

    Workload w = tw.workload(3);
    assertEquals(7, w.tasks().size());
    assertEquals(3, w.seed());
    assertEquals("ftrace-trace.txt", w.name());
  }

  @Test
  void withoutWakeupEdgesEveryWakeupIsATimedSleep() throws IOException {
    TraceWorkload tw = TraceWorkload.load(sample("ftrace-trace.txt"), TraceWorkload.Options.defaults().withWakeupEdges(false));
    assertEquals("run 107.000us; sleep 1.880ms; run 880.000us", tw.task(2801).describe());
    assertEquals("run 1.915ms", tw.task(5001).describe());
    assertEquals(0, tw.wakeupEdges());
  }

  /** Every sample format holds the same scenario: the same tasks and, where the format has the events, the same programs. */
  @ParameterizedTest
  @ValueSource(strings = {"ftrace-trace.txt", "ftrace-trace-tgid.txt", "ftrace-trace-pipe.txt", "trace-cmd-report.txt",
      "perf-script.txt", "perf-script-pidtid.txt", "perf-sched-timehist.txt"})
  void everySampleFormatGivesTheSameTasks(String file) throws IOException {
    TraceWorkload tw = TraceWorkload.load(sample(file), TraceWorkload.Options.defaults().withStrict(true));
    assertEquals(0, tw.info().skippedLines());
    Map<Integer, String> p = programs(tw);
    assertEquals(java.util.Set.of(31, 345, 2801, 4242, 4250, 4649, 5001), p.keySet(), file);
    long cpu = tw.tasks().stream().mapToLong(TaskModel::cpuNs).sum();
    assertEquals(2_346_000 + 41_000 + 987_000 + 1_915_000 + 31_000 + 10_000 + 389_000, cpu, file);
    assertEquals("run 107.000us; waitFor; run 880.000us", p.get(2801), file);
    assertEquals("run 1.905ms; post #2; run 10.000us", p.get(5001), file);
    assertEquals(4, tw.nrCpus(), file);
  }

  @Test
  void aBinaryTraceGivesTheSameModelAsItsText() throws IOException {
    Path jlt = dir.resolve("t.jlt");
    TraceImporter.convert(sample("ftrace-trace.txt"), jlt, ImportOptions.lenient());
    TraceWorkload text = TraceWorkload.load(sample("ftrace-trace.txt"));
    TraceWorkload binary = TraceWorkload.load(jlt);
    assertEquals("javaland", binary.info().format());
    assertEquals(programs(text), programs(binary));
    assertEquals(text.info().events(), binary.info().events());
    assertEquals(text.info().lostEvents(), binary.info().lostEvents());
    assertEquals(text.info().lines(), binary.info().lines(), "from the import's counts in the summary");
  }

  @Test
  void malformedLinesAreSkippedAndCountedOrRefusedInStrictMode() throws IOException {
    List<String> lines = new ArrayList<>(Files.readAllLines(sample("ftrace-trace.txt")));
    lines.add(20, "            bash-2801    [000] d..2.  5173.31x: sched_switch: prev_comm=bash garbage");
    Path bad = Files.write(dir.resolve("bad.txt"), lines);
    TraceWorkload tw = TraceWorkload.load(bad);
    assertEquals(1, tw.info().skippedLines());
    assertEquals(7, tw.tasks().size());
    assertTrue(tw.info().errors().getFirst().startsWith(bad + ":21: expected"), tw.info().errors().toString());

    TraceParseException e = assertThrows(TraceParseException.class,
        () -> TraceWorkload.load(bad, TraceWorkload.Options.defaults().withStrict(true)));
    assertEquals(21, e.line());
    assertTrue(e.getMessage().startsWith(bad + ":21: expected"), e.getMessage());
  }

  @Test
  void aMissingFileIsNamed() {
    Path missing = dir.resolve("nope.txt");
    NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> TraceWorkload.load(missing));
    assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
  }

  private static final long US = 1_000;
  private static final long MS = 1_000_000;

  private static List<TraceRecord> records(TraceRecord... r) {
    return List.of(r);
  }

  /** A task that exits and whose pid comes back is two tasks; one that never ran is left out. */
  @Test
  void reusedPidsAreNewTasksAndTasksThatNeverRanAreLeftOut() {
    List<TraceRecord> rs = records(
        new TaskInfo(10, 10, "first", ""),
        new Wakeup(EventType.WAKEUP_NEW, 0, 0, 10, 0),
        new Switch(0, 0, 0, TaskState.RUNNING, 10),
        new TraceRecord.Exit(100 * US, 0, 10),
        new Switch(100 * US, 0, 10, TaskState.ZOMBIE, 0),
        new Wakeup(EventType.WAKEUP, 150 * US, 1, 99, 1), // woken, never runs within the trace
        new TaskInfo(10, 10, "second", "web"),
        new Wakeup(EventType.WAKEUP_NEW, 200 * US, 0, 10, 0),
        new Switch(250 * US, 0, 0, TaskState.RUNNING, 10),
        new Switch(300 * US, 0, 10, TaskState.SLEEPING, 0));
    TraceWorkload tw = TraceWorkload.fromRecords("reuse", rs, 2, true);
    assertEquals(2, tw.tasks().size());
    TaskModel a = tw.tasks().get(0);
    TaskModel b = tw.tasks().get(1);
    assertEquals("first", a.comm());
    assertEquals("run 100.000us", a.describe());
    assertTrue(a.exited());
    assertEquals("second", b.comm());
    assertEquals("web", b.label(), "the trace's label wins over the heuristic");
    assertEquals(200 * US, b.startNs());
    assertEquals("run 50.000us", b.describe());
    assertNull(tw.task(99));
    assertEquals(3, tw.info().traceTasks());
  }

  /**
   * perf sched timehist without --state says nothing about why a task left: a wakeup before it
   * runs again makes it a sleep, none a preemption. A wakeup from an idle CPU or an unknown one
   * is a timed sleep; a lost-events marker makes its CPU's history unknown.
   */
  @Test
  void unknownStatesIdleWakersAndLostEvents() {
    List<TraceRecord> rs = records(
        new Switch(0, 0, 0, TaskState.RUNNING, 1),
        new Switch(100 * US, 0, 1, TaskState.UNKNOWN, 2),  // 1: unknown state, preempted after all
        new Switch(200 * US, 0, 2, TaskState.UNKNOWN, 1),  // 2: unknown state, then woken: a sleep
        new Wakeup(EventType.WAKEUP, 500 * US, 1, 2, 0),   // CPU 1 is unknown: no waker
        new Switch(600 * US, 0, 1, TaskState.SLEEPING, 2),
        new Wakeup(EventType.WAKEUP, 700 * US, 0, 1, 0),   // task 2 runs on CPU 0: it woke 1
        new TraceRecord.Lost(750 * US, 0, 5),
        new Switch(800 * US, 0, 2, TaskState.SLEEPING, 1), // CPU 0 unknown, but 2 knows it ran since 600
        new Switch(900 * US, 1, 3, TaskState.SLEEPING, 0)); // 3 ran on CPU 1 since the trace began
    TraceWorkload tw = TraceWorkload.fromRecords("states", rs, 0, true);
    assertEquals("run 500.000us; waitFor; run 100.000us", tw.task(1).describe(),
        "preempted at 100 us (no wakeup before it ran again): one burst of 100 + 400 us");
    assertEquals("run 100.000us; sleep 300.000us; run 100.000us; post #0; run 100.000us", tw.task(2).describe());
    assertEquals("run 900.000us", tw.task(3).describe());
    assertEquals(0, tw.task(3).startNs());
    assertEquals(5, tw.info().lostEvents());
    assertEquals(2, tw.nrCpus());
  }

  /** A task the recording kernel dispatched itself (label "exempt") is replayed without the policy. */
  @Test
  void exemptTasksAreReplayedAsKernelDispatched() {
    List<TraceRecord> rs = records(
        new TaskInfo(20, 7, "C2 CompilerThre", "exempt"),
        new TaskInfo(30, 30, "stress-ng-cpu", ""),
        new Switch(0, 0, 0, TaskState.RUNNING, 20),
        new Switch(0, 1, 0, TaskState.RUNNING, 30),
        new Switch(3 * MS, 0, 20, TaskState.SLEEPING, 0),
        new Switch(4 * MS, 1, 30, TaskState.SLEEPING, 0));
    TraceWorkload tw = TraceWorkload.fromRecords("exempt", rs, 2, true);
    assertEquals(Exemption.JVM_THREAD, tw.task(20).exempt());
    assertEquals(Exemption.NONE, tw.task(30).exempt());
    Workload w = tw.workload(1);
    assertEquals(List.of(Exemption.JVM_THREAD, Exemption.NONE), w.tasks().stream().map(TaskSpec::exempt).toList());
    assertEquals("exempt-jvm", w.tasks().get(0).label(), "an older trace's plain label, reported by kind");
    ReplayResult r = Replay.run(tw, "fifo", Map.of(), Replay.Options.defaults());
    assertEquals(1, r.kernel().exemptDispatches(), r.format());
    assertEquals(1, r.kernel().queued() + r.kernel().idleDispatches(), "the other task: the policy or the idle fast path");
  }

  /** The trace's own delays: wakeup or preemption to the next switch-in; a task first seen running has none. */
  @Test
  void theTraceDelayIsMeasuredFromTheTraceAlone() {
    List<TraceRecord> rs = records(
        new Switch(0, 1, 0, TaskState.RUNNING, 7),               // 7 runs since before the trace: no delay known
        new Wakeup(EventType.WAKING, 0, 1, 5, 0),
        new Switch(100 * US, 0, 0, TaskState.RUNNING, 5),        // 5 waited 100 us
        new Switch(300 * US, 0, 5, TaskState.PREEMPTED, 6),      // 6 was never woken in the trace: unknown
        new Switch(700 * US, 0, 6, TaskState.SLEEPING, 5),       // 5 waited 400 us after its preemption
        new Switch(900 * US, 0, 5, TaskState.SLEEPING, 0),
        new Switch(900 * US, 1, 7, TaskState.SLEEPING, 0));
    ReplayResult.Delay d = TraceWorkload.fromRecords("delays", rs, 2, true).traceDelay();
    assertEquals(2, d.count());
    assertEquals(100, d.p50(), 0.5);
    assertEquals(400, d.max(), 0.5);

    // More tasks than the model's first arrays hold, each new one woken or forked: one delay each.
    List<TraceRecord> many = new ArrayList<>();
    for (int p = 100; p < 300; p++) {
      many.add(p % 2 == 0 ? new Wakeup(EventType.WAKEUP_NEW, p * US, 0, p, 0) : new TraceRecord.Fork(p * US, 0, 1, p));
      many.add(new Switch(p * US + 10 * US, 0, 0, TaskState.RUNNING, p));
      many.add(new Switch(p * US + 20 * US, 0, p, TaskState.DEAD, 0));
    }
    ReplayResult.Delay m = TraceWorkload.fromRecords("many", many, 1, true).traceDelay();
    assertEquals(200, m.count());
    assertEquals(10, m.max(), 0.1);
  }

  @Test
  void tasksAreNumberedAsTheSimulatorNumbersThem() {
    List<TraceRecord> rs = records(
        new Switch(0, 0, 0, TaskState.RUNNING, SimKernel.PID_BASE + 1),
        new Switch(10 * US, 0, SimKernel.PID_BASE + 1, TaskState.SLEEPING, SimKernel.PID_BASE),
        new Switch(20 * US, 0, SimKernel.PID_BASE, TaskState.DEAD, 0));
    TraceWorkload tw = TraceWorkload.fromRecords("order", rs, 1, true);
    assertEquals(List.of(SimKernel.PID_BASE, SimKernel.PID_BASE + 1), tw.tasks().stream().map(TaskModel::pid).toList());
    assertEquals("pid-" + SimKernel.PID_BASE, tw.tasks().get(0).comm(), "no comm in the trace");
  }
}
