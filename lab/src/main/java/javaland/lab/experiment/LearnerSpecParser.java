package javaland.lab.experiment;

import javaland.runtime.config.YamlTree;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javaland.runtime.config.YamlTree.Entry;
import javaland.runtime.config.YamlTree.ListNode;
import javaland.runtime.config.YamlTree.MapNode;
import javaland.runtime.config.YamlTree.Node;
import javaland.runtime.config.YamlTree.Scalar;
import javaland.sdk.Parameter;
import javaland.runtime.Scheduler;
import javaland.sdk.CpuTopology;
import javaland.runtime.kernel.sim.Workloads;
import javaland.runtime.policy.PolicyCatalog;
import javaland.runtime.policy.PolicySchema;

/**
 * The {@code kind: learner}, {@code kind: rollback} and {@code kind: autotune} parts of the spec format, with the same
 * checks and messages (key and line, every problem at once) as the grid kind: it uses
 * {@link SpecParser}'s helpers and collects into the same list.
 */
final class LearnerSpecParser {
  private static final List<String> LEARNER_KEYS = List.of("name", "kind", "description", "output", "policy", "arms",
      "algorithms", "windows", "brute_force_seeds", "seeds", "noise_sd", "epsilon", "target", "cpus", "topology", "duration", "workloads", "sim");
  private static final List<String> ROLLBACK_KEYS = List.of("name", "kind", "description", "output", "policy", "workload",
      "cpus", "topology", "seed", "window", "baseline_windows", "max_windows", "max_rollback_windows", "harmful", "sim");

  private static final List<String> AUTOTUNE_KEYS = List.of("name", "kind", "description", "output", "policy", "arms",
      "windows", "phase_windows", "seed", "noise_sd", "rules", "server_class", "hogs_class", "target_fraction", "cpus", "topology",
      "duration", "workloads", "sim");

  private final SpecParser p;
  private final String text;

  LearnerSpecParser(SpecParser p, String text) {
    this.p = p;
    this.text = text;
  }

  LearnerSpec learner(MapNode top) throws SpecException {
    known(top, LEARNER_KEYS);
    String name = p.name(top);
    String description = p.string(top, "description", "description", false);
    String output = p.string(top, "output", "output", false);
    String policy = policy(top);
    Map<String, List<Double>> arms = arms(top, policy);
    List<String> algorithms = algorithms(top.entries().get("algorithms"));
    int windows = count(top, "windows", 200, 2, 100_000);
    int bruteForce = count(top, "brute_force_seeds", 10, 1, 10_000);
    List<Long> seeds = p.seeds(top.entries().get("seeds"));
    for (int i = 0; i < seeds.size(); i++) {
      if (seeds.get(i) < 0 || seeds.get(i) > 1_000_000) {
        Node n = top.entries().get("seeds").value();
        p.problem(n instanceof ListNode l ? l.items().get(i).line() : n.line(), "seeds[" + i + "]",
            seeds.get(i) + " is out of range 0..1000000 (a learner seed also picks its windows' workload seeds)");
      }
    }
    Entry ns = top.entries().get("noise_sd");
    Double noiseSd = ns == null ? Double.valueOf(0.25) : p.number(ns.value(), "noise_sd", 0.001, 100, "");
    Entry eps = top.entries().get("epsilon");
    Double epsilon = eps == null ? Double.valueOf(0.05) : p.number(eps.value(), "epsilon", 0, 1, "");
    Entry t = top.entries().get("target");
    Double target = t == null ? Double.valueOf(0.95) : p.number(t.value(), "target", 0.01, 1.0, "");
    CpuTopology machine = p.machine(top, "", CpuTopology.flat(SpecParser.DEFAULT_CPUS));
    Long duration = p.duration(top.entries().get("duration"), "duration");
    p.durationGiven = top.entries().containsKey("duration");
    List<WorkloadSource> workloads = p.workloads(top, machine, duration);
    ExperimentSpec.SimCosts sim = p.sim(top.entries().get("sim"));
    p.check();
    return new LearnerSpec(name, description == null ? "" : description, p.file(), text, output == null ? null : Path.of(output),
        policy, arms, algorithms, windows, bruteForce, seeds, noiseSd, epsilon, target, workloads, sim);
  }

  RollbackSpec rollback(MapNode top) throws SpecException {
    known(top, ROLLBACK_KEYS);
    String name = p.name(top);
    String description = p.string(top, "description", "description", false);
    String output = p.string(top, "output", "output", false);
    String policy = policy(top);
    String workload = p.string(top, "workload", "workload", true);
    if (workload != null && !Workloads.NAMES.contains(workload)) {
      p.problem(top.entries().get("workload").line(), "workload", "unknown synthetic workload '" + workload + "'; choose one of "
          + String.join(", ", Workloads.NAMES));
    }
    CpuTopology machine = p.machine(top, "", CpuTopology.flat(SpecParser.DEFAULT_CPUS));
    Entry seedEntry = top.entries().get("seed");
    Long seed = seedEntry == null ? Long.valueOf(1) : p.integer(seedEntry.value(), "seed", Long.MIN_VALUE, Long.MAX_VALUE);
    Long window = p.duration(top.entries().get("window"), "window");
    if (window == null && !top.entries().containsKey("window")) window = 500_000_000L;
    if (window != null && (window < 50_000_000L || window > 60_000_000_000L)) {
      p.problem(top.entries().get("window").line(), "window", WorkloadSource.formatDuration(window) + " is out of range 50ms..60s");
    }
    int baseline = count(top, "baseline_windows", 4, 1, 100);
    int max = count(top, "max_windows", 6, 1, 100);
    int bound = count(top, "max_rollback_windows", 2, 1, 100);
    Map<String, Double> harmful = harmful(top, policy);
    ExperimentSpec.SimCosts sim = p.sim(top.entries().get("sim"));
    p.check();
    return new RollbackSpec(name, description == null ? "" : description, p.file(), text, output == null ? null : Path.of(output),
        policy, workload, machine, seed, Duration.ofNanos(window), baseline, max, harmful, bound, sim);
  }

  AutotuneSpec autotune(MapNode top) throws SpecException {
    known(top, AUTOTUNE_KEYS);
    String name = p.name(top);
    String description = p.string(top, "description", "description", false);
    String output = p.string(top, "output", "output", false);
    String policy = policy(top);
    Map<String, List<Double>> arms = arms(top, policy);
    int windows = count(top, "windows", 60, 4, 100_000);
    int phaseWindows = count(top, "phase_windows", 10, 1, 10_000);
    if (top.entries().containsKey("windows") && top.entries().containsKey("phase_windows") && phaseWindows > windows) {
      p.problem(top.entries().get("phase_windows").line(), "phase_windows", phaseWindows + " is more than windows (" + windows
          + "): phase 3's settled tail is its last phase_windows windows");
    }
    Entry seedEntry = top.entries().get("seed");
    Long seed = seedEntry == null ? Long.valueOf(1) : p.integer(seedEntry.value(), "seed", 0, 1_000_000_000L);
    Entry ns = top.entries().get("noise_sd");
    Double noiseSd = ns == null ? Double.valueOf(0.25) : p.number(ns.value(), "noise_sd", 0.001, 100, "");
    Entry tf = top.entries().get("target_fraction");
    Double target = tf == null ? Double.valueOf(0.8) : p.number(tf.value(), "target_fraction", 0.01, 1.0, "");
    String rulesText = p.string(top, "rules", "rules", true);
    List<javaland.runtime.rules.Rule> rules = List.of();
    if (rulesText != null) {
      try {
        rules = javaland.runtime.rules.RuleParser.parseYaml(p.file() + ": rules", rulesText);
        if (rules.isEmpty()) p.problem(top.entries().get("rules").line(), "rules", "no rules: phase 4 needs the person's rules");
      } catch (javaland.runtime.rules.RuleValidationException e) {
        // a block scalar's text starts on the line after the key: its line 1 is the spec's rulesLine + 1
        int rulesLine = top.entries().get("rules").line();
        for (javaland.models.FieldError fe : e.errors()) {
          p.problem(fe.line() > 0 ? rulesLine + fe.line() : rulesLine, "rules." + fe.path(), fe.message() + " (docs/rules.md)");
        }
      }
    }
    String server = p.string(top, "server_class", "server_class", false);
    String hogs = p.string(top, "hogs_class", "hogs_class", false);
    CpuTopology machine = p.machine(top, "", CpuTopology.flat(SpecParser.DEFAULT_CPUS));
    Long duration = p.duration(top.entries().get("duration"), "duration");
    p.durationGiven = top.entries().containsKey("duration");
    List<WorkloadSource> workloads = p.workloads(top, machine, duration);
    ExperimentSpec.SimCosts sim = p.sim(top.entries().get("sim"));
    p.check();
    return new AutotuneSpec(name, description == null ? "" : description, p.file(), text, output == null ? null : Path.of(output),
        policy, arms, windows, phaseWindows, seed, noiseSd, rules, rulesText, server == null ? "server" : server,
        hogs == null ? "batch" : hogs, target, workloads, sim);
  }

  private void known(MapNode top, List<String> keys) {
    for (Entry e : top.entries().values()) if (!keys.contains(e.key())) p.unknownKey(e, e.key(), keys);
  }

  private String policy(MapNode top) {
    String policy = p.string(top, "policy", "policy", true);
    if (policy != null && !PolicyCatalog.installed().names().contains(policy)) {
      p.problem(top.entries().get("policy").line(), "policy", "unknown policy '" + policy + "'; choose one of "
          + String.join(", ", PolicyCatalog.installed().names()));
      return null;
    }
    return policy;
  }

  private int count(MapNode top, String key, int dflt, int min, int max) {
    Entry e = top.entries().get(key);
    if (e == null) return dflt;
    Long v = p.integer(e.value(), key, min, max);
    return v == null ? dflt : v.intValue();
  }

  private Parameter parameter(String policy, Entry e, String key) {
    List<Parameter> schema = PolicySchema.of(PolicyCatalog.installed().create(policy)).parameters();
    for (Parameter x : schema) if (x.name().equals(e.key())) return x;
    p.problem(e.line(), key, "unknown parameter of policy " + policy + "; known: "
        + String.join(", ", schema.stream().map(Parameter::name).toList()));
    return null;
  }

  /** {@code arms: {slice_max_us: [500, 2000], kernel.idle_fastpath: [0, 1]}}: at least two arms in all. */
  private Map<String, List<Double>> arms(MapNode top, String policy) {
    Entry e = top.entries().get("arms");
    Map<String, List<Double>> out = new LinkedHashMap<>();
    if (e == null) {
      p.problem(top.line(), "arms", "is required: a mapping of parameters to the values tried, e.g. {slice_max_us: [500, 2000, 20000]}");
      return out;
    }
    if (!(e.value() instanceof MapNode m) || m.entries().isEmpty()) {
      p.wrongType(e.value(), "arms", "a non-empty mapping of parameters to the values tried, e.g. {slice_max_us: [500, 2000]}");
      return out;
    }
    if (policy == null) return out; // the policy's problem is already noted
    long arms = 1;
    for (Entry pa : m.entries().values()) {
      String key = "arms." + pa.key();
      Parameter param = parameter(policy, pa, key);
      if (param == null) continue;
      SpecParser.Axis a = p.axis(pa, key, param);
      if (a == null) continue;
      out.put(param.name(), a.values());
      arms *= a.values().size();
    }
    if (out.size() == m.entries().size() && arms < 2) p.problem(e.line(), "arms", "gives one arm; a learner needs at least two");
    if (arms > 1000) p.problem(e.line(), "arms", "gives " + arms + " arms; at most 1000");
    return out;
  }

  private List<String> algorithms(Entry e) {
    if (e == null) return List.of("thompson");
    List<Node> nodes = e.value() instanceof ListNode l ? l.items() : List.of(e.value());
    if (nodes.isEmpty()) {
      p.problem(e.line(), "algorithms", "an empty list: give at least one of " + String.join(", ", LearnerSpec.ALGORITHMS));
      return List.of();
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < nodes.size(); i++) {
      String key = e.value() instanceof ListNode ? "algorithms[" + i + "]" : "algorithms";
      if (!(nodes.get(i) instanceof Scalar s && s.value() instanceof String name)) {
        p.wrongType(nodes.get(i), key, "an algorithm name (" + String.join(", ", LearnerSpec.ALGORITHMS) + ")");
        continue;
      }
      if (!LearnerSpec.ALGORITHMS.contains(name)) {
        p.problem(s.line(), key, "unknown algorithm '" + name + "'; choose one of " + String.join(", ", LearnerSpec.ALGORITHMS));
      } else if (out.contains(name)) {
        p.problem(s.line(), key, name + " appears twice");
      } else {
        out.add(name);
      }
    }
    return out;
  }

  /** {@code harmful: {slice_max_us: 100000, ...}}: one value per parameter, each within its range. */
  private Map<String, Double> harmful(MapNode top, String policy) {
    Entry e = top.entries().get("harmful");
    Map<String, Double> out = new LinkedHashMap<>();
    if (e == null) {
      p.problem(top.line(), "harmful", "is required: the parameters to publish, e.g. {slice_max_us: 100000, kernel.wakeup_preempt: 0}");
      return out;
    }
    if (!(e.value() instanceof MapNode m) || m.entries().isEmpty()) {
      p.wrongType(e.value(), "harmful", "a non-empty mapping of parameters to one value each");
      return out;
    }
    if (policy == null) return out;
    for (Entry pa : m.entries().values()) {
      String key = "harmful." + pa.key();
      Parameter param = parameter(policy, pa, key);
      if (param == null) continue;
      Double v = p.number(pa.value(), key, param.min(), param.max(), param.unit());
      if (v != null) out.put(param.name(), v);
    }
    return out;
  }
}
