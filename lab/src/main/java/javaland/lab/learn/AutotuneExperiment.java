package javaland.lab.learn;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javaland.lab.experiment.AutotuneSpec;
import javaland.lab.experiment.Experiment;
import javaland.lab.experiment.HtmlReport;
import javaland.lab.experiment.Plots;
import javaland.lab.experiment.Progress;
import javaland.lab.experiment.Provenance;
import javaland.lab.experiment.ResultFiles;
import javaland.lab.learn.AutotuneTwin.Action;
import javaland.lab.learn.AutotuneTwin.Case;
import javaland.lab.learn.AutotuneTwin.Phase;
import javaland.lab.learn.AutotuneTwin.Window;

/**
 * A {@code kind: autotune} spec from spec to report: {@link AutotuneTwin} runs it; this writes
 * {@code results.json} (every phase's figures, every window, the learner's actions; no dates, so
 * the same spec gives the same bytes), {@code results.csv} (one row per window),
 * {@code latency-WORKLOAD.png} (the server's p99 over phase 3's windows against phases 2 and 4),
 * {@code report.html} and {@code spec.yaml}.
 */
public final class AutotuneExperiment {
  private AutotuneExperiment() {}

  public record Outcome(AutotuneTwin.Result result, Path dir, Path json, Path csv, Path html, List<Path> plots,
      List<String> warnings) {
    public ObjectNode summary() {
      ObjectNode o = ResultFiles.JSON.createObjectNode();
      AutotuneSpec spec = result.spec();
      o.put("experiment", spec.name()).put("kind", "autotune").put("passed", result.passed())
          .put("compared_against", "phase 2 (deadline defaults, no rules); offline there is no EEVDF")
          .put("simulations", result.simulations()).put("wall_s", Math.round(result.wallSeconds() * 1000) / 1000.0);
      ArrayNode cases = o.putArray("cases");
      for (Case c : result.cases()) cases.add(caseSummary(c));
      ObjectNode out = o.putObject("output");
      out.put("dir", dir.toString()).put("json", json.toString()).put("csv", csv.toString()).put("html", html.toString());
      ResultFiles.plotsAndWarnings(o, out, plots, warnings);
      return o;
    }

    public String summaryJson() {
      return summary().toString();
    }

    /** A few lines for the terminal. */
    public String text() {
      StringBuilder s = new StringBuilder();
      for (Case c : result.cases()) {
        s.append(c.workload()).append(" (server ").append(c.serverMetric()).append(", median over windows):\n");
        for (Phase p : List.of(c.defaults(), c.learner(), c.rules())) {
          s.append(String.format(Locale.ROOT, "  phase %s %-8s p50 %8.1f us  p99 %8.1f us  hogs %.3f CPUs%n", phaseNumber(p),
              p.name(), p.serverP50Us(), p.serverP99Us(), p.hogsThroughput()));
        }
        s.append(String.format(Locale.ROOT, "  learner: classes %s, arm %s, first committed improvement after %s windows, "
            + "captures %.2f of the rules' p99 gain%n", c.learnedClasses(), c.finalArm(),
            c.firstImprovement() < 0 ? "no" : Integer.toString(c.firstImprovement()), c.capture()));
        s.append("  targets: ").append(c.targets()).append('\n');
      }
      s.append(String.format(Locale.ROOT, "%s; %d simulations in %.1f s%n", result.passed() ? "every target met" : "targets NOT all met",
          result.simulations(), result.wallSeconds()));
      return s.toString();
    }
  }

  static String phaseNumber(Phase p) {
    return switch (p.name()) {
      case "defaults" -> "2";
      case "learner" -> "3";
      default -> "4";
    };
  }

  private static ObjectNode phaseJson(Phase p) {
    ObjectNode j = ResultFiles.JSON.createObjectNode().put("phase", Integer.parseInt(phaseNumber(p))).put("name", p.name())
        .put("windows", p.windows().size()).put("server_p50_us", round(p.serverP50Us())).put("server_p99_us", round(p.serverP99Us()))
        .put("hogs_throughput", round(p.hogsThroughput()));
    return j;
  }

  static ObjectNode caseSummary(Case c) {
    ObjectNode j = ResultFiles.JSON.createObjectNode().put("workload", c.workload()).put("server_metric", c.serverMetric());
    ObjectNode phases = j.putObject("phases");
    phases.set("2", phaseJson(c.defaults()));
    phases.set("3", phaseJson(c.learner()));
    phases.set("4", phaseJson(c.rules()));
    ObjectNode l = j.putObject("learner");
    ObjectNode cl = l.putObject("learned_classes");
    c.learnedClasses().forEach(cl::put);
    l.put("arm_in_force", c.finalArm());
    if (c.firstImprovement() >= 0) l.put("windows_to_first_improvement", c.firstImprovement());
    else l.putNull("windows_to_first_improvement");
    if (Double.isFinite(c.capture())) l.put("capture_of_rules_gain", round(c.capture()));
    else l.putNull("capture_of_rules_gain");
    ObjectNode t = j.putObject("targets");
    c.targets().forEach(t::put);
    return j;
  }

  public static Outcome run(AutotuneSpec spec, Experiment.Options o) throws Exception {
    Path dir = Experiment.outputDir(spec, o);
    Files.createDirectories(dir);
    AutotuneTwin.Result r;
    try (Progress progress = new Progress(o.progressOut(), o.progress(), spec.name())) {
      r = AutotuneTwin.run(spec, progress);
    }
    Path json = dir.resolve("results.json");
    Path csv = dir.resolve("results.csv");
    Path html = dir.resolve("report.html");
    Files.writeString(json, results(r).toString() + "\n", StandardCharsets.UTF_8);
    Files.writeString(csv, csv(r), StandardCharsets.UTF_8);
    Files.writeString(dir.resolve("spec.yaml"), spec.text(), StandardCharsets.UTF_8);
    List<String> warnings = new ArrayList<>();
    List<Path> plots = new ArrayList<>();
    List<byte[]> charts = new ArrayList<>();
    for (Case c : r.cases()) {
      byte[] png;
      try {
        png = latencyChart(c);
      } catch (Exception | Error e) {
        if (e instanceof VirtualMachineError && !(e instanceof InternalError)) throw e;
        warnings.add("plots skipped (Java2D could not draw here: " + e + "); install fontconfig and a font, e.g. fonts-dejavu-core");
        charts.clear();
        plots.clear();
        break;
      }
      Path f = dir.resolve("latency-" + Experiment.slug(c.workload()) + ".png");
      Files.write(f, png);
      plots.add(f);
      charts.add(png);
    }
    Files.writeString(html, render(r, charts, o.provenance()), StandardCharsets.UTF_8);
    return new Outcome(r, dir, json, csv, html, plots, warnings);
  }

  /** Phase 3's p99 per window, with phases 2 and 4's medians as flat lines to read it against. */
  private static byte[] latencyChart(Case c) {
    int n = c.learner().windows().size();
    double[][] series = new double[3][n];
    for (int t = 0; t < n; t++) {
      long v = c.learner().windows().get(t).serverP99Ns();
      series[0][t] = v < 0 ? Double.NaN : v / 1e3;
      series[1][t] = c.defaults().serverP99Us();
      series[2][t] = c.rules().serverP99Us();
    }
    List<String> legend = List.of("phase 3: learner, per window", String.format(Locale.ROOT, "phase 2: defaults (median %.0f us)",
        c.defaults().serverP99Us()), String.format(Locale.ROOT, "phase 4: rules (median %.0f us)", c.rules().serverP99Us()));
    // the classes are in the report's text: listed here they ran off the chart
    String sub = c.describe() + "; the learner's arm at the end: " + c.finalArm();
    return Plots.lines("Server p99 " + c.serverMetric().replace('_', ' ') + " over windows: " + c.workload(), sub, legend,
        List.of(0, 1, 2), series, "window", "server p99 (us)");
  }

  static ObjectNode results(AutotuneTwin.Result r) {
    AutotuneSpec spec = r.spec();
    ObjectNode o = ResultFiles.JSON.createObjectNode();
    o.put("experiment", spec.name()).put("policy", spec.policy()).put("windows", spec.windows())
        .put("phase_windows", spec.phaseWindows()).put("seed", spec.seed()).put("target_fraction", spec.targetFraction());
    ArrayNode cases = o.putArray("cases");
    for (Case c : r.cases()) {
      ObjectNode j = caseSummary(c).put("describe", c.describe());
      ArrayNode acts = j.putArray("actions");
      for (Action a : c.actions()) acts.addObject().put("window", a.window()).put("kind", a.kind()).put("what", a.what())
          .put("detail", a.detail());
      ObjectNode ws = j.putObject("windows");
      for (Phase p : List.of(c.defaults(), c.learner(), c.rules())) {
        ArrayNode arr = ws.putArray(phaseNumber(p));
        for (Window w : p.windows()) {
          ObjectNode x = arr.addObject().put("window", w.index()).put("state", w.state()).put("arm", w.arm())
              .put("reward", w.reward()).put("class_reward", w.classReward()).put("server_p50_us", w.serverP50Ns() / 1e3)
              .put("server_p99_us", w.serverP99Ns() / 1e3).put("hogs_throughput", w.hogsThroughput());
          ObjectNode cl = x.putObject("classes");
          w.classes().forEach(cl::put);
          if (w.event() != null) x.put("event", w.event());
        }
      }
      cases.add(j);
    }
    return o;
  }

  private static String csv(AutotuneTwin.Result r) {
    StringBuilder s = new StringBuilder("workload,phase,window,state,arm,reward,class_reward,server_metric,server_p50_us,"
        + "server_p99_us,hogs_throughput,classes,event\n");
    for (Case c : r.cases()) {
      for (Phase p : List.of(c.defaults(), c.learner(), c.rules())) {
        for (Window w : p.windows()) {
          s.append(cell(c.workload())).append(',').append(phaseNumber(p)).append(',').append(w.index()).append(',').append(w.state())
              .append(',').append(cell(w.arm())).append(',').append(w.reward()).append(',').append(w.classReward()).append(',')
              .append(w.serverMetric()).append(',').append(w.serverP50Ns() / 1e3).append(',').append(w.serverP99Ns() / 1e3)
              .append(',').append(w.hogsThroughput()).append(',').append(cell(classes(w.classes()))).append(',')
              .append(cell(w.event() == null ? "" : w.event())).append('\n');
        }
      }
    }
    return s.toString();
  }

  private static String classes(Map<String, String> m) {
    return String.join(" ", m.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList());
  }

  private static String cell(String v) {
    return v.contains(",") || v.contains("\"") ? "\"" + v.replace("\"", "\"\"") + "\"" : v;
  }

  private static String render(AutotuneTwin.Result r, List<byte[]> charts, Provenance prov) {
    AutotuneSpec spec = r.spec();
    StringBuilder h = new StringBuilder(64 * 1024);
    h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").append(HtmlReport.esc(spec.name()))
        .append(" - javaland autotune twin</title><style>").append(HtmlReport.CSS).append("</style></head><body>\n");
    h.append("<h1>").append(HtmlReport.esc(spec.name())).append("</h1>\n<p class=\"sub\">");
    if (!spec.description().isEmpty()) h.append(HtmlReport.esc(spec.description())).append("<br>");
    h.append(String.format(Locale.ROOT, "%s; phases 2 and 4: %d windows each, phase 3: %d windows; %d simulations in %.1f s</p>%n",
        HtmlReport.esc(spec.policy()), spec.phaseWindows(), spec.windows(), r.simulations(), r.wallSeconds()));
    h.append("<p class=\"note\">Phase 2: the policy's defaults, no rules. Phase 3: the learner from a cold start, no rules: ")
        .append("it proposes learned task classes and parameter sets as canaries and keeps what its verdict commits. ")
        .append("Phase 4: the rules below, defaults otherwise. Figures are medians over a phase's windows (phase 3: its last ")
        .append(spec.phaseWindows()).append(" windows, once settled). The VM compares with EEVDF; offline there is none, so the ")
        .append("targets compare with phase 2, and phase 3 with what phase 4's rules gain over it.</p>\n");
    for (int i = 0; i < r.cases().size(); i++) {
      Case c = r.cases().get(i);
      h.append("<h2>").append(HtmlReport.esc(c.workload())).append("</h2>\n<p class=\"sub\">").append(HtmlReport.esc(c.describe()))
          .append("; server figure: ").append(c.serverMetric()).append("</p>\n<table><thead><tr><th>phase</th><th>server p50 µs</th>")
          .append("<th>server p99 µs</th><th>hogs' throughput (CPUs)</th></tr></thead><tbody>\n");
      for (Phase p : List.of(c.defaults(), c.learner(), c.rules())) {
        h.append(String.format(Locale.ROOT, "<tr><td>%s %s</td><td>%.1f</td><td>%.1f</td><td>%.3f</td></tr>%n", phaseNumber(p),
            p.name(), p.serverP50Us(), p.serverP99Us(), p.hogsThroughput()));
      }
      h.append("</tbody></table>\n<p>Learned classes: ").append(HtmlReport.esc(c.learnedClasses().toString())).append("; arm in force: ")
          .append(HtmlReport.esc(c.finalArm())).append("; first committed improvement after ")
          .append(c.firstImprovement() < 0 ? "none" : c.firstImprovement() + " windows")
          .append(String.format(Locale.ROOT, "; captures %.2f of the rules' p99 gain</p>%n<p>Targets: ", c.capture()));
      c.targets().forEach((k, v) -> h.append(HtmlReport.esc(k)).append(' ').append(v ? "<span class=\"best\">met</span>"
          : "<span class=\"bad\">not met</span>").append("; "));
      h.append("</p>\n");
      if (i < charts.size()) HtmlReport.img(h, charts.get(i), "server p99 over windows, " + c.workload());
      h.append("<details><summary>Phase 3, every window</summary>\n<table><thead><tr><th>window</th><th>state</th><th>arm</th>")
          .append("<th>reward</th><th>p99 µs</th><th>classes</th><th>action</th></tr></thead><tbody>\n");
      for (Window w : c.learner().windows()) {
        h.append(String.format(Locale.ROOT, "<tr><td>%d</td><td>%s</td><td>%s</td><td>%.3f</td><td>%.1f</td><td>%s</td><td>%s</td></tr>%n",
            w.index(), w.state(), HtmlReport.esc(w.arm()), w.reward(), w.serverP99Ns() / 1e3, HtmlReport.esc(classes(w.classes())),
            HtmlReport.esc(w.event() == null ? "" : w.event())));
      }
      h.append("</tbody></table></details>\n");
    }
    h.append("<h2>Spec</h2>\n<p class=\"sub\">").append(HtmlReport.esc(spec.file())).append("</p>\n<pre>")
        .append(HtmlReport.esc(spec.text())).append("</pre>\n<h2>Provenance</h2>\n<dl>");
    HtmlReport.dl(h, "javaland", prov.version());
    HtmlReport.dl(h, "git commit", prov.gitCommit());
    HtmlReport.dl(h, "date", prov.date());
    HtmlReport.dl(h, "java", prov.java());
    HtmlReport.dl(h, "wall time", String.format(Locale.ROOT, "%.2f s", r.wallSeconds()));
    h.append("</dl>\n</body></html>\n");
    return h.toString();
  }

  private static double round(double v) {
    return Math.round(v * 1000) / 1000.0;
  }
}
