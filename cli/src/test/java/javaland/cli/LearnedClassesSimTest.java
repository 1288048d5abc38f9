package javaland.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import javaland.api.TaskProfiles;
import javaland.learner.classes.ClassProposal;
import javaland.learner.classes.ClassProposer;
import javaland.policies.DeadlinePolicy;
import javaland.runtime.kernel.sim.SimConfig;
import javaland.runtime.kernel.sim.SimKernel;
import javaland.runtime.kernel.sim.Workload;
import javaland.runtime.rules.TaskProfiler;
import org.junit.jupiter.api.Test;

/**
 * The classifier on what the runtime's profiler saw on the simulated kernel: an interactive probe
 * beside CPU hogs, no rules. Both halves in one JVM, as the learner's process and the runtime
 * would see them through {@code GET /tasks}.
 */
class LearnedClassesSimTest {
  @Test
  void theProbeIsProposedLatencySensitiveAndTheHogsBatchWithEvidence() {
    long duration = 3_000_000_000L;
    Workload w = Workload.builder("probe-and-hogs", 5)
        .hogsFor("batch", 8, duration, 100)
        .interactive("interactive", 1, 200_000L, 5_000_000L, duration, 100)
        .build();
    SimKernel k = new SimKernel(w, SimConfig.of(4));
    TaskProfiler profiler = new TaskProfiler();
    k.setListener(profiler);
    k.runToCompletion(new DeadlinePolicy());
    TaskProfiles seen = profiler.snapshot(4);
    List<ClassProposal> ps = new ClassProposer().propose(new TaskProfiles(0, 4, 0, List.of()), seen);
    ClassProposal probe = ps.stream().filter(p -> p.comm().startsWith("ia-")).findFirst().orElseThrow(
        () -> new AssertionError("no proposal for the probe: " + ps + " from " + seen));
    assertTrue(probe.taskClass().equals("latency-critical") || probe.taskClass().equals("interactive"), probe.toString());
    assertTrue(probe.evidence().get("wakeups_per_s") > 100, probe.toString());
    assertTrue(probe.evidence().get("run_per_wakeup_us") < 1000, probe.toString());
    List<ClassProposal> hogs = ps.stream().filter(p -> p.comm().startsWith("hog-")).toList();
    assertEquals(8, hogs.size(), ps.toString());
    for (ClassProposal h : hogs) {
      assertEquals("batch", h.taskClass(), h.toString());
      assertTrue(h.evidence().get("cpu_share") > 0.3, h.toString());
      assertTrue(h.evidence().get("involuntary_fraction") > 0.5, h.toString());
    }
  }
}
