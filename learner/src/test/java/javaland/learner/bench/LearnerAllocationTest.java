package javaland.learner.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * "Deciding and updating allocates nothing", as runtime's HotPathAllocationTest checks the
 * dispatch path: after the JIT has compiled it, {@link LearnerBenchmark#step} (update + decide,
 * 8 arms, 8 context features, forgetting on) must allocate exactly 0 bytes over thousands of
 * steps, counted per thread by HotSpot. Before C2 compiles the path the interpreter may
 * allocate, so a few consecutive zero rounds are required, not the first.
 */
class LearnerAllocationTest {
  private static final int WARMUP_STEPS = 200_000;
  private static final int ROUND_STEPS = 5_000;

  @ParameterizedTest
  @ValueSource(strings = {"linucb", "lints", "thompson", "egreedy"})
  void decideAndUpdateAllocateNothing(String policy) {
    var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    assumeTrue(mx.isThreadAllocatedMemorySupported(), "this JVM cannot count allocated bytes per thread");
    mx.setThreadAllocatedMemoryEnabled(true);
    LearnerBenchmark b = new LearnerBenchmark();
    b.policy = policy;
    b.setup();
    for (int i = 0; i < WARMUP_STEPS; i++) b.step();
    long tid = Thread.currentThread().threadId();
    long t0 = mx.getThreadAllocatedBytes(tid);
    long t1 = mx.getThreadAllocatedBytes(tid);
    assertEquals(0, t1 - t0, "reading the allocation counter itself allocated");
    List<Long> rounds = new ArrayList<>();
    int zeros = 0;
    for (int r = 0; r < 30 && zeros < 3; r++) {
      long before = mx.getThreadAllocatedBytes(tid);
      for (int i = 0; i < ROUND_STEPS; i++) b.step();
      long bytes = mx.getThreadAllocatedBytes(tid) - before;
      rounds.add(bytes);
      zeros = bytes == 0 ? zeros + 1 : 0;
    }
    if (zeros < 3) fail(policy + " allocates about " + rounds.getLast() / ROUND_STEPS + " B per step; per round: " + rounds);
  }
}
