package javaland.runtime.kernel.sim;

import static javaland.runtime.kernel.sim.Workload.MS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import javaland.runtime.policy.PolicyCatalog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Same workload, seed, policy and configuration: the same run, bit for bit. */
class SimDeterminismTest {
  static Iterable<String> policies() {
    return PolicyCatalog.builtIn().names();
  }

  private static SimMetrics run(String policy, long seed) {
    Workload w = Workload.builder("everything", seed)
        .hogsFor("batch", 6, 300 * MS, 100)
        .hogsFor("background", 2, 300 * MS, 30)
        .interactive(8, 300 * Workload.US, 4 * MS, 300 * MS)
        .periodic(3, 7 * MS, MS, 300 * MS)
        .forkJoin(1, 4, MS, 100 * Workload.US, 40)
        .server(1, 4, 400 * Workload.US, 200 * Workload.US, 300 * MS)
        .build();
    return new SimKernel(w, SimConfig.of(SimConfig.topology(2, 2, 2)).withSwitchCost(2_000)).runToCompletion(PolicyCatalog.builtIn().create(policy));
  }

  @ParameterizedTest
  @MethodSource("policies")
  void sameSeedSameMetricsDifferentSeedDifferentMetrics(String policy) {
    SimMetrics a = run(policy, 42);
    SimMetrics b = run(policy, 42);
    assertEquals(a, b);
    assertEquals(a.format(), b.format());
    SimMetrics c = run(policy, 43);
    assertNotEquals(a, c);
    assertNotEquals(a.schedDelay(), c.schedDelay());
  }

  @Test
  void theWorkloadItselfIsReproducible() {
    assertEquals(Workloads.named("mix", 9, 8, 100 * MS), Workloads.named("mix", 9, 8, 100 * MS));
    assertNotEquals(Workloads.named("mix", 9, 8, 100 * MS).tasks().getFirst().seed(),
        Workloads.named("mix", 10, 8, 100 * MS).tasks().getFirst().seed());
  }
}
