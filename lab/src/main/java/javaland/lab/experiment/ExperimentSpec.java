package javaland.lab.experiment;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javaland.runtime.Scheduler;
import javaland.runtime.kernel.sim.SimConfig;
import javaland.runtime.loop.DispatchLoop;
import javaland.runtime.policy.PolicyCatalog;
import javaland.sdk.Policy;
import javaland.runtime.policy.ConfiguredPolicy;

/**
 * A validated experiment: every variant (a policy at one point of its parameter grid) runs every
 * workload with every seed. See docs/experiments.md for the YAML; {@link #load} refuses a spec
 * with any problem, listing them all with their lines.
 *
 * @param name the experiment's name (file names, report title)
 * @param description free text for the report; may be empty
 * @param file the spec's file name, for messages and the report
 * @param text the spec as written, for the report
 * @param output where results go; null: {@code experiments-out/NAME} under the working directory
 * @param seeds one run per seed, per variant and workload
 * @param variants policies with their parameter points, expanded
 * @param workloads synthetic or traces
 * @param sim the simulated round trip's costs
 */
public record ExperimentSpec(String name, String description, String file, String text, Path output, List<Long> seeds,
    List<Variant> variants, List<WorkloadSource> workloads, SimCosts sim) implements Spec {

  public ExperimentSpec {
    seeds = List.copyOf(seeds);
    variants = List.copyOf(variants);
    workloads = List.copyOf(workloads);
  }

  /**
   * A policy with one point of its parameter grid.
   *
   * @param label policy name plus the values set, e.g. {@code deadline[slice_max_us=5000]}
   * @param policy the policy's name ({@link javaland.runtime.policy.PolicyCatalog})
   * @param settings the values set, policy and {@code kernel.*}, in spec order; the rest default
   */
  public record Variant(String label, String policy, Map<String, Double> settings) {
    public Variant {
      settings = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(settings));
    }

    /** A fresh, configured policy instance and its values, the kernel half's among them. */
    public ConfiguredPolicy configure() {
      return ConfiguredPolicy.of(policy, settings);
    }

    static String labelOf(String policy, Map<String, Double> settings) {
      if (settings.isEmpty()) return policy;
      StringBuilder s = new StringBuilder(policy).append('[');
      settings.forEach((k, v) -> s.append(s.charAt(s.length() - 1) == '[' ? "" : ",").append(k).append('=').append(number(v)));
      return s.append(']').toString();
    }
  }

  /** The user-space round trip as the simulator charges it (see {@link SimConfig}). */
  public record SimCosts(long wakeLatencyNs, long roundTripNs, long decideNsPerTask, long switchCostNs) {
    public static final SimCosts DEFAULTS = new SimCosts(SimConfig.DEFAULT_WAKE_LATENCY_NS, SimConfig.DEFAULT_ROUND_TRIP_NS,
        SimConfig.DEFAULT_DECIDE_NS_PER_TASK, 0);
  }

  /** Runs in all: variants x workloads x seeds. */
  public int runs() {
    return variants.size() * workloads.size() * seeds.size();
  }

  /** Reads and validates a spec file; relative trace paths are resolved against its directory. */
  public static ExperimentSpec load(Path file) throws SpecException {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new SpecException(List.of(new SpecException.Problem(file.toString(), 1, "",
          "cannot read the spec: " + e.getMessage())));
    }
    Path dir = file.toAbsolutePath().getParent();
    return parse(text, file.toString(), dir);
  }

  /** Validates spec text of the grid kind; {@code baseDir} resolves relative trace paths. */
  public static ExperimentSpec parse(String text, String fileName, Path baseDir) throws SpecException {
    Spec s = Spec.parse(text, fileName, baseDir);
    if (s instanceof ExperimentSpec e) return e;
    throw new SpecException(List.of(new SpecException.Problem(fileName, 1, "kind",
        "this is a '" + (s instanceof LearnerSpec ? "learner" : "rollback") + "' spec, not a grid experiment")));
  }

  /** A number as a spec writes it: integers without ".0". */
  public static String number(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e15) return Long.toString((long) v);
    return String.format(Locale.ROOT, "%s", v);
  }
}
