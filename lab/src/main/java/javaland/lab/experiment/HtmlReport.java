package javaland.lab.experiment;

import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javaland.lab.experiment.ExperimentRunner.RunResult;
import javaland.lab.experiment.ResultTable.Row;
import javaland.runtime.kernel.sim.SimMetrics;

/**
 * One self-contained HTML file: CSS inline, charts as base64 data URIs, the aggregated tables,
 * every run, the spec as written and where the results came from. Opens anywhere, offline.
 */
public final class HtmlReport {
  private HtmlReport() {}

  /** Charts of one workload, as PNG bytes (either may be null if plotting was impossible). */
  record Charts(byte[] cdf, byte[] bars) {}

  public static final String CSS = """
      body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:#222;margin:0 auto;max-width:1180px;padding:24px}
      h1{margin:0 0 4px}h2{margin:36px 0 6px;border-bottom:1px solid #ddd;padding-bottom:4px}
      .sub{color:#555;margin:0 0 12px}
      table{border-collapse:collapse;margin:10px 0 16px;font-size:13.5px}
      th,td{padding:4px 9px;border-bottom:1px solid #e5e5e5;text-align:right;white-space:nowrap}
      th{background:#f4f4f4;position:sticky;top:0}
      td:first-child,th:first-child{text-align:left}
      tr:hover td{background:#fafafa}
      .sw{display:inline-block;width:11px;height:11px;border-radius:2px;margin-right:6px;vertical-align:-1px}
      .best{font-weight:600;color:#0a6a2a}
      .bad{color:#b00020}
      img{max-width:100%;border:1px solid #eee;margin:6px 0}
      pre{background:#f7f7f7;padding:12px;overflow:auto;font-size:13px}
      dl{display:grid;grid-template-columns:max-content auto;gap:2px 14px}dt{color:#555}dd{margin:0}
      details{margin:12px 0}summary{cursor:pointer;font-weight:600}
      .note{color:#555;font-size:13.5px}
      """;

  static String render(ExperimentSpec spec, List<RunResult> runs, ResultTable table, Map<String, Charts> charts,
      Provenance prov, int threads, double wallSeconds) {
    StringBuilder h = new StringBuilder(64 * 1024);
    h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">")
        .append("<title>").append(esc(spec.name())).append(" - javaland experiment</title><style>").append(CSS)
        .append("</style></head><body>\n");
    h.append("<h1>").append(esc(spec.name())).append("</h1>\n");
    h.append("<p class=\"sub\">");
    if (!spec.description().isEmpty()) h.append(esc(spec.description())).append("<br>");
    h.append(runs.size()).append(" simulated runs: ").append(spec.variants().size()).append(" policy variants &times; ")
        .append(spec.workloads().size()).append(" workloads &times; ").append(spec.seeds().size())
        .append(" seeds, in ").append(String.format(Locale.ROOT, "%.1f", wallSeconds)).append(" s</p>\n");
    h.append("<p class=\"note\">Every number in the tables is the median over the seeds. Scheduling delay is the time a ")
        .append("task waits between becoming runnable (woken, forked, or put back after its slice) and running, in ")
        .append("microseconds; class columns give p50 / p99. Lower is better for delays and makespan; higher for ")
        .append("throughput (CPUs' worth of work done) and fairness (Jain's index, 1 = even). Fallbacks are tasks the ")
        .append("kernel dispatched itself because Java did not decide in time or the ring was full. The best value ")
        .append("of each column is <span class=\"best\">highlighted</span> (not for migrations, which are neither).</p>\n");
    List<String> variants = spec.variants().stream().map(ExperimentSpec.Variant::label).toList();
    for (String w : table.workloads()) {
      List<Row> rows = table.rowsOf(w);
      WorkloadSource src = spec.workloads().stream().filter(s -> s.label().equals(w)).findFirst().orElseThrow();
      h.append("<h2>").append(esc(w)).append("</h2>\n<p class=\"sub\">").append(esc(src.describe())).append("</p>\n");
      table(h, rows, variants);
      Charts c = charts.get(w);
      if (c != null && c.cdf() != null) img(h, c.cdf(), "scheduling delay CDF, " + w);
      if (c != null && c.bars() != null) img(h, c.bars(), "p99 scheduling delay per task class, " + w);
    }
    runs(h, runs);
    h.append("<h2>Spec</h2>\n<p class=\"sub\">").append(esc(spec.file())).append("</p>\n<pre>").append(esc(spec.text()))
        .append("</pre>\n");
    h.append("<h2>Provenance</h2>\n<dl>");
    dl(h, "javaland", prov.version());
    dl(h, "git commit", prov.gitCommit());
    dl(h, "date", prov.date());
    dl(h, "seeds", spec.seeds().toString());
    dl(h, "simulated costs", String.format(Locale.ROOT, "round trip %.1f us + %d ns per task, wake latency %.1f us, context switch %.1f us",
        spec.sim().roundTripNs() / 1e3, spec.sim().decideNsPerTask(), spec.sim().wakeLatencyNs() / 1e3, spec.sim().switchCostNs() / 1e3));
    dl(h, "java", prov.java());
    dl(h, "host", prov.hostCpus() + " CPUs, " + threads + " worker threads");
    dl(h, "wall time", String.format(Locale.ROOT, "%.2f s", wallSeconds));
    h.append("</dl>\n<p class=\"note\">The simulated kernel is deterministic: the same spec gives the same numbers ")
        .append("(results.json byte for byte) on any machine and with any number of threads.</p>\n</body></html>\n");
    return h.toString();
  }

  private static void table(StringBuilder h, List<Row> rows, List<String> variants) {
    List<String> classes = ResultTable.classNames(rows);
    List<String> head = ResultTable.headings(classes);
    List<List<String>> cells = rows.stream().map(r -> ResultTable.cells(r, classes)).toList();
    // The best of each column: lowest delays, makespan, fallbacks; highest throughput, fairness.
    int n = head.size();
    double[] best = new double[n];
    for (int col = 1; col < n; col++) {
      if (head.get(col).equals("migrations")) { // neither good nor bad in itself
        best[col] = Double.NaN;
        continue;
      }
      boolean higher = head.get(col).equals("throughput") || head.get(col).equals("fairness");
      double lo = Double.POSITIVE_INFINITY;
      double hi = Double.NEGATIVE_INFINITY;
      for (List<String> row : cells) {
        double v = sortKey(row.get(col));
        if (Double.isNaN(v)) continue;
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
      best[col] = lo == hi ? Double.NaN : higher ? hi : lo; // all equal: nothing stands out
    }
    h.append("<table><thead><tr>");
    for (String s : head) h.append("<th>").append(esc(s)).append("</th>");
    h.append("</tr></thead><tbody>\n");
    for (int r = 0; r < rows.size(); r++) {
      h.append("<tr>");
      List<String> row = cells.get(r);
      int colour = Math.max(0, variants.indexOf(rows.get(r).variant()));
      java.awt.Color c = Plots.colour(colour);
      h.append("<td><span class=\"sw\" style=\"background:#").append(String.format("%06x", c.getRGB() & 0xffffff))
          .append("\"></span>").append(esc(rows.get(r).variant()));
      if (rows.get(r).failedRuns() > 0) {
        h.append(" <span class=\"bad\" title=\"runs that ended in an error\">(").append(rows.get(r).failedRuns())
            .append(" failed)</span>");
      }
      h.append("</td>");
      for (int col = 1; col < n; col++) {
        double v = sortKey(row.get(col));
        boolean isBest = !Double.isNaN(v) && v == best[col];
        h.append(isBest ? "<td class=\"best\">" : "<td>").append(esc(row.get(col))).append("</td>");
      }
      h.append("</tr>\n");
    }
    h.append("</tbody></table>\n");
  }

  /** The number a cell is compared by: the p99 of "p50/p99" cells. */
  private static double sortKey(String cell) {
    String s = cell.contains("/") ? cell.substring(cell.indexOf('/') + 1) : cell;
    try {
      return Double.parseDouble(s);
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }

  private static void runs(StringBuilder h, List<RunResult> runs) {
    h.append("<details><summary>All ").append(runs.size()).append(" runs</summary>\n<table><thead><tr>");
    for (String s : List.of("#", "variant", "workload", "seed", "tasks", "events", "delay p50", "delay p99", "delay max",
        "makespan ms", "fairness", "exit")) {
      h.append("<th>").append(s).append("</th>");
    }
    h.append("</tr></thead><tbody>\n");
    for (RunResult r : runs) {
      SimMetrics m = r.metrics();
      h.append("<tr>");
      for (String s : List.of(Integer.toString(r.index() + 1), r.variant().label(), r.workload().label(),
          Long.toString(r.seed()), Integer.toString(m.tasks()), Long.toString(m.events()),
          ResultTable.us(m.schedDelay().p50Ns() / 1e3), ResultTable.us(m.schedDelay().p99Ns() / 1e3),
          ResultTable.us(m.schedDelay().maxNs() / 1e3), String.format(Locale.ROOT, "%.1f", m.makespanNs() / 1e6),
          String.format(Locale.ROOT, "%.4f", m.fairness()), m.exit() == null ? "-" : m.exit().kindName())) {
        h.append("<td>").append(esc(s)).append("</td>");
      }
      h.append("</tr>\n");
    }
    h.append("</tbody></table></details>\n");
  }

  public static void img(StringBuilder h, byte[] png, String alt) {
    h.append("<img alt=\"").append(esc(alt)).append("\" src=\"data:image/png;base64,")
        .append(Base64.getEncoder().encodeToString(png)).append("\">\n");
  }

  public static void dl(StringBuilder h, String k, String v) {
    h.append("<dt>").append(esc(k)).append("</dt><dd>").append(esc(v)).append("</dd>");
  }

  public static String esc(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      switch (c) {
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '&' -> b.append("&amp;");
        case '"' -> b.append("&quot;");
        default -> b.append(c);
      }
    }
    return b.toString();
  }
}
