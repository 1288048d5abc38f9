package javaland.telemetry.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * "Recording allocates nothing", checked the way runtime's HotPathAllocationTest checks the
 * dispatch path: HotSpot's per-thread allocation counter (com.sun.management.ThreadMXBean)
 * around rounds of recorded tasks, after the JIT has compiled the recorder; some consecutive
 * rounds must allocate exactly 0 bytes. Snapshots run in between on another thread, as scrapes
 * would, so the interval swap is part of what is measured.
 */
class DispatchRecorderAllocationTest {
  private static final int WARMUP = 3_000_000;
  private static final int ROUND = 200_000;
  private static final int ZERO_ROUNDS_NEEDED = 3;
  private static final int MAX_ROUNDS = 30;

  private final DispatchRecorder recorder = new DispatchRecorder(List.of("a", "b", "c"));
  private final long[] enq = new long[256];
  private final int[] cls = new int[256];
  private final DispatchRecorder.TaskTimes times = new DispatchRecorder.TaskTimes() {
    @Override
    public int taskClass(int i) {
      return cls[i];
    }

    @Override
    public long enqueuedAtNs(int i) {
      return enq[i];
    }
  };

  private static com.sun.management.ThreadMXBean threads() {
    var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    assumeTrue(mx.isThreadAllocatedMemorySupported(), "this JVM cannot count allocated bytes per thread");
    mx.setThreadAllocatedMemoryEnabled(true);
    return mx;
  }

  /** One "task": what the dispatch thread records for it when it records one call per task. */
  private long perTask(long i) {
    recorder.recordSchedDelay((int) (i % 4), 1_000 + (i & 0xffff) * 37);
    recorder.recordRoundTrip(20_000 + (i & 0xfff) * 1_000);
    if ((i & 31) == 31) recorder.recordBatch(32, 5_000);
    return i;
  }

  private void batchOf(int n, long now) {
    for (int k = 0; k < n; k++) {
      enq[k] = now - 1_000 - k * 97L;
      cls[k] = k & 3;
    }
    recorder.recordBatch(times, n, now, 2_000);
  }

  @Test
  void perTaskCallsAllocateNothing() throws Exception {
    steadyStateZero("per-task calls", () -> {
      for (long i = 0; i < ROUND; i++) perTask(i);
    }, ROUND);
  }

  @Test
  void batchesAllocateNothing() throws Exception {
    steadyStateZero("batches of 32", () -> {
      long now = 1_000_000_000L;
      for (int b = 0; b < ROUND / 32; b++) batchOf(32, now += 100_000);
    }, ROUND);
  }

  private void steadyStateZero(String what, Runnable round, int tasksPerRound) throws Exception {
    var mx = threads();
    // scrapes on another thread all along, as in production
    Thread scraper = Thread.ofPlatform().daemon(true).start(() -> {
      while (!Thread.currentThread().isInterrupted()) {
        recorder.snapshot();
        try {
          Thread.sleep(5);
        } catch (InterruptedException e) {
          return;
        }
      }
    });
    try {
      for (int done = 0; done < WARMUP; done += tasksPerRound) round.run();
      long before = mx.getCurrentThreadAllocatedBytes();
      long after = mx.getCurrentThreadAllocatedBytes();
      assertEquals(0, after - before, "reading the allocation counter itself allocated");
      List<Long> rounds = new ArrayList<>();
      int zeros = 0;
      for (int r = 0; r < MAX_ROUNDS && zeros < ZERO_ROUNDS_NEEDED; r++) {
        long b = mx.getCurrentThreadAllocatedBytes();
        round.run();
        long bytes = mx.getCurrentThreadAllocatedBytes() - b;
        rounds.add(bytes);
        zeros = bytes == 0 ? zeros + 1 : 0;
      }
      System.out.println(what + ": bytes allocated per round of " + tasksPerRound + " tasks: " + rounds);
      if (zeros < ZERO_ROUNDS_NEEDED) {
        fail(what + " allocate about " + (double) rounds.getLast() / tasksPerRound + " B per task; per round: " + rounds);
      }
    } finally {
      scraper.interrupt();
      scraper.join();
    }
  }
}
