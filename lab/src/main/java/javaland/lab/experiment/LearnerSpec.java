package javaland.lab.experiment;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code kind: learner}: on each workload, brute force (every arm, {@code bruteForceSeeds} runs
 * each) finds each arm's mean reward; then each algorithm learns online for {@code windows}
 * windows, a window being one short simulated run under the arm it chose with a fresh seed, and
 * is judged against the best arm (see docs/experiments.md, "Learner convergence").
 *
 * @param policy the policy whose parameters are the arms
 * @param arms parameter name to its values; the arms are their Cartesian product
 * @param algorithms bandit names ({@link #ALGORITHMS})
 * @param windows windows each learner run plays
 * @param bruteForceSeeds runs per arm that establish its mean reward (seeds 1..N)
 * @param seeds one independent learner run per seed (its windows use seeds no brute-force run used)
 * @param noiseSd the reward noise Thompson sampling assumes (its likelihood's standard deviation)
 * @param epsilon epsilon-greedy's exploration probability
 * @param target the fraction of the best reward the learner must reach (0.95)
 * @param workloads where the windows come from; a synthetic workload's duration is one window's length
 */
public record LearnerSpec(String name, String description, String file, String text, Path output, String policy,
    Map<String, List<Double>> arms, List<String> algorithms, int windows, int bruteForceSeeds, List<Long> seeds,
    double noiseSd, double epsilon, double target, List<WorkloadSource> workloads, ExperimentSpec.SimCosts sim) implements Spec {
  /** thompson: Gaussian Thompson sampling; epsilon-greedy; linucb: LinUCB (α = 1) over the previous window's context. */
  public static final List<String> ALGORITHMS = List.of("thompson", "epsilon-greedy", "linucb");

  public LearnerSpec {
    arms = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(arms));
    algorithms = List.copyOf(algorithms);
    seeds = List.copyOf(seeds);
    workloads = List.copyOf(workloads);
  }
}
