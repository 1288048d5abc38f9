package javaland.lab.experiment;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javaland.lab.experiment.ExperimentRunner.RunResult;
import javaland.lab.experiment.ResultTable.ClassCell;
import javaland.lab.experiment.ResultTable.Row;
import javaland.runtime.kernel.KernelStats;
import javaland.runtime.kernel.sim.SimMetrics;

/**
 * The machine-readable results: a CSV with one row per run, and a JSON document with every run
 * and the aggregated table. Both hold only simulated measurements (no dates, no wall-clock
 * times), so the same spec gives the same bytes.
 */
public final class ResultFiles {
  public static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectMapper PRETTY = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private ResultFiles() {}

  // ------------------------------------------------------------------ CSV

  /** A summary's list of the plots it wrote ({@code output.plots}) and, if any, its {@code warnings}. */
  public static void plotsAndWarnings(ObjectNode summary, ObjectNode output, List<Path> plots, List<String> warnings) {
    ArrayNode p = output.putArray("plots");
    plots.forEach(x -> p.add(x.toString()));
    if (!warnings.isEmpty()) {
      ArrayNode w = summary.putArray("warnings");
      warnings.forEach(w::add);
    }
  }

  static void writeCsv(Path file, List<RunResult> runs) throws IOException {
    Set<String> params = new LinkedHashSet<>();
    Set<String> classes = new LinkedHashSet<>();
    for (RunResult r : runs) {
      params.addAll(r.variant().settings().keySet());
      classes.addAll(r.metrics().classes().keySet());
    }
    List<String> head = new ArrayList<>(List.of("run", "policy", "variant", "workload", "workload_kind", "cpus", "seed"));
    for (String p : params) head.add("param." + p);
    head.addAll(List.of("tasks", "events", "exit", "exit_reason", "delay_count", "delay_p50_us", "delay_p90_us",
        "delay_p99_us", "delay_max_us", "delay_mean_us", "response_p50_us", "response_p99_us", "throughput",
        "utilisation", "makespan_ms", "fairness", "context_switches", "migrations", "fallbacks", "rescued", "ring_full",
        "congested", "queued", "user_dispatches", "kernel_dispatches", "idle_dispatches", "cancelled", "bounced",
        "activations", "deadline_misses"));
    for (String c : classes) {
      for (String f : List.of("tasks", "delay_p50_us", "delay_p99_us", "delay_max_us", "fairness")) head.add(c + "." + f);
    }
    StringBuilder s = new StringBuilder();
    line(s, head);
    for (RunResult r : runs) {
      SimMetrics m = r.metrics();
      KernelStats k = m.kernel();
      List<String> c = new ArrayList<>(List.of(Integer.toString(r.index() + 1), r.variant().policy(), r.variant().label(),
          r.workload().label(), r.workload().kind(), Integer.toString(m.nrCpus()), Long.toString(r.seed())));
      for (String p : params) {
        Double v = r.variant().settings().get(p);
        c.add(v == null ? "" : ExperimentSpec.number(v));
      }
      c.addAll(List.of(Integer.toString(m.tasks()), Long.toString(m.events()), exitKind(m), exitReason(m),
          Long.toString(m.schedDelay().count()), us(m.schedDelay().p50Ns()), us(m.schedDelay().p90Ns()),
          us(m.schedDelay().p99Ns()), us(m.schedDelay().maxNs()), dbl(m.schedDelay().meanNs() / 1e3),
          us(m.response().p50Ns()), us(m.response().p99Ns()), dbl(m.throughput()), dbl(m.utilisation()),
          dbl(m.makespanNs() / 1e6), dbl(m.fairness()), Long.toString(m.contextSwitches()), Long.toString(m.migrations()),
          Long.toString(ResultTable.fallbacks(k)), Long.toString(k.fallbacks()), Long.toString(k.ringFull()),
          Long.toString(k.congested()), Long.toString(k.queued()), Long.toString(k.userDispatches()),
          Long.toString(k.kernelDispatches()), Long.toString(k.idleDispatches()), Long.toString(k.cancelled()),
          Long.toString(k.bounced()), Long.toString(m.activations()), Long.toString(m.deadlineMisses())));
      for (String cl : classes) {
        SimMetrics.ClassMetrics cm = m.classes().get(cl);
        if (cm == null) {
          for (int i = 0; i < 5; i++) c.add("");
        } else {
          c.addAll(List.of(Integer.toString(cm.tasks()), us(cm.schedDelay().p50Ns()), us(cm.schedDelay().p99Ns()),
              us(cm.schedDelay().maxNs()), dbl(cm.fairness())));
        }
      }
      line(s, c);
    }
    Files.writeString(file, s, StandardCharsets.UTF_8);
  }

  private static void line(StringBuilder s, List<String> cells) {
    for (int i = 0; i < cells.size(); i++) {
      if (i > 0) s.append(',');
      s.append(csv(cells.get(i)));
    }
    s.append('\n');
  }

  static String csv(String v) {
    if (v.indexOf(',') < 0 && v.indexOf('"') < 0 && v.indexOf('\n') < 0 && v.indexOf('\r') < 0) return v;
    return '"' + v.replace("\"", "\"\"") + '"';
  }

  private static String us(long ns) {
    return dbl(ns / 1e3);
  }

  private static String dbl(double v) {
    return Double.toString(v);
  }

  private static String exitKind(SimMetrics m) {
    return m.exit() == null ? "running" : m.exit().kindName();
  }

  private static String exitReason(SimMetrics m) {
    return m.exit() == null ? "" : m.exit().reason();
  }

  // ------------------------------------------------------------------ JSON

  static void writeJson(Path file, ExperimentSpec spec, List<RunResult> runs, ResultTable table) throws IOException {
    Files.writeString(file, PRETTY.writeValueAsString(document(spec, runs, table)) + "\n", StandardCharsets.UTF_8);
  }

  static ObjectNode document(ExperimentSpec spec, List<RunResult> runs, ResultTable table) {
    ObjectNode root = JSON.createObjectNode();
    root.put("experiment", spec.name());
    root.put("description", spec.description());
    ArrayNode seeds = root.putArray("seeds");
    spec.seeds().forEach(seeds::add);
    ArrayNode vs = root.putArray("variants");
    for (ExperimentSpec.Variant v : spec.variants()) {
      ObjectNode o = vs.addObject().put("label", v.label()).put("policy", v.policy());
      settings(o.putObject("settings"), v.settings());
    }
    ArrayNode ws = root.putArray("workloads");
    for (WorkloadSource w : spec.workloads()) {
      ws.addObject().put("label", w.label()).put("kind", w.kind()).put("cpus", w.topology().nrCpus())
          .put("description", w.describe());
    }
    ArrayNode upper = root.putArray("delay_bin_upper_us");
    for (int i = 0; i < DelayBins.BINS; i++) upper.add(DelayBins.upperNs(i) / 1e3);
    ArrayNode rs = root.putArray("runs");
    for (RunResult r : runs) run(rs.addObject(), r);
    ArrayNode ts = root.putArray("table");
    for (Row row : table.rows()) row(ts.addObject(), row, true);
    return root;
  }

  private static void settings(ObjectNode o, Map<String, Double> settings) {
    settings.forEach(o::put);
  }

  private static void latency(ObjectNode o, SimMetrics.Latency l) {
    o.put("count", l.count()).put("p50", l.p50Ns() / 1e3).put("p90", l.p90Ns() / 1e3).put("p99", l.p99Ns() / 1e3)
        .put("max", l.maxNs() / 1e3).put("mean", l.meanNs() / 1e3);
  }

  private static void run(ObjectNode o, RunResult r) {
    SimMetrics m = r.metrics();
    o.put("run", r.index() + 1).put("variant", r.variant().label()).put("policy", r.variant().policy());
    settings(o.putObject("settings"), r.variant().settings());
    o.put("workload", r.workload().label()).put("seed", r.seed()).put("cpus", m.nrCpus()).put("tasks", m.tasks())
        .put("events", m.events());
    ObjectNode exit = o.putObject("exit");
    if (m.exit() != null) {
      exit.put("kind", m.exit().kindName()).put("code", m.exit().kind()).put("reason", m.exit().reason())
          .put("message", m.exit().message());
    }
    latency(o.putObject("delay_us"), m.schedDelay());
    latency(o.putObject("response_us"), m.response());
    o.put("throughput", m.throughput()).put("utilisation", m.utilisation()).put("makespan_ms", m.makespanNs() / 1e6)
        .put("fairness", m.fairness()).put("context_switches", m.contextSwitches()).put("migrations", m.migrations())
        .put("fallbacks", ResultTable.fallbacks(m.kernel())).put("activations", m.activations())
        .put("deadline_misses", m.deadlineMisses());
    KernelStats k = m.kernel();
    o.putObject("kernel").put("queued", k.queued()).put("user_dispatches", k.userDispatches())
        .put("kernel_dispatches", k.kernelDispatches()).put("idle_dispatches", k.idleDispatches())
        .put("rescued", k.fallbacks()).put("ring_full", k.ringFull()).put("congested", k.congested())
        .put("cancelled", k.cancelled()).put("bounced", k.bounced()).put("heartbeats", k.heartbeats())
        .put("round_trip_p50_us", k.roundTripP50Ns() / 1e3).put("round_trip_p99_us", k.roundTripP99Ns() / 1e3);
    ObjectNode cls = o.putObject("classes");
    m.classes().forEach((name, c) -> {
      ObjectNode co = cls.putObject(name).put("tasks", c.tasks()).put("cpu_ms", c.cpuNs() / 1e6).put("fairness", c.fairness());
      latency(co.putObject("delay_us"), c.schedDelay());
      latency(co.putObject("response_us"), c.response());
      co.put("activations", c.activations()).put("deadline_misses", c.deadlineMisses());
    });
  }

  /** One aggregated row; {@code withCdf} adds the merged delay CDF (one fraction per bin). */
  static void row(ObjectNode o, Row r, boolean withCdf) {
    o.put("variant", r.variant()).put("policy", r.policy());
    settings(o.putObject("settings"), r.settings());
    o.put("workload", r.workload()).put("seeds", r.seeds()).put("failed_runs", r.failedRuns());
    o.putObject("delay_us").put("p50", r.delayP50Us()).put("p99", r.delayP99Us());
    ObjectNode cls = o.putObject("classes");
    for (ClassCell c : r.classes()) cls.putObject(c.name()).put("p50_us", c.p50Us()).put("p99_us", c.p99Us());
    o.put("throughput", r.throughput()).put("makespan_ms", r.makespanMs()).put("fairness", r.fairness())
        .put("migrations", r.migrations()).put("fallbacks", r.fallbacks());
    if (withCdf) {
      ArrayNode cdf = o.putArray("delay_cdf");
      for (double f : DelayBins.cdf(r.delayBins())) cdf.add(Double.parseDouble(String.format(Locale.ROOT, "%.6f", f)));
    }
  }
}
