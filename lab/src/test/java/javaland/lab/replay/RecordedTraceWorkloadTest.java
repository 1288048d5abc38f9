package javaland.lab.replay;

import static javaland.trace.RecordedSamples.US;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import javaland.trace.RecordedSamples;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The BPF runtime's events, written as a trace (trace's SchedEventRecorderTest), modelled for a replay. */
class RecordedTraceWorkloadTest {
  @TempDir Path dir;

  @Test
  void theReplayModelSeesBurstsSleepsAndTheWakeupEdge() throws IOException {
    TraceWorkload w = TraceWorkload.load(RecordedSamples.clientServer(dir));
    TraceWorkload.TaskModel server = w.task(100);
    TraceWorkload.TaskModel client = w.task(200);
    assertEquals(500 * US + 2_000 * US, server.cpuNs(), server.describe());
    assertEquals(1_010 * US, client.cpuNs(), client.describe());
    assertTrue(server.exited(), server.describe());
    assertEquals(1, w.wakeupEdges(), "the client, running on CPU 0 when the server woke, is its waker");
    assertEquals(1, server.waits(), server.describe());
    assertEquals(1, client.posts(), client.describe());
    assertEquals(7, w.info().lostEvents());
  }
}
