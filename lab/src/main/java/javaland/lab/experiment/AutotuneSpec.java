package javaland.lab.experiment;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javaland.runtime.rules.Rule;

/**
 * {@code kind: autotune}: the offline twin of the VM's autotune scenario (testbed/guest/autotune.sh),
 * phases 2-4 on the simulated kernel for each workload: (2) the policy's defaults, no rules; (3) the
 * learner from a cold start, no rules, tuning {@code arms} and proposing learned task classes as
 * canaries; (4) the person's {@code rules}, defaults otherwise (see docs/experiments.md, "Autotune twin").
 *
 * @param arms parameter name to its values; the bandit's arms are their Cartesian product
 * @param windows windows phase 3 plays
 * @param phaseWindows windows each of phases 2 and 4 plays, and the settled tail of phase 3 measured against them
 * @param seed phase 3's first window's workload seed (window t: {@code seed + t}; phases 2 and 4 replay its last {@code phaseWindows})
 * @param noiseSd the reward noise Thompson sampling assumes
 * @param rules phase 4's rules, parsed; {@code rulesText} as written
 * @param serverClass the task class (label) whose response times are the server's
 * @param hogsClass the task class whose CPU time is the hogs' throughput
 * @param targetFraction the share of phase 4's p99 improvement over phase 2 phase 3 must capture
 */
public record AutotuneSpec(String name, String description, String file, String text, Path output, String policy,
    Map<String, List<Double>> arms, int windows, int phaseWindows, long seed, double noiseSd, List<Rule> rules, String rulesText,
    String serverClass, String hogsClass, double targetFraction, List<WorkloadSource> workloads,
    ExperimentSpec.SimCosts sim) implements Spec {
  public AutotuneSpec {
    arms = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(arms));
    rules = List.copyOf(rules);
    workloads = List.copyOf(workloads);
  }
}
