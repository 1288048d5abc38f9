package javaland.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javaland.sdk.CpuTopology;
import javaland.runtime.kernel.Exemption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The BPF runtime's events, written as a trace and read back (the replay's model of them: lab's RecordedTraceWorkloadTest). */
class SchedEventRecorderTest {
  private static final long T0 = RecordedSamples.T0;
  private static final long US = RecordedSamples.US;

  @TempDir Path dir;

  /** A client (200) runs, wakes a server (100) that had slept, and sleeps; the server runs 2 ms and exits. */
  private Path record() throws IOException {
    return RecordedSamples.clientServer(dir);
  }

  @Test
  void theEventsReadBackAsTheSchedulerTracepointsWouldHaveThem() throws IOException {
    Path file = record();
    List<String> got = new ArrayList<>();
    try (TraceReader in = TraceReader.open(file)) {
      TraceHeader h = in.header();
      assertEquals("monotonic", h.clock());
      assertEquals(2, h.nrCpus());
      assertEquals("bpf", h.metadata().get("source"));
      assertEquals("deadline", h.metadata().get("policy"));
      assertEquals("kernel.slice_us=5000", h.metadata().get("parameters"));
      for (TraceRecord rec; (rec = in.next()) != null; ) {
        got.add(switch (rec) {
          case TraceRecord.TaskInfo t -> "task " + t.pid() + " " + t.tgid() + " " + t.comm();
          case TraceRecord.Wakeup w -> w.type() + " " + (w.timeNs() - T0) / US + " cpu" + w.cpu() + " " + w.pid();
          case TraceRecord.Switch s -> "switch " + (s.timeNs() - T0) / US + " cpu" + s.cpu() + " " + s.prevPid()
              + " " + s.prevState() + " -> " + s.nextPid();
          case TraceRecord.Exit x -> "exit " + (x.timeNs() - T0) / US + " " + x.pid();
          case TraceRecord.Lost l -> "lost " + l.count();
          default -> rec.toString();
        });
      }
      TraceSummary s = in.summary();
      assertEquals(7, s.lostEvents());
      assertEquals(2, s.tasks());
      assertEquals("sched_ext on Linux test", s.metadata().get("kernel"));
    }
    assertEquals(List.of(
        "task 100 100 server", "task 200 200 client",
        "switch 0 cpu1 0 RUNNING -> 100",
        "switch 500 cpu1 100 SLEEPING -> 0",
        "WAKEUP_NEW 600 cpu0 200",
        "switch 610 cpu0 0 RUNNING -> 200",
        "WAKING 1610 cpu0 100",
        "switch 1620 cpu0 200 SLEEPING -> 0",
        "switch 1630 cpu0 0 RUNNING -> 100",
        "switch 2630 cpu0 100 PREEMPTED -> 0",
        "switch 2640 cpu0 0 RUNNING -> 100",
        "exit 3640 100",
        "switch 3640 cpu0 100 DEAD -> 0",
        "lost 7"), got);
  }

  @Test
  void theSlicesOfThePolicysTasksAreSummarisedAndExemptTasksLabelledByKind() throws IOException {
    Path file = dir.resolve("slices.jlt");
    SliceStats sl;
    try (SchedEventRecorder r = SchedEventRecorder.create(file, CpuTopology.flat(1), Map.of())) {
      r.task(1, 1, "javaland-dispat", 100, Exemption.DISPATCHER);
      r.task(2, 2, "kworker/0:1", 100, Exemption.PERCPU_KTHREAD);
      r.task(3, 3, "hog", 100, Exemption.NONE);
      r.running(T0, 0, 1, 20_000 * US); // exempt: not the policy's slice
      r.stopping(T0 + 100 * US, 0, 1, true, false, 0);
      for (int i = 0; i < 4; i++) { // 2 ms slices that ran to the tick: 4 ms, 2 ms beyond, nothing left
        long t = T0 + (1 + i) * 10_000 * US;
        r.running(t, 0, 3, 2_000 * US);
        r.stopping(t + 4_000 * US, 0, 3, true, false, 0);
      }
      r.running(T0 + 60_000 * US, 0, 3, 8_000 * US); // one cut short, then a sleep (not preempted)
      r.stopping(T0 + 61_000 * US, 0, 3, true, false, 7_000 * US);
      r.running(T0 + 62_000 * US, 0, 3, 8_000 * US);
      r.stopping(T0 + 63_000 * US, 0, 3, false, false, 7_000 * US);
      sl = r.slices();
    }
    assertEquals(6, sl.runs(), sl.describe());
    assertEquals(5, sl.preempted(), sl.describe());
    assertEquals(2_000 * US, sl.givenNs(0.5));
    assertEquals(4_000 * US, sl.preemptedRunNs(0.5));
    assertEquals(2_000 * US, sl.overrunNs(0.5));
    assertEquals(-7_000 * US, sl.overrunNs(0.0));
    assertEquals(0, sl.leftNs(0.5));
    assertEquals(7_000 * US, sl.leftNs(0.99));
    List<String> labels = new ArrayList<>();
    try (TraceReader in = TraceReader.open(file)) {
      for (TraceRecord rec; (rec = in.next()) != null; ) {
        if (rec instanceof TraceRecord.TaskInfo t) labels.add(t.comm() + "=" + t.label());
      }
    }
    assertEquals(List.of("javaland-dispat=exempt-dispatcher", "kworker/0:1=exempt-percpu", "hog="), labels);
  }

  @Test
  void olderTracesPlainExemptLabelIsReadByComm() {
    assertEquals(Exemption.DISPATCHER, SchedEventRecorder.exemption("exempt", "javaland-dispat"));
    assertEquals(Exemption.PERCPU_KTHREAD, SchedEventRecorder.exemption("exempt", "ksoftirqd/1"));
    assertEquals(Exemption.PERCPU_KTHREAD, SchedEventRecorder.exemption("exempt", "kworker/0:2"));
    assertEquals(Exemption.RECLAIM_KTHREAD, SchedEventRecorder.exemption("exempt", "khugepaged"));
    assertEquals(Exemption.RECLAIM_KTHREAD, SchedEventRecorder.exemption("exempt", "kswapd0"));
    assertEquals(Exemption.JVM_THREAD, SchedEventRecorder.exemption("exempt", "C1 CompilerThre"));
    assertEquals(Exemption.JVM_THREAD, SchedEventRecorder.exemption("exempt-jvm", "ksoftirqd/1"), "a kind named wins");
    assertEquals(Exemption.NONE, SchedEventRecorder.exemption("", "ksoftirqd/1"));
    assertEquals(Exemption.NONE, SchedEventRecorder.exemption("batch", "javaland-dispat"));
  }

  /** The simulated kernel calls it on its simulating thread: a warmed-up recorder allocates nothing per event. */
  @Test
  void recordingAllocatesNothingPerEvent() throws IOException {
    var mx = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    try (SchedEventRecorder r = SchedEventRecorder.create(dir.resolve("alloc.jlt"), CpuTopology.flat(4), Map.of())) {
      for (int p = 0; p < 500; p++) r.task(1000 + p * 7919, 1000, "t" + p, 100, p % 50 == 0 ? Exemption.JVM_THREAD : Exemption.NONE);
      long[] allocated = new long[3];
      for (int round = 0; round < 3; round++) {
        long a0 = mx.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 200_000; i++) {
          int pid = 1000 + (i % 500) * 7919;
          long t = T0 + (round * 200_000L + i) * 10 * US;
          r.runnable(t, i & 3, pid, 0, (i & 1) == 0);
          r.running(t + US, i & 3, pid, 5_000 * US);
          r.stopping(t + 5 * US, i & 3, pid, (i & 2) == 0, false, 4_000 * US);
        }
        allocated[round] = mx.getCurrentThreadAllocatedBytes() - a0;
      }
      // The slices' arrays stop growing at 64 Ki entries; after that, nothing.
      assertEquals(0, allocated[2] / (3 * 200_000), "bytes per event, by round: " + java.util.Arrays.toString(allocated));
    }
  }

  @Test
  void aWriteAfterCloseFailsLoudly() throws IOException {
    Path file = dir.resolve("closed.jlt");
    SchedEventRecorder r = SchedEventRecorder.create(file, CpuTopology.flat(1), Map.of());
    r.close();
    assertThrows(IllegalStateException.class, () -> r.running(T0, 0, 1, 0));
  }
}
