package javaland.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import javaland.models.json.JsonCodec;
import javaland.sdk.CpuTopology;
import javaland.runtime.kernel.Kernel;
import javaland.runtime.kernel.SchedEventListener;
import javaland.runtime.kernel.bpf.BpfKernel;
import javaland.runtime.kernel.sim.SimKernel;
import javaland.runtime.kernel.sim.Workload;
import javaland.trace.SchedEventRecorder;
import javaland.trace.SliceStats;
import javaland.trace.TraceSummary;
import javaland.runtime.kernel.SysfsTopology;

/**
 * {@code run --record FILE}: the run's scheduling events as a trace, written by one
 * {@link SchedEventRecorder} on either kernel: the BPF kernel's event ring's reader feeds it, the
 * simulated kernel calls it. Either way the file is created before anything is attached, so a
 * path that cannot be written is refused first.
 */
final class Recording {
  private final Path file;
  private final Map<String, String> metadata = new LinkedHashMap<>();
  private SchedEventRecorder recorder;

  private Recording(Path file, String policy, Map<String, String> settings) {
    this.file = file;
    metadata.put("policy", policy);
    metadata.put("parameters", settings.entrySet().stream()
        .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(",")));
  }

  /** Checks {@code file} can be a trace: not a directory, in a directory that exists. */
  static Recording of(Path file, String policy, Map<String, String> settings) {
    Path abs = file.toAbsolutePath();
    if (Files.isDirectory(abs)) throw new IllegalArgumentException("--record " + file + ": is a directory, expected a file");
    if (abs.getParent() != null && !Files.isDirectory(abs.getParent())) {
      throw new IllegalArgumentException("--record " + file + ": directory " + abs.getParent() + " does not exist");
    }
    return new Recording(file, policy, settings);
  }

  /** The listener to hand to {@link BpfKernel#attach}: creates the trace now. */
  SchedEventListener forBpf() throws IOException {
    recorder = SchedEventRecorder.create(file, SysfsTopology.ofThisMachine(), metadata);
    return recorder;
  }

  /** The recorder receiving the events, null before attach. */
  SchedEventListener listener() {
    return recorder;
  }

  /** Receives the simulated kernel's events from now on. */
  void attachSim(SimKernel kernel, Workload workload) throws IOException {
    recorder = SchedEventRecorder.attach(kernel, workload, file, metadata);
  }

  /**
   * Closes the trace once the kernel is closed, adds {@code record} to {@code report} and says
   * on stdout what was written.
   */
  void finish(Kernel kernel, ObjectNode report) {
    if (recorder == null) return; // never attached: nothing was created
    ObjectNode r = JsonCodec.object().put("file", file.toString());
    try {
      if (kernel instanceof BpfKernel k) {
        recorder.putEndMetadata("kernel", k.describe());
        if (k.recorderFailure() != null) throw new IOException("the event reader stopped: " + k.recorderFailure());
      }
      recorder.close();
      TraceSummary s = recorder.summary();
      SliceStats sl = recorder.slices();
      if (sl.runs() > 0) {
        System.out.println("javaland: recorded slices of the policy's tasks: " + sl.describe());
        r.putObject("slices").put("runs", sl.runs()).put("preempted", sl.preempted())
            .put("given_us_p10", sl.givenNs(0.1) / 1000).put("given_us_p50", sl.givenNs(0.5) / 1000)
            .put("given_us_p90", sl.givenNs(0.9) / 1000).put("ran_us_p50", sl.preemptedRunNs(0.5) / 1000)
            .put("ran_us_p90", sl.preemptedRunNs(0.9) / 1000).put("beyond_us_p50", sl.overrunNs(0.5) / 1000)
            .put("beyond_us_p90", sl.overrunNs(0.9) / 1000).put("left_us_p50", sl.leftNs(0.5) / 1000)
            .put("left_us_p90", sl.leftNs(0.9) / 1000);
      }
      r.put("events", s.events()).put("lost_events", s.lostEvents()).put("tasks", s.tasks());
      System.out.println("javaland: recorded " + s.events() + " events of " + s.tasks() + " tasks to " + file
          + " (" + s.lostEvents() + " lost)");
    } catch (IOException | RuntimeException e) {
      r.put("error", String.valueOf(e.getMessage()));
      System.out.println("javaland: the trace " + file + " is incomplete: " + e.getMessage());
    }
    report.set("record", r);
  }
}
