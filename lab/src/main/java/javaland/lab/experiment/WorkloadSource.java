package javaland.lab.experiment;

import java.nio.file.Path;
import java.util.Locale;
import javaland.sdk.CpuTopology;
import javaland.runtime.kernel.sim.Workload;
import javaland.runtime.kernel.sim.Workloads;

/**
 * Where one workload entry of a spec comes from: a synthetic generator or a recorded trace. An
 * experiment asks it for a fresh {@link Workload} per run (seed), on the machine it names.
 */
public sealed interface WorkloadSource permits WorkloadSource.Synthetic, TraceSource {
  /** Unique within an experiment: how tables, files and plots name this workload. */
  String label();

  /** "synthetic" or "trace". */
  String kind();

  /** The simulated machine this workload runs on. */
  CpuTopology topology();

  /** One line for reports: what it is, on how many CPUs, for how long. */
  String describe();

  /** Does the slow part (reading a trace) once, before any run; errors here stop the experiment. */
  default void prepare() throws Exception {}

  /**
   * The workload for one run. Synthetic workloads draw everything from {@code seed}; a trace is
   * the same whatever the seed (the seed still reaches the simulated tasks' own generators).
   */
  Workload workload(long seed) throws Exception;

  /** One of {@link Workloads#NAMES}, {@code durationNs} of virtual time, scaled to the CPUs. */
  record Synthetic(String label, String name, CpuTopology topology, long durationNs) implements WorkloadSource {
    @Override
    public String kind() {
      return "synthetic";
    }

    @Override
    public String describe() {
      return "synthetic '" + name + "', " + topology.nrCpus() + " CPUs, " + formatDuration(durationNs);
    }

    @Override
    public Workload workload(long seed) {
      return Workloads.named(name, seed, topology.nrCpus(), durationNs);
    }
  }

  /** Durations as a spec writes them: 500ms, 2s, 1.5s, 300us, 1m. */
  static String formatDuration(long ns) {
    if (ns % 60_000_000_000L == 0) return ns / 60_000_000_000L + "m";
    if (ns % 1_000_000_000L == 0) return ns / 1_000_000_000L + "s";
    if (ns % 1_000_000L == 0) return ns / 1_000_000L + "ms";
    if (ns % 1_000L == 0) return ns / 1_000L + "us";
    return ns + "ns";
  }

  /** Parses a duration with a unit (ns, us, ms, s, m); null if it is not one. */
  static Long parseDuration(String text) {
    var m = java.util.regex.Pattern.compile("\\s*([0-9]+(?:\\.[0-9]+)?)\\s*(ns|us|µs|ms|s|m)\\s*")
        .matcher(text.toLowerCase(Locale.ROOT));
    if (!m.matches()) return null;
    double unit = switch (m.group(2)) {
      case "ns" -> 1;
      case "us", "µs" -> 1e3;
      case "ms" -> 1e6;
      case "s" -> 1e9;
      default -> 60e9;
    };
    double ns = Double.parseDouble(m.group(1)) * unit;
    return ns > Long.MAX_VALUE / 2 ? null : Math.round(ns);
  }

  /** The file name without its extension, for a default label. */
  static String baseName(Path p) {
    String n = p.getFileName().toString();
    int dot = n.indexOf('.');
    return dot > 0 ? n.substring(0, dot) : n;
  }
}
