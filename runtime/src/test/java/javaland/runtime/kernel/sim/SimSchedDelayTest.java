package javaland.runtime.kernel.sim;

import static javaland.runtime.kernel.sim.Workload.MS;
import static javaland.runtime.kernel.sim.Workload.US;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import javaland.runtime.kernel.KernelParams;
import javaland.runtime.kernel.LatencyBuckets;
import javaland.policies.FifoPolicy;
import org.junit.jupiter.api.Test;
import java.util.Map;

/** The simulated kernel keeps the scheduling-delay histograms of struct jl_sched_delay. */
class SimSchedDelayTest {
  @Test
  void everyRunIsCountedOnceAsAWakeupOrARequeue() {
    Workload w = Workload.builder("mix", 3)
        .hogs(6, 40 * MS)                          // more than the CPUs: slices run out, requeued
        .interactive(4, 100 * US, MS, 100 * MS)    // wake up
        .build();
    SimKernel k = new SimKernel(w, SimConfig.of(2).withParams(KernelParams.parse(Map.of("kernel.idle_fastpath", 0.0))));
    SimMetrics m = k.runToCompletion(new FifoPolicy());
    long[][] h = k.schedDelayHistograms();
    long[] sums = k.schedDelaySumsNs();
    assertEquals(2, h.length);
    assertEquals(2, sums.length);
    long wakeups = Arrays.stream(h[0]).sum();
    long requeues = Arrays.stream(h[1]).sum();
    assertTrue(wakeups > 0, "wakeups recorded");
    assertTrue(requeues > 0, "requeues recorded");
    assertEquals(m.contextSwitches(), wakeups + requeues, "one delay per run");
    assertEquals(m.schedDelay().count(), wakeups + requeues);
    assertTrue(sums[1] > 0 && LatencyBuckets.quantile(h[1], 0.5) > 0, "a requeued hog waits for the others' slices");
  }
}
