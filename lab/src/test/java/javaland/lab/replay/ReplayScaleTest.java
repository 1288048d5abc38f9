package javaland.lab.replay;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import javaland.runtime.kernel.sim.Workloads;
import javaland.trace.TraceReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A trace of a million events (a recorded 'server' run: 8 CPUs, 17 tasks, 7 s) loads and
 * replays in seconds, and the model costs a bounded number of bytes per event: what the load
 * holds besides it does not grow with the trace. The figures are printed for the notes.
 */
class ReplayScaleTest {
  @TempDir Path dir;

  private static long usedAfterGc() {
    long best = Long.MAX_VALUE;
    for (int i = 0; i < 3; i++) {
      System.gc();
      best = Math.min(best, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
    }
    return best;
  }

  private record Measured(long events, long fileBytes, long loadNs, long replayNs, long simEvents, long heldBytes, long ops) {}

  private static Measured measure(Path f) throws IOException {
    long before = usedAfterGc();
    long t0 = System.nanoTime();
    TraceWorkload tw = TraceWorkload.load(f);
    long t1 = System.nanoTime();
    long held = usedAfterGc() - before;
    long t2 = System.nanoTime();
    ReplayResult r = Replay.run(tw, "deadline", Map.of(), Replay.Options.defaults());
    long t3 = System.nanoTime();
    assertTrue(r.exit().isCleanEnd(), r.exit().toString());
    return new Measured(tw.info().events(), Files.size(f), t1 - t0, t3 - t2, r.simEvents(), held, tw.operations());
  }

  @Test
  void aMillionEventTraceReplaysInSecondsWithABoundedModel() throws IOException {
    Path small = dir.resolve("small.jlt");
    Path large = dir.resolve("large.jlt");
    ReplayTest.record(Workloads.named("server", 3, 8, 650 * ReplayTest.MS), "deadline", small);
    ReplayTest.record(Workloads.named("server", 3, 8, 7000 * ReplayTest.MS), "deadline", large);
    assertTrue(TraceReader.readSummary(large).events() >= 1_000_000, "a million events: " + TraceReader.readSummary(large));

    measure(small); // warm-up: classes loaded, code compiled
    Measured s = measure(small);
    Measured l = measure(large);
    for (Measured m : new Measured[] {s, l}) {
      System.out.printf("replay scale: %d events (%d bytes): load %.2f s, replay %.2f s (%d simulated events, %.1f M/s), "
              + "model %d operations, %.1f MiB held (%.1f bytes an event)%n",
          m.events(), m.fileBytes(), m.loadNs() / 1e9, m.replayNs() / 1e9, m.simEvents(), m.simEvents() / (m.replayNs() / 1e3),
          m.ops(), m.heldBytes() / 1048576.0, (double) m.heldBytes() / m.events());
    }
    assertTrue(l.loadNs() + l.replayNs() < 60_000_000_000L, "a million events in under a minute, even on a slow machine");
    // Per-task programs: about 0.6 operations an event at ~70 bytes each (ns durations, all distinct). Events
    // kept as TraceRecords (40+ bytes each, plus a list) would be well over this.
    assertTrue(l.heldBytes() < 64L * l.events(), l.heldBytes() + " bytes held for " + l.events() + " events");
  }
}
