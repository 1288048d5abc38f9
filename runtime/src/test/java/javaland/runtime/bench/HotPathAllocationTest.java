package javaland.runtime.bench;

import javaland.sdk.TaskClass;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javaland.runtime.kernel.TaskBatch;
import javaland.runtime.kernel.bpf.WireCodecBenchmark;
import javaland.runtime.policy.PolicyCatalog;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import javaland.sdk.Decision;

/**
 * "The hot path allocates nothing", checked in CI: the path of {@link WireCodecBenchmark} (ring
 * buffer → TaskBatch → policy → user ring buffer), run until the JIT has compiled it, must then
 * allocate exactly 0 bytes over thousands of batches, for every shipped policy.
 *
 * <p>Allocation is counted per thread by HotSpot (com.sun.management.ThreadMXBean): reading the
 * counter allocates nothing itself (checked below), so no slack is allowed. Before C2 compiles
 * the path, the interpreter and C1 may allocate (no escape analysis), so the test warms up and
 * then requires a few consecutive rounds of zero; a path that allocates per batch or per task
 * never gets one.
 */
class HotPathAllocationTest {
  private static final int WARMUP_TASKS = 3_000_000;
  private static final int ROUND_BATCHES = 2_000;
  private static final int ZERO_ROUNDS_NEEDED = 3;
  private static final int MAX_ROUNDS = 30;

  static Stream<Arguments> cases() {
    List<Arguments> out = new ArrayList<>();
    for (String policy : PolicyCatalog.builtIn().names()) {
      for (int n : new int[] {1, 32, 256}) out.add(Arguments.of(policy, n));
    }
    return out.stream();
  }

  private static com.sun.management.ThreadMXBean threads() {
    var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    assumeTrue(mx.isThreadAllocatedMemorySupported(), "this JVM cannot count allocated bytes per thread");
    mx.setThreadAllocatedMemoryEnabled(true);
    return mx;
  }

  @ParameterizedTest(name = "{0}, {1} tasks per batch")
  @MethodSource("cases")
  void steadyStateBatchAllocatesNothing(String policy, int n) {
    var mx = threads();
    WireCodecBenchmark path = WireCodecBenchmark.of(n, policy);
    try {
      checkOneBatch(path, n);

      for (int done = 0; done < WARMUP_TASKS; done += n) path.batch();
      long[] baseline = measure(mx, () -> {});
      assertEquals(0, baseline[0], "reading the allocation counter itself allocated");

      List<Long> rounds = new ArrayList<>();
      int zeros = 0;
      for (int r = 0; r < MAX_ROUNDS && zeros < ZERO_ROUNDS_NEEDED; r++) {
        long bytes = measure(mx, () -> {
          for (int b = 0; b < ROUND_BATCHES; b++) path.batch();
        })[0];
        rounds.add(bytes);
        zeros = bytes == 0 ? zeros + 1 : 0;
      }
      if (zeros < ZERO_ROUNDS_NEEDED) {
        long last = rounds.getLast();
        fail("the hot path allocates about " + last / ROUND_BATCHES + " B per batch of " + n
            + " tasks; bytes per round of " + ROUND_BATCHES + " batches: " + rounds);
      }
      checkOneBatch(path, n); // still correct after all that
    } finally {
      path.tearDown();
    }
  }

  private static long[] measure(com.sun.management.ThreadMXBean mx, Runnable r) {
    long before = mx.getCurrentThreadAllocatedBytes();
    r.run();
    long after = mx.getCurrentThreadAllocatedBytes();
    return new long[] {after - before};
  }

  /** One batch decides for every task read, once, with its pid and seq. */
  private static void checkOneBatch(WireCodecBenchmark path, int n) {
    assertEquals(n, path.batch(), "tasks read");
    TaskBatch tasks = path.lastBatchTasks();
    assertEquals(n, tasks.size());
    Map<Long, Long> seqByPid = new HashMap<>();
    for (int k = 0; k < n; k++) {
      assertEquals(WireCodecBenchmark.pid(k), tasks.pid(k), "pid of record " + k);
      assertEquals(WireCodecBenchmark.seq(k), tasks.seq(k), "seq of record " + k);
      assertEquals("worker-" + k, tasks.comm(k));
      // rules: the classifier filled the class from its cache (see WireCodecBenchmark's rules)
      assertEquals(k <= 4 ? TaskClass.LATENCY_CRITICAL : TaskClass.BATCH, tasks.taskClass(k), "class of " + k);
      seqByPid.put((long) tasks.pid(k), tasks.seq(k));
    }
    assertEquals(n, path.lastBatchDecisions(), "decisions written");
    for (int k = 0; k < n; k++) {
      long pid = path.decisionField(k, "pid");
      Long seq = seqByPid.remove(pid);
      assertTrue(seq != null, "decision " + k + " for pid " + pid + ": unknown or twice");
      assertEquals(seq, path.decisionField(k, "seq"), "seq of the decision for pid " + pid);
      long cpu = path.decisionField(k, "cpu");
      assertTrue(cpu == Decision.ANY_CPU || (cpu >= 0 && cpu < 8), "cpu " + cpu);
      assertTrue(path.decisionField(k, "slice_ns") > 0);
    }
  }
}
