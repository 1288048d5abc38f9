package javaland.trace;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import javaland.sdk.CpuTopology;
import javaland.runtime.kernel.Exemption;

/** Traces written by {@link SchedEventRecorder}, for this module's tests and the lab's (its test-jar). */
public final class RecordedSamples {
  public static final long T0 = 5_000_000_000L; // CLOCK_MONOTONIC: far from zero
  public static final long US = 1_000;

  private RecordedSamples() {}

  /**
   * DIR/bpf.jlt: a client (200) runs, wakes a server (100) that had slept, and sleeps; the server
   * runs 2 ms and exits.
   */
  public static Path clientServer(Path dir) throws IOException {
    Path file = dir.resolve("bpf.jlt");
    try (SchedEventRecorder r = SchedEventRecorder.create(file, CpuTopology.flat(2),
        Map.of("policy", "deadline", "parameters", "kernel.slice_us=5000"))) {
      r.task(100, 100, "server", 100, Exemption.NONE);
      r.task(200, 200, "client", 100, Exemption.NONE);
      r.running(T0, 1, 100, 5_000 * US);
      r.stopping(T0 + 500 * US, 1, 100, false, false, 4_500 * US);           // the server sleeps
      r.runnable(T0 + 600 * US, 0, 200, 0, false);               // the client is new
      r.running(T0 + 610 * US, 0, 200, 5_000 * US);
      r.runnable(T0 + 1_610 * US, 0, 100, 200, true);            // the client wakes the server, on CPU 0
      r.stopping(T0 + 1_620 * US, 0, 200, false, false, 3_990 * US);         // and sleeps
      r.running(T0 + 1_630 * US, 0, 100, 800 * US);
      r.stopping(T0 + 2_630 * US, 0, 100, true, false, 0);          // slice over: still runnable
      r.running(T0 + 2_640 * US, 0, 100, 5_000 * US);
      r.stopping(T0 + 3_640 * US, 0, 100, false, true, 4_000 * US);          // its last switch-out
      r.lost(T0 + 3_640 * US, 7);
      r.putEndMetadata("kernel", "sched_ext on Linux test");
    }
    return file;
  }
}
