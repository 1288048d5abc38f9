package javaland.runtime.kernel.sim;

import static javaland.runtime.kernel.sim.Workload.MS;
import static javaland.runtime.kernel.sim.Workload.SEC;
import static javaland.runtime.kernel.sim.Workload.US;

import javaland.runtime.kernel.KernelParams;
import javaland.runtime.policy.PolicyCatalog;
import javaland.sdk.Policy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import java.util.Map;

/**
 * How many simulated events per wall-clock second the simulator sustains, per policy. Not a
 * test (nothing is asserted, timing varies by machine): run it on demand with
 * {@code -Dtest=SimEventRateBench -Dsim.bench=true}.
 */
class SimEventRateBench {
  static Workload workload(long seed) {
    return Workload.builder("bench", seed)
        .hogsFor("batch", 48, 2 * SEC, 100)
        .interactive(400, 200 * US, 4 * MS, 2 * SEC)
        .periodic(32, 5 * MS, 500 * US, 2 * SEC)
        .server(4, 16, 100 * US, 150 * US, 2 * SEC)
        .forkJoin(4, 8, 300 * US, 50 * US, 1000)
        .build();
  }

  @Test
  @EnabledIfSystemProperty(named = "sim.bench", matches = "true")
  void eventsPerSecond() {
    for (String name : PolicyCatalog.builtIn().names()) {
      for (boolean fastpath : new boolean[] {true, false}) {
        for (int round = 0; round < 3; round++) {
          Policy p = PolicyCatalog.builtIn().create(name);
          SimConfig cfg = SimConfig.of(SimConfig.topology(2, 8, 2))
              .withParams(KernelParams.parse(Map.of("kernel.idle_fastpath", fastpath ? 1.0 : 0.0)));
          SimKernel k = new SimKernel(workload(round), cfg);
          var mx = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
          long a0 = mx.getCurrentThreadAllocatedBytes();
          long t0 = System.nanoTime();
          k.runToCompletion(p);
          long wall = System.nanoTime() - t0;
          long allocated = mx.getCurrentThreadAllocatedBytes() - a0;
          SimMetrics m = k.metrics();
          System.out.printf("%-8s fastpath=%-5s round %d: %,d events in %.0f ms = %,.0f events/s, %,.0f context switches/s, %,.0f decisions/s, %.1f bytes allocated/event%n",
              name, fastpath, round, m.events(), wall / 1e6, m.events() * 1e9 / wall, m.contextSwitches() * 1e9 / wall,
              m.kernel().userDispatches() * 1e9 / wall, (double) allocated / m.events());
        }
      }
    }
  }
}
