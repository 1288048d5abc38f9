package javaland.lab.experiment;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import javaland.sdk.CpuTopology;

/**
 * {@code kind: rollback}: a scheduler runs a synthetic workload on the simulated kernel paced to
 * real time, with a registry in a temporary directory and no learner; after
 * {@code baselineWindows} canary windows a deliberately harmful parameter set is published, and
 * the runtime's guards must revert it by themselves (see docs/experiments.md, "Rollback").
 *
 * @param workload a synthetic workload name
 * @param seed the workload's seed
 * @param window the canary's judging window
 * @param baselineWindows windows of the defaults before the harmful set is published
 * @param maxWindows windows to wait for the revert before giving up
 * @param harmful the parameters published (the rest stay at the defaults)
 * @param maxRollbackWindows the bound the result is checked against (2)
 */
public record RollbackSpec(String name, String description, String file, String text, Path output, String policy,
    String workload, CpuTopology topology, long seed, Duration window, int baselineWindows, int maxWindows,
    Map<String, Double> harmful, int maxRollbackWindows, ExperimentSpec.SimCosts sim) implements Spec {
  public RollbackSpec {
    harmful = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(harmful));
  }
}
