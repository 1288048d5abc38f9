package javaland.lab.experiment;

import javaland.runtime.config.YamlTree;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javaland.lab.experiment.ExperimentSpec.SimCosts;
import javaland.lab.experiment.ExperimentSpec.Variant;
import javaland.lab.experiment.SpecException.Problem;
import javaland.runtime.config.YamlTree.Entry;
import javaland.runtime.config.YamlTree.ListNode;
import javaland.runtime.config.YamlTree.MapNode;
import javaland.runtime.config.YamlTree.Node;
import javaland.runtime.config.YamlTree.Scalar;
import javaland.runtime.Scheduler;
import javaland.sdk.CpuTopology;
import javaland.runtime.kernel.sim.SimConfig;
import javaland.runtime.kernel.sim.Workloads;
import javaland.sdk.Parameter;
import javaland.runtime.policy.PolicyCatalog;
import javaland.runtime.kernel.KernelKnob;
import javaland.sdk.Param;

/**
 * Turns spec YAML into an {@link ExperimentSpec}, collecting every problem (unknown keys, wrong
 * types, values out of the parameter's own range, unknown policies and workloads, missing files)
 * with its key and line before giving up: nothing runs unless all of it is valid.
 */
final class SpecParser {
  static final int MAX_CPUS = 1024;
  static final int DEFAULT_CPUS = 4;
  private static final List<String> TOP_KEYS = List.of("name", "kind", "description", "output", "seeds", "cpus", "topology",
      "duration", "policies", "kernel", "workloads", "sim");
  private static final List<String> WORKLOAD_KEYS = List.of("synthetic", "trace", "label", "cpus", "topology", "duration");
  private static final List<String> TOPOLOGY_KEYS = List.of("llcs", "cores_per_llc", "threads_per_core");
  private static final List<String> SIM_KEYS = List.of("round_trip_us", "decide_ns", "wake_latency_us", "switch_cost_us");

  /** One parameter's values in a grid. */
  record Axis(String name, String key, int line, List<Double> values) {}

  private final String file;
  private final Path baseDir;
  private final List<Problem> problems = new ArrayList<>();
  /** A top-level duration was written (if invalid, that is the problem, not the workloads lacking one). */
  boolean durationGiven;

  SpecParser(String file, Path baseDir) {
    this.file = file;
    this.baseDir = baseDir;
  }

  /** Any kind of spec: reads {@code kind:} (default grid) and validates the rest accordingly. */
  Spec parseAny(String text) throws SpecException {
    Node root;
    try {
      root = YamlTree.parse(text);
    } catch (YamlTree.SyntaxException e) {
      throw new SpecException(List.of(new Problem(file, e.line(), "", e.getMessage())));
    }
    if (!(root instanceof MapNode top)) {
      problem(root.line(), "", "the spec must be a mapping (name:, policies:, workloads:, ...), got " + root.kind());
      throw new SpecException(problems);
    }
    String kind = "grid";
    Entry k = top.entries().get("kind");
    if (k != null) {
      String given = string(top, "kind", "kind", true);
      if (given != null && !Spec.KINDS.contains(given)) {
        problem(k.line(), "kind", "unknown kind '" + given + "'; choose one of " + String.join(", ", Spec.KINDS));
        throw new SpecException(problems);
      }
      if (given == null) throw new SpecException(problems);
      kind = given;
    }
    return switch (kind) {
      case "learner" -> new LearnerSpecParser(this, text).learner(top);
      case "rollback" -> new LearnerSpecParser(this, text).rollback(top);
      case "autotune" -> new LearnerSpecParser(this, text).autotune(top);
      default -> parse(top, text);
    };
  }

  /** The required {@code name:}, checked to be usable in file names; null (a problem noted) if not. */
  String name(MapNode top) {
    String name = string(top, "name", "name", true);
    if (name != null && !name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,79}")) {
      problem(top.entries().get("name").line(), "name", "'" + name
          + "' must be 1-80 letters, digits, '.', '_' or '-' (it names files), starting with a letter or digit");
      return null;
    }
    return name;
  }

  /** Throws the problems collected so far, if any. */
  void check() throws SpecException {
    if (!problems.isEmpty()) throw new SpecException(problems);
  }

  String file() {
    return file;
  }

  Path baseDir() {
    return baseDir;
  }

  ExperimentSpec parse(MapNode top, String text) throws SpecException {
    for (Entry e : top.entries().values()) {
      if (!TOP_KEYS.contains(e.key()) && !e.key().startsWith("kernel.")) unknownKey(e, e.key(), TOP_KEYS);
    }
    String name = name(top);
    String description = string(top, "description", "description", false);
    String output = string(top, "output", "output", false);
    List<Long> seeds = seeds(top.entries().get("seeds"));
    CpuTopology machine = machine(top, "", CpuTopology.flat(DEFAULT_CPUS));
    Long duration = duration(top.entries().get("duration"), "duration");
    durationGiven = top.entries().containsKey("duration");
    Map<String, Axis> kernelGrid = kernelGrid(top);
    List<Variant> variants = policies(top, kernelGrid);
    List<WorkloadSource> workloads = workloads(top, machine, duration);
    SimCosts sim = sim(top.entries().get("sim"));
    if (!problems.isEmpty()) throw new SpecException(problems);
    return new ExperimentSpec(name, description == null ? "" : description, file, text,
        output == null ? null : Path.of(output), seeds, variants, workloads, sim);
  }

  // ------------------------------------------------------------------ problems and scalars

  void problem(int line, String key, String message) {
    problems.add(new Problem(file, line, key, message));
  }

  void unknownKey(Entry e, String key, List<String> known) {
    problem(e.line(), key, "unknown key; known keys here: " + String.join(", ", known));
  }

  void wrongType(Node n, String key, String expected) {
    problem(n.line(), key, "expected " + expected + ", got " + n.kind());
  }

  String string(MapNode m, String name, String key, boolean required) {
    Entry e = m.entries().get(name);
    if (e == null) {
      if (required) problem(m.line(), key, "is required");
      return null;
    }
    if (e.value() instanceof Scalar s && s.value() instanceof String str && !str.isBlank()) return str;
    wrongType(e.value(), key, "a non-empty string");
    return null;
  }

  Long integer(Node n, String key, long min, long max) {
    if (n instanceof Scalar s && s.value() instanceof Long l) {
      if (l < min || l > max) {
        problem(n.line(), key, l + " is out of range " + min + ".." + max);
        return null;
      }
      return l;
    }
    wrongType(n, key, "an integer");
    return null;
  }

  Double number(Node n, String key, double min, double max, String unit) {
    if (n instanceof Scalar s && s.isNumber()) {
      double v = ((Number) s.value()).doubleValue();
      if (!(v >= min && v <= max)) {
        problem(n.line(), key, ExperimentSpec.number(v) + " is out of range " + ExperimentSpec.number(min) + ".."
            + ExperimentSpec.number(max) + (unit.isEmpty() ? "" : " " + unit));
        return null;
      }
      return v;
    }
    wrongType(n, key, "a number");
    return null;
  }

  Long duration(Entry e, String key) {
    if (e == null) return null;
    if (e.value() instanceof Scalar s && s.value() instanceof String str) {
      Long ns = WorkloadSource.parseDuration(str);
      if (ns == null) {
        problem(s.line(), key, "'" + str + "' is not a duration; write a number and a unit: 500ms, 2s, 1.5s, 1m");
      } else if (ns < 1_000_000 || ns > 3_600_000_000_000L) {
        problem(s.line(), key, str + " is out of range 1ms..1h");
      } else {
        return ns;
      }
      return null;
    }
    wrongType(e.value(), key, "a duration with a unit such as 500ms or 2s");
    return null;
  }

  // ------------------------------------------------------------------ seeds and machines

  List<Long> seeds(Entry e) {
    if (e == null) return List.of(1L);
    Node n = e.value();
    if (n instanceof Scalar s && s.value() instanceof Long) {
      Long count = integer(n, "seeds", 1, 10_000);
      List<Long> out = new ArrayList<>();
      for (long i = 1; count != null && i <= count; i++) out.add(i);
      return out;
    }
    if (!(n instanceof ListNode list) || list.items().isEmpty()) {
      wrongType(n, "seeds", "a count (seeds: 3 means 1, 2, 3) or a non-empty list of integers");
      return List.of();
    }
    Set<Long> out = new LinkedHashSet<>();
    for (int i = 0; i < list.items().size(); i++) {
      Long s = integer(list.items().get(i), "seeds[" + i + "]", Long.MIN_VALUE, Long.MAX_VALUE);
      if (s != null && !out.add(s)) problem(list.items().get(i).line(), "seeds[" + i + "]", "seed " + s + " appears twice");
    }
    return List.copyOf(out);
  }

  /** {@code cpus:} and/or {@code topology:} of a mapping, or {@code fallback} if neither is there. */
  CpuTopology machine(MapNode m, String prefix, CpuTopology fallback) {
    Entry cpusEntry = m.entries().get("cpus");
    Entry topoEntry = m.entries().get("topology");
    Long cpus = cpusEntry == null ? null : integer(cpusEntry.value(), prefix + "cpus", 1, MAX_CPUS);
    if (topoEntry == null) return cpus == null ? fallback : CpuTopology.flat(cpus.intValue());
    String key = prefix + "topology";
    if (!(topoEntry.value() instanceof MapNode t)) {
      wrongType(topoEntry.value(), key, "a mapping of llcs, cores_per_llc, threads_per_core");
      return fallback;
    }
    for (Entry e : t.entries().values()) if (!TOPOLOGY_KEYS.contains(e.key())) unknownKey(e, key + "." + e.key(), TOPOLOGY_KEYS);
    long[] n = new long[3];
    boolean ok = true;
    for (int i = 0; i < 3; i++) {
      Entry e = t.entries().get(TOPOLOGY_KEYS.get(i));
      Long v = e == null ? Long.valueOf(1) : integer(e.value(), key + "." + e.key(), 1, MAX_CPUS);
      if (v == null) ok = false;
      else n[i] = v;
    }
    if (!ok) return fallback;
    long total = n[0] * n[1] * n[2];
    if (total > MAX_CPUS) {
      problem(t.line(), key, "gives " + total + " CPUs; at most " + MAX_CPUS);
      return fallback;
    }
    if (cpus != null && cpus != total) {
      problem(cpusEntry.line(), prefix + "cpus", cpus + " does not match the topology's " + total + " CPUs (" + key
          + " on line " + topoEntry.line() + "); give one of them");
    }
    return SimConfig.topology((int) n[0], (int) n[1], (int) n[2]);
  }

  // ------------------------------------------------------------------ parameter grids

  static Parameter kernelParameter(String name) {
    for (Parameter p : KernelKnob.PARAMETERS) if (p.name().equals(name)) return p;
    return null;
  }

  static String kernelNames() {
    return String.join(", ", KernelKnob.PARAMETERS.stream().map(Parameter::name).toList());
  }

  /** A parameter's values: one number or a non-empty list, each within the parameter's range. */
  Axis axis(Entry e, String key, Parameter p) {
    List<Node> nodes = e.value() instanceof ListNode l ? l.items() : List.of(e.value());
    if (nodes.isEmpty()) {
      problem(e.line(), key, "an empty list: give at least one value");
      return null;
    }
    List<Double> values = new ArrayList<>();
    for (int i = 0; i < nodes.size(); i++) {
      String k = nodes.size() == 1 && !(e.value() instanceof ListNode) ? key : key + "[" + i + "]";
      Double v = number(nodes.get(i), k, p.min(), p.max(), p.unit());
      if (v == null) continue;
      if (values.contains(v)) problem(nodes.get(i).line(), k, ExperimentSpec.number(v) + " appears twice");
      else values.add(v);
    }
    return values.size() == nodes.size() ? new Axis(p.name(), key, e.line(), values) : null;
  }

  /** {@code kernel: {idle_fastpath: [0, 1]}} and top-level {@code kernel.idle_fastpath: [0, 1]}. */
  private Map<String, Axis> kernelGrid(MapNode top) {
    List<Entry> entries = new ArrayList<>();
    Entry k = top.entries().get("kernel");
    if (k != null) {
      if (k.value() instanceof MapNode km) entries.addAll(km.entries().values());
      else wrongType(k.value(), "kernel", "a mapping of kernel parameters to values, e.g. idle_fastpath: [0, 1]");
    }
    for (Entry e : top.entries().values()) if (e.key().startsWith("kernel.")) entries.add(e);
    Map<String, Axis> grid = new LinkedHashMap<>();
    for (Entry e : entries) {
      String name = e.key().startsWith("kernel.") ? e.key() : "kernel." + e.key();
      Parameter p = kernelParameter(name);
      if (p == null) {
        problem(e.line(), name, "unknown kernel parameter; known: " + kernelNames());
        continue;
      }
      if (grid.containsKey(name)) {
        problem(e.line(), name, "given twice (also on line " + grid.get(name).line() + ")");
        continue;
      }
      Axis a = axis(e, name, p);
      if (a != null) grid.put(name, a);
    }
    return grid;
  }

  private List<Variant> policies(MapNode top, Map<String, Axis> kernelGrid) {
    Entry e = top.entries().get("policies");
    if (e == null) {
      problem(top.line(), "policies", "is required: a list of policy names, each optionally with a parameter grid");
      return List.of();
    }
    List<Entry> entries = new ArrayList<>(); // policy name (with its line) -> grid or null
    List<String> keys = new ArrayList<>();
    if (e.value() instanceof ListNode list && !list.items().isEmpty()) {
      for (int i = 0; i < list.items().size(); i++) {
        Node item = list.items().get(i);
        if (item instanceof Scalar s && s.value() instanceof String name) {
          entries.add(new Entry(name, s.line(), null));
          keys.add("policies[" + i + "]");
        } else if (item instanceof MapNode m && m.entries().size() == 1) {
          Entry only = m.entries().values().iterator().next();
          entries.add(only);
          keys.add("policies[" + i + "]." + only.key());
        } else {
          wrongType(item, "policies[" + i + "]", "a policy name, or one name with its grid (deadline: {slice_max_us: [5000, 20000]})");
        }
      }
    } else if (e.value() instanceof MapNode m && !m.entries().isEmpty()) {
      for (Entry pe : m.entries().values()) {
        entries.add(pe);
        keys.add("policies." + pe.key());
      }
    } else {
      wrongType(e.value(), "policies", "a non-empty list of policies");
      return List.of();
    }
    List<Variant> out = new ArrayList<>();
    Map<String, String> labels = new LinkedHashMap<>();
    for (int i = 0; i < entries.size(); i++) {
      Entry pe = entries.get(i);
      String key = keys.get(i);
      String name = pe.key();
      if (!PolicyCatalog.installed().names().contains(name)) {
        problem(pe.line(), key, "unknown policy '" + name + "'; choose one of " + String.join(", ", PolicyCatalog.installed().names()));
        continue;
      }
      List<Axis> axes = policyGrid(pe, key, name, kernelGrid);
      if (axes == null) continue;
      for (Map<String, Double> point : cartesian(axes)) {
        String label = Variant.labelOf(name, point);
        Variant v = new Variant(label, name, point);
        try {
          v.configure();
        } catch (RuntimeException ex) {
          problem(pe.line(), key, label + ": " + ex.getMessage());
          continue;
        }
        String before = labels.putIfAbsent(label, key);
        if (before != null) problem(pe.line(), key, label + " is already run by " + before);
        else out.add(v);
      }
    }
    return out;
  }

  /** A policy's own grid plus the kernel grid; null if any of it is invalid. */
  private List<Axis> policyGrid(Entry pe, String key, String name, Map<String, Axis> kernelGrid) {
    List<Axis> axes = new ArrayList<>();
    boolean ok = true;
    Node grid = pe.value();
    if (grid instanceof MapNode gm) {
      List<Parameter> own = PolicyCatalog.installed().create(name).parameters().stream().map(Param::spec).toList();
      for (Entry pa : gm.entries().values()) {
        String pkey = key + "." + pa.key();
        Parameter p = pa.key().startsWith("kernel.") ? kernelParameter(pa.key())
            : own.stream().filter(x -> x.name().equals(pa.key())).findFirst().orElse(null);
        if (p == null) {
          String known = String.join(", ", own.stream().map(Parameter::name).toList());
          problem(pa.line(), pkey, "unknown parameter of policy " + name + "; known: "
              + (known.isEmpty() ? "(none)" : known) + "; kernel: " + kernelNames());
          ok = false;
          continue;
        }
        if (kernelGrid.containsKey(p.name())) {
          problem(pa.line(), pkey, "also set by the top-level kernel grid (line " + kernelGrid.get(p.name()).line() + ")");
          ok = false;
          continue;
        }
        Axis a = axis(pa, pkey, p);
        if (a == null) ok = false;
        else axes.add(a);
      }
    } else if (grid != null && !(grid instanceof Scalar s && s.value() == null)) {
      wrongType(grid, key, "a mapping of parameters to values, e.g. {slice_max_us: [5000, 20000]}");
      ok = false;
    }
    axes.addAll(kernelGrid.values());
    return ok ? axes : null;
  }

  /** Every combination, the last axis varying fastest. */
  private static List<Map<String, Double>> cartesian(List<Axis> axes) {
    List<Map<String, Double>> points = new ArrayList<>();
    points.add(new LinkedHashMap<>());
    for (Axis a : axes) {
      List<Map<String, Double>> next = new ArrayList<>();
      for (Map<String, Double> p : points) {
        for (double v : a.values()) {
          Map<String, Double> q = new LinkedHashMap<>(p);
          q.put(a.name(), v);
          next.add(q);
        }
      }
      points = next;
    }
    return points;
  }

  // ------------------------------------------------------------------ workloads and costs

  List<WorkloadSource> workloads(MapNode top, CpuTopology machine, Long defaultDuration) {
    Entry e = top.entries().get("workloads");
    if (e == null) {
      problem(top.line(), "workloads", "is required: a list of workloads (synthetic: NAME or trace: FILE)");
      return List.of();
    }
    if (!(e.value() instanceof ListNode list) || list.items().isEmpty()) {
      wrongType(e.value(), "workloads", "a non-empty list of workloads");
      return List.of();
    }
    List<WorkloadSource> out = new ArrayList<>();
    Map<String, String> labels = new LinkedHashMap<>();
    for (int i = 0; i < list.items().size(); i++) {
      String key = "workloads[" + i + "]";
      Node item = list.items().get(i);
      WorkloadSource w = switch (item) {
        case Scalar s when s.value() instanceof String name -> synthetic(key, s.line(), name, null, machine, defaultDuration, null);
        case MapNode m -> workload(key, m, machine, defaultDuration);
        default -> {
          wrongType(item, key, "a workload name or a mapping (synthetic: NAME, duration: 2s / trace: FILE)");
          yield null;
        }
      };
      if (w == null) continue;
      String before = labels.putIfAbsent(w.label(), key);
      if (before != null) {
        problem(item.line(), key, "a second workload labelled '" + w.label() + "' (first: " + before + "); give one a label:");
      } else {
        out.add(w);
      }
    }
    return out;
  }

  private WorkloadSource workload(String key, MapNode m, CpuTopology machine, Long defaultDuration) {
    for (Entry e : m.entries().values()) if (!WORKLOAD_KEYS.contains(e.key())) unknownKey(e, key + "." + e.key(), WORKLOAD_KEYS);
    Entry syn = m.entries().get("synthetic");
    Entry trace = m.entries().get("trace");
    if ((syn == null) == (trace == null)) {
      problem(m.line(), key, "give exactly one of synthetic: NAME (" + String.join(", ", Workloads.NAMES) + ") or trace: FILE");
      return null;
    }
    String label = string(m, "label", key + ".label", false);
    CpuTopology topo = machine(m, key + ".", machine);
    if (syn != null) {
      String name = string(m, "synthetic", key + ".synthetic", true);
      if (name == null) return null;
      return synthetic(key + ".synthetic", syn.line(), name, m.entries().get("duration"), topo, defaultDuration, label);
    }
    if (m.entries().containsKey("duration")) {
      problem(m.entries().get("duration").line(), key + ".duration", "applies to synthetic workloads only (a trace lasts as long as it does)");
    }
    String path = string(m, "trace", key + ".trace", true);
    if (path == null) return null;
    Path p = baseDir == null ? Path.of(path) : baseDir.resolve(path);
    if (!Files.isRegularFile(p) || !Files.isReadable(p)) {
      problem(trace.line(), key + ".trace", "no such readable file: " + p.toAbsolutePath().normalize());
      return null;
    }
    boolean cpusGiven = m.entries().containsKey("cpus") || m.entries().containsKey("topology");
    return new TraceSource(label != null ? label : WorkloadSource.baseName(p), p.toAbsolutePath().normalize(),
        cpusGiven ? topo : null);
  }

  private WorkloadSource synthetic(String key, int line, String name, Entry durationEntry, CpuTopology topo,
      Long defaultDuration, String label) {
    if (!Workloads.NAMES.contains(name)) {
      problem(line, key, "unknown synthetic workload '" + name + "'; choose one of " + String.join(", ", Workloads.NAMES));
      return null;
    }
    Long ns = durationEntry != null ? duration(durationEntry, key.replace(".synthetic", "") + ".duration") : defaultDuration;
    if (ns == null) {
      if (durationEntry == null && !durationGiven) problem(line, key, "needs a duration (on the workload, or a top-level duration:)");
      return null;
    }
    return new WorkloadSource.Synthetic(label != null ? label : name, name, topo, ns);
  }

  SimCosts sim(Entry e) {
    SimCosts d = SimCosts.DEFAULTS;
    if (e == null) return d;
    if (!(e.value() instanceof MapNode m)) {
      wrongType(e.value(), "sim", "a mapping of " + String.join(", ", SIM_KEYS));
      return d;
    }
    for (Entry x : m.entries().values()) if (!SIM_KEYS.contains(x.key())) unknownKey(x, "sim." + x.key(), SIM_KEYS);
    long rt = simValue(m, "round_trip_us", 1_000, d.roundTripNs());
    long decide = simValue(m, "decide_ns", 1, d.decideNsPerTask());
    long wake = simValue(m, "wake_latency_us", 1_000, d.wakeLatencyNs());
    long sw = simValue(m, "switch_cost_us", 1_000, d.switchCostNs());
    return new SimCosts(wake, rt, decide, sw);
  }

  private long simValue(MapNode m, String name, long nsPerUnit, long fallback) {
    Entry e = m.entries().get(name);
    if (e == null) return fallback;
    Double v = number(e.value(), "sim." + name, 0, 1_000_000_000.0 / nsPerUnit, "");
    return v == null ? fallback : Math.round(v * nsPerUnit);
  }
}
