package javaland.runtime.policy;

import javaland.sdk.TaskClass;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import javaland.runtime.kernel.TaskBatch;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import javaland.sdk.Decision;

/** The shipped policies honour what the rules put in the batch (class, priority, slice bounds, CPUs). */
class TaskClassesTest {
  /** Five identical tasks, one per class (none, latency-critical, interactive, batch, background). */
  static TaskBatch sameTasksEveryClass() {
    TaskBatch b = new TaskBatch(8);
    for (byte c = 0; c <= 4; c++) {
      int i = b.add(100 + c, 100 + c, 0, 4, 100, true, 1, 1_000_000_000L, 500_000, 0);
      b.classify(i, TaskClass.ofId(c), 0, 0, 0, null);
    }
    return b;
  }

  @ParameterizedTest
  @ValueSource(strings = {"deadline", "example"})
  void classesOrderTheDeadlines(String name) {
    TaskBatch b = sameTasksEveryClass();
    RecordingDecisions out = new RecordingDecisions(8);
    PolicyCatalog.builtIn().create(name).schedule(b, new FakeKernelView(4));
    out.record(b);
    long none = out.deadline[0];
    long lc = out.deadline[1];
    long interactive = out.deadline[2];
    long batch = out.deadline[3];
    long background = out.deadline[4];
    assertTrue(lc < interactive && interactive < none && none < batch && batch < background,
        "lc " + lc + ", interactive " + interactive + ", none " + none + ", batch " + batch + ", background " + background);
  }

  @ParameterizedTest
  @ValueSource(strings = {"deadline", "example"})
  void priorityMovesTheDeadlineWithinAClass(String name) {
    TaskBatch b = new TaskBatch(4);
    for (int p : new int[] {-100, 0, 100}) {
      int i = b.add(200 + p, 1, 0, 4, 100, true, 1, 1_000_000_000L, 0, 0);
      b.classify(i, TaskClass.BATCH, p, 0, 0, null);
    }
    RecordingDecisions out = new RecordingDecisions(4);
    PolicyCatalog.builtIn().create(name).schedule(b, new FakeKernelView(4));
    out.record(b);
    assertTrue(out.deadline[2] < out.deadline[1] && out.deadline[1] < out.deadline[0]);
  }

  @ParameterizedTest
  @ValueSource(strings = {"deadline", "example"})
  void sliceBoundsAndPreferredCpusAreHonoured(String name) {
    TaskBatch b = new TaskBatch(4);
    int lo = b.add(1, 1, 0, 4, 100, true, 1, 1_000_000_000L, 0, 0);
    b.classify(lo, TaskClass.BATCH, 0, 150_000_000L, 0, null); // at least 150 ms
    int hi = b.add(2, 2, 0, 4, 100, false, 1, 1_000_000_000L, 0, 0);
    b.classify(hi, TaskClass.LATENCY_CRITICAL, 0, 0, 200_000L, null); // at most 200 us
    int pinned = b.add(3, 3, 0, 4, 100, true, 1, 1_000_000_000L, 0, 0);
    b.classify(pinned, TaskClass.NONE, 0, 0, 0, new long[] {0b1100}); // prefers CPUs 2-3
    RecordingDecisions out = new RecordingDecisions(4);
    FakeKernelView k = new FakeKernelView(4).idle(0, 3);
    PolicyCatalog.builtIn().create(name).schedule(b, k);
    out.record(b);
    assertEquals(150_000_000L, out.slice[0]);
    assertEquals(200_000L, out.slice[1]);
    assertEquals(3, out.cpu[2], "the idle preferred CPU, not idle CPU 0 it last ran on");
    k.idle(0);
    out = new RecordingDecisions(4);
    PolicyCatalog.builtIn().create(name).schedule(b, k);
    out.record(b);
    assertEquals(Decision.ANY_CPU, out.cpu[2], "no preferred CPU idle: the shared queue");
  }
}
