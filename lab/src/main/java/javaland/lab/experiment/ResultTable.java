package javaland.lab.experiment;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.ToDoubleFunction;
import javaland.lab.experiment.ExperimentRunner.RunResult;
import javaland.runtime.kernel.KernelStats;
import javaland.runtime.kernel.sim.SimMetrics;

/**
 * The aggregated table: one row per variant x workload, each number the median over the seeds
 * (the mean of the middle two for an even count). Delays in microseconds.
 */
public record ResultTable(List<Row> rows) {
  public ResultTable {
    rows = List.copyOf(rows);
  }

  /** A task class's median delay percentiles, in us. */
  public record ClassCell(String name, double p50Us, double p99Us) {}

  /**
   * @param failedRuns runs that ended in an error (a stall, a deadlock) rather than finishing
   * @param fallbacks tasks the kernel dispatched itself instead of Java: rescued, ring full, congested
   * @param delayBins the seeds' delay distributions merged ({@link DelayBins})
   */
  public record Row(String variant, String policy, Map<String, Double> settings, String workload, int seeds,
      int failedRuns, double delayP50Us, double delayP99Us, List<ClassCell> classes, double throughput,
      double makespanMs, double fairness, double migrations, double fallbacks, long[] delayBins) {}

  /** Tasks the kernel dispatched without a decision from Java. */
  static long fallbacks(KernelStats k) {
    return k.fallbacks() + k.ringFull() + k.congested();
  }

  static boolean failed(SimMetrics m) {
    return m.exit() == null || m.exit().isError();
  }

  public static ResultTable of(List<RunResult> runs) {
    Map<String, List<RunResult>> groups = new LinkedHashMap<>();
    for (RunResult r : runs) {
      groups.computeIfAbsent(r.variant().label() + "\u0000" + r.workload().label(), k -> new ArrayList<>()).add(r);
    }
    List<Row> rows = new ArrayList<>();
    for (List<RunResult> g : groups.values()) {
      RunResult first = g.get(0);
      Set<String> classNames = new LinkedHashSet<>();
      for (RunResult r : g) classNames.addAll(r.metrics().classes().keySet());
      List<ClassCell> classes = new ArrayList<>();
      for (String c : classNames) {
        List<RunResult> with = g.stream().filter(r -> r.metrics().classes().containsKey(c)).toList();
        classes.add(new ClassCell(c, median(with, r -> r.metrics().cls(c).schedDelay().p50Ns() / 1e3),
            median(with, r -> r.metrics().cls(c).schedDelay().p99Ns() / 1e3)));
      }
      rows.add(new Row(first.variant().label(), first.variant().policy(), first.variant().settings(),
          first.workload().label(), g.size(), (int) g.stream().filter(r -> failed(r.metrics())).count(),
          median(g, r -> r.metrics().schedDelay().p50Ns() / 1e3), median(g, r -> r.metrics().schedDelay().p99Ns() / 1e3),
          classes, median(g, r -> r.metrics().throughput()), median(g, r -> r.metrics().makespanNs() / 1e6),
          median(g, r -> r.metrics().fairness()), median(g, r -> r.metrics().migrations()),
          median(g, r -> fallbacks(r.metrics().kernel())), DelayBins.merge(g.stream().map(RunResult::delayBins).toList())));
    }
    return new ResultTable(rows);
  }

  static double median(List<RunResult> runs, ToDoubleFunction<RunResult> f) {
    double[] v = runs.stream().mapToDouble(f).sorted().toArray();
    if (v.length == 0) return Double.NaN;
    int mid = v.length / 2;
    return v.length % 2 == 1 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
  }

  /** Workload labels in row order. */
  public List<String> workloads() {
    return rows.stream().map(Row::workload).distinct().toList();
  }

  public List<Row> rowsOf(String workload) {
    return rows.stream().filter(r -> r.workload().equals(workload)).toList();
  }

  /** Class names of a workload's rows, in order of first appearance. */
  public static List<String> classNames(List<Row> rows) {
    Set<String> out = new LinkedHashSet<>();
    for (Row r : rows) for (ClassCell c : r.classes()) out.add(c.name());
    return List.copyOf(out);
  }

  /** Column headings shared by the terminal table and the HTML report. */
  static List<String> headings(List<String> classes) {
    List<String> h = new ArrayList<>(List.of("policy", "delay p50", "delay p99"));
    h.addAll(classes);
    h.addAll(List.of("throughput", "makespan ms", "fairness", "migrations", "fallbacks"));
    return h;
  }

  /** One row's cells, formatted, in the order of {@link #headings}. */
  static List<String> cells(Row r, List<String> classes) {
    List<String> c = new ArrayList<>();
    c.add(r.variant() + (r.failedRuns() > 0 ? " (!" + r.failedRuns() + ")" : ""));
    c.add(us(r.delayP50Us()));
    c.add(us(r.delayP99Us()));
    for (String name : classes) {
      ClassCell cell = r.classes().stream().filter(x -> x.name().equals(name)).findFirst().orElse(null);
      c.add(cell == null ? "-" : us(cell.p50Us()) + "/" + us(cell.p99Us()));
    }
    c.add(String.format(Locale.ROOT, "%.3f", r.throughput()));
    c.add(String.format(Locale.ROOT, "%.1f", r.makespanMs()));
    c.add(String.format(Locale.ROOT, "%.4f", r.fairness()));
    c.add(count(r.migrations()));
    c.add(count(r.fallbacks()));
    return c;
  }

  /** Microseconds: one decimal below 100, whole numbers above. */
  static String us(double v) {
    if (Double.isNaN(v)) return "-";
    return v < 100 ? String.format(Locale.ROOT, "%.1f", v) : String.format(Locale.ROOT, "%.0f", v);
  }

  static String count(double v) {
    return v == Math.rint(v) ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.1f", v);
  }

  /**
   * The terminal table: a block per workload with its own class columns; numbers right-aligned.
   * {@code describe} maps a workload label to its description.
   */
  public String format(Map<String, String> describe) {
    StringBuilder s = new StringBuilder();
    for (String w : workloads()) {
      List<Row> rows = rowsOf(w);
      List<String> classes = classNames(rows);
      List<String> head = headings(classes);
      List<List<String>> body = rows.stream().map(r -> cells(r, classes)).toList();
      int[] width = new int[head.size()];
      for (int i = 0; i < head.size(); i++) {
        width[i] = head.get(i).length();
        for (List<String> b : body) width[i] = Math.max(width[i], b.get(i).length());
      }
      if (!s.isEmpty()) s.append('\n');
      s.append("== ").append(w).append(": ").append(describe.getOrDefault(w, "")).append(", median of ")
          .append(rows.get(0).seeds()).append(rows.get(0).seeds() == 1 ? " seed" : " seeds")
          .append("\n   scheduling delay in us; class columns: p50/p99 of that class\n");
      appendLine(s, head, width);
      char[] rule = new char[Arrays.stream(width).sum() + 2 * (width.length - 1)];
      Arrays.fill(rule, '-');
      s.append(rule).append('\n');
      for (List<String> b : body) appendLine(s, b, width);
    }
    if (rows.stream().anyMatch(r -> r.failedRuns() > 0)) {
      s.append("(!N): N of the seeds' runs ended in an error (stall or deadlock); see the CSV's exit column\n");
    }
    return s.toString();
  }

  private static void appendLine(StringBuilder s, List<String> cells, int[] width) {
    for (int i = 0; i < cells.size(); i++) {
      if (i > 0) s.append("  ");
      String c = cells.get(i);
      String pad = " ".repeat(width[i] - c.length());
      s.append(i == 0 ? c + pad : pad + c);
    }
    int end = s.length();
    while (end > 0 && s.charAt(end - 1) == ' ') end--;
    s.setLength(end);
    s.append('\n');
  }
}
