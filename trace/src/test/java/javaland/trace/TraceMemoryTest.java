package javaland.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Streaming, not loading: a trace ten times longer (same tasks) is read with the same retained
 * state, and the heap still reachable while the reader sits at its end does not grow with it.
 */
class TraceMemoryTest {
  private static final int TASKS = 200;
  private static final int BASE_EVENTS = 300_000;

  @TempDir Path dir;

  /** A synthetic trace: wakeups and switches of TASKS tasks on 8 CPUs. */
  private static Path write(Path file, int events) throws IOException {
    try (TraceWriter w = TraceWriter.create(file, TraceHeader.of("test", 8, null, Map.of("events", "" + events)))) {
      for (int i = 1; i <= TASKS; i++) w.task(1000 + i, 1000, "task-" + i, i % 2 == 0 ? "batch" : "interactive");
      long t = 0;
      for (int i = 0; i < events; i++) {
        t += 500 + (i * 7919L) % 20_000;
        int pid = 1001 + (int) ((i * 2654435761L) % TASKS);
        if (i % 3 == 0) w.wakeup(EventType.WAKEUP, t, i % 8, pid, (i + 1) % 8);
        else w.switchTo(t, i % 8, pid, i % 2 == 0 ? TaskState.SLEEPING : TaskState.PREEMPTED, 1001 + (pid + 1) % TASKS);
      }
    }
    return file;
  }

  /** Reads the whole trace; returns {retained state, heap used after GC with the reader still open}. */
  private static Object[] readAndMeasure(Path file) throws IOException {
    try (TraceReader r = TraceReader.open(file)) {
      long n = 0;
      while (r.next() != null) n++;
      assertEquals(r.summary().events() + TASKS, n, "every event and task definition");
      long used = usedAfterGc();
      return new Object[] {r.retainedState(), used, n};
    }
  }

  private static long usedAfterGc() {
    long best = Long.MAX_VALUE;
    for (int i = 0; i < 3; i++) {
      System.gc();
      best = Math.min(best, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
    }
    return best;
  }

  @Test
  void aTenTimesLongerTraceIsReadWithTheSameMemory() throws IOException {
    Path small = write(dir.resolve("small.jlt"), BASE_EVENTS);
    Path large = write(dir.resolve("large.jlt"), BASE_EVENTS * 10);
    assertTrue(Files.size(large) > 9 * Files.size(small), "the large trace is ten times the small one");

    readAndMeasure(small); // warm up: classes loaded, JIT done
    Object[] s = readAndMeasure(small);
    Object[] l = readAndMeasure(large);

    // The reader's own state: O(tasks + distinct strings), one chunk buffer; nothing per event.
    TraceReader.State expected = new TraceReader.State(TASKS, TASKS + 2, TraceCodec.TARGET_CHUNK);
    assertEquals(expected, s[0]);
    assertEquals(expected, l[0]);

    // And the heap: records held by the reader would be ~40 bytes x 3M events = 120 MB.
    long grew = (long) l[1] - (long) s[1];
    long largeBytes = Files.size(large);
    System.out.printf("trace memory: %d vs %d records, files %d vs %d bytes, heap after reading %d vs %d bytes (+%d)%n",
        s[2], l[2], Files.size(small), largeBytes, s[1], l[1], grew);
    assertTrue(grew < 4 << 20, "heap grew by " + grew + " bytes reading a " + largeBytes + "-byte trace");
  }
}
