package javaland.lab.learn;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javaland.lab.experiment.Experiment;
import javaland.lab.experiment.HtmlReport;
import javaland.lab.experiment.LearnerSpec;
import javaland.lab.experiment.Plots;
import javaland.lab.experiment.Progress;
import javaland.lab.experiment.Provenance;
import javaland.lab.experiment.ResultFiles;
import javaland.lab.learn.Convergence.ArmTruth;
import javaland.lab.learn.Convergence.Case;
import javaland.lab.learn.Convergence.Run;

/**
 * A {@code kind: learner} spec from spec to report: {@link Convergence} runs it; this writes
 * {@code results.json} (every arm's brute-force value, every learner window; no dates, so the
 * same spec gives the same bytes), {@code regret-WORKLOAD.png} (cumulative regret per algorithm,
 * mean over the learner seeds), {@code report.html} and {@code spec.yaml}.
 */
public final class LearnerExperiment {
  private LearnerExperiment() {}

  /** What ran and where it went; {@link #summaryJson()} is the {@code --json} line. */
  public record Outcome(Convergence.Result result, Path dir, Path json, Path html, List<Path> plots, List<String> warnings,
      int threads) {
    public ObjectNode summary() {
      Convergence.Result r = result;
      LearnerSpec spec = r.spec();
      ObjectNode o = ResultFiles.JSON.createObjectNode();
      o.put("experiment", spec.name()).put("kind", "learner").put("best_fraction", round(r.bestFraction()));
      if (r.windowsTo95() >= 0) o.put("windows_to_95", r.windowsTo95());
      else o.putNull("windows_to_95");
      o.put("target", spec.target()).put("passed", r.passed()).put("windows", spec.windows())
          .put("arms", r.armLabels().size()).put("brute_force_seeds", spec.bruteForceSeeds())
          .put("learner_seeds", spec.seeds().size()).put("simulations", r.simulations())
          .put("wall_s", Math.round(r.wallSeconds() * 1000) / 1000.0).put("threads", threads);
      ArrayNode cases = o.putArray("cases");
      for (Case c : r.cases()) {
        ObjectNode j = cases.addObject().put("workload", c.workload())
            .put("best_arm", c.arms().get(c.best()).label()).put("best_reward", round(c.arms().get(c.best()).mean()))
            .put("worst_arm", c.arms().get(c.worst()).label()).put("worst_reward", round(c.arms().get(c.worst()).mean()));
        ObjectNode algs = j.putObject("algorithms");
        for (String alg : spec.algorithms()) {
          ObjectNode a = algs.putObject(alg).put("best_fraction", round(c.bestFraction(alg)));
          int w = c.windowsTo95(alg);
          if (w >= 0) a.put("windows_to_95", w);
          else a.putNull("windows_to_95");
          List<Run> runs = c.runs(alg);
          a.put("final_regret", round(runs.stream().mapToDouble(x -> x.regret()[x.regret().length - 1]).average().orElse(0)));
          a.put("committed_best", runs.stream().filter(x -> x.greedyArm() == c.best()).count() + "/" + runs.size());
        }
      }
      ObjectNode out = o.putObject("output");
      out.put("dir", dir.toString()).put("json", json.toString()).put("html", html.toString());
      ResultFiles.plotsAndWarnings(o, out, plots, warnings);
      return o;
    }

    public String summaryJson() {
      return summary().toString();
    }

    /** A few lines for the terminal. */
    public String text() {
      StringBuilder s = new StringBuilder();
      LearnerSpec spec = result.spec();
      for (Case c : result.cases()) {
        ArmTruth b = c.arms().get(c.best());
        ArmTruth w = c.arms().get(c.worst());
        s.append(String.format(Locale.ROOT, "%s: best %s (%.3f), worst %s (%.3f)%n", c.workload(), b.label(), b.mean(), w.label(),
            w.mean()));
        for (String alg : spec.algorithms()) {
          int w95 = c.windowsTo95(alg);
          s.append(String.format(Locale.ROOT, "  %-15s best_fraction %.3f, windows_to_95 %s%n", alg, c.bestFraction(alg),
              w95 < 0 ? "never" : Integer.toString(w95)));
        }
      }
      s.append(String.format(Locale.ROOT, "worst case: best_fraction %.3f (target %.2f: %s), windows_to_95 %s; %d simulations in %.1f s%n",
          result.bestFraction(), spec.target(), result.passed() ? "reached" : "NOT reached",
          result.windowsTo95() < 0 ? "never" : Integer.toString(result.windowsTo95()), result.simulations(), result.wallSeconds()));
      return s.toString();
    }
  }

  public static Outcome run(LearnerSpec spec, Experiment.Options o) throws Exception {
    int threads = o.threads() > 0 ? o.threads() : Runtime.getRuntime().availableProcessors();
    Path dir = Experiment.outputDir(spec, o);
    Files.createDirectories(dir);
    Convergence.Result r;
    try (Progress progress = new Progress(o.progressOut(), o.progress(), spec.name())) {
      r = Convergence.run(spec, threads, progress);
    }
    Path json = dir.resolve("results.json");
    Path html = dir.resolve("report.html");
    Files.writeString(json, results(r).toString() + "\n", StandardCharsets.UTF_8);
    Files.writeString(dir.resolve("spec.yaml"), spec.text(), StandardCharsets.UTF_8);
    List<String> warnings = new ArrayList<>();
    List<Path> plots = new ArrayList<>();
    List<byte[]> charts = new ArrayList<>();
    for (Case c : r.cases()) {
      byte[] png;
      try {
        png = regretChart(spec, c);
      } catch (Exception | Error e) {
        if (e instanceof VirtualMachineError && !(e instanceof InternalError)) throw e;
        warnings.add("plots skipped (Java2D could not draw here: " + e + "); install fontconfig and a font, e.g. fonts-dejavu-core");
        charts.clear();
        plots.clear();
        break;
      }
      Path f = dir.resolve("regret-" + Experiment.slug(c.workload()) + ".png");
      Files.write(f, png);
      plots.add(f);
      charts.add(png);
    }
    Files.writeString(html, render(r, charts, o.provenance(), threads), StandardCharsets.UTF_8);
    return new Outcome(r, dir, json, html, plots, warnings, threads);
  }

  /** Mean cumulative regret over the learner seeds, one curve per algorithm. */
  private static byte[] regretChart(LearnerSpec spec, Case c) {
    List<String> legend = new ArrayList<>();
    List<Integer> colours = new ArrayList<>();
    double[][] series = new double[spec.algorithms().size()][spec.windows()];
    for (int i = 0; i < spec.algorithms().size(); i++) {
      String alg = spec.algorithms().get(i);
      List<Run> runs = c.runs(alg);
      for (Run run : runs) for (int t = 0; t < spec.windows(); t++) series[i][t] += run.regret()[t] / runs.size();
      legend.add(String.format(Locale.ROOT, "%s (best_fraction %.3f)", alg, c.bestFraction(alg)));
      colours.add(i);
    }
    double span = c.arms().get(c.best()).mean() - c.arms().get(c.worst()).mean();
    return Plots.lines("Cumulative regret: " + c.workload(), String.format(Locale.ROOT,
        "%s; mean of %d learner seeds; the worst arm costs %.2f per window", c.describe(), spec.seeds().size(), span),
        legend, colours, series, "window", "cumulative regret (reward units)");
  }

  /** Everything measured, deterministic (no dates or wall times). */
  static ObjectNode results(Convergence.Result r) {
    ObjectNode o = ResultFiles.JSON.createObjectNode();
    LearnerSpec spec = r.spec();
    o.put("experiment", spec.name()).put("policy", spec.policy()).put("windows", spec.windows())
        .put("brute_force_seeds", spec.bruteForceSeeds()).put("target", spec.target());
    ArrayNode cases = o.putArray("cases");
    for (Case c : r.cases()) {
      ObjectNode j = cases.addObject().put("workload", c.workload()).put("describe", c.describe())
          .put("best_arm", c.best()).put("worst_arm", c.worst());
      ArrayNode arms = j.putArray("arms");
      for (ArmTruth a : c.arms()) {
        ObjectNode x = arms.addObject().put("label", a.label()).put("mean_reward", a.mean()).put("sd_reward", a.sd())
            .put("normalised", c.normalised(c.arms().indexOf(a))).put("failed_runs", a.failedRuns());
        ObjectNode v = x.putObject("values");
        a.values().forEach(v::put);
      }
      ArrayNode runs = j.putArray("runs");
      for (Run run : c.runs()) {
        ObjectNode x = runs.addObject().put("algorithm", run.algorithm()).put("seed", run.seed())
            .put("best_fraction", run.bestFraction()).put("windows_to_95", run.windowsTo95()).put("greedy_arm", run.greedyArm());
        ArrayNode played = x.putArray("arms");
        for (int a : run.arms()) played.add(a);
        ArrayNode rewards = x.putArray("rewards");
        for (double v : run.rewards()) rewards.add(v);
        ArrayNode regret = x.putArray("regret");
        for (double v : run.regret()) regret.add(v);
      }
    }
    return o;
  }

  private static String render(Convergence.Result r, List<byte[]> charts, Provenance prov, int threads) {
    LearnerSpec spec = r.spec();
    StringBuilder h = new StringBuilder(64 * 1024);
    h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").append(HtmlReport.esc(spec.name()))
        .append(" - javaland learner convergence</title><style>").append(HtmlReport.CSS).append("</style></head><body>\n");
    h.append("<h1>").append(HtmlReport.esc(spec.name())).append("</h1>\n<p class=\"sub\">");
    if (!spec.description().isEmpty()) h.append(HtmlReport.esc(spec.description())).append("<br>");
    h.append(String.format(Locale.ROOT, "%d arms of %s, %d windows per learner run, %d learner seeds, brute force %d seeds per arm; "
        + "%d simulations in %.1f s</p>\n", r.armLabels().size(), HtmlReport.esc(spec.policy()), spec.windows(),
        spec.seeds().size(), spec.bruteForceSeeds(), r.simulations(), r.wallSeconds()));
    h.append(String.format(Locale.ROOT, "<p><b>best_fraction %.3f</b> (worst case over workloads and algorithms; target %.2f: %s), "
        + "<b>windows_to_95 %s</b></p>\n", r.bestFraction(), spec.target(),
        r.passed() ? "<span class=\"best\">reached</span>" : "<span class=\"bad\">not reached</span>",
        r.windowsTo95() < 0 ? "never" : Integer.toString(r.windowsTo95())));
    h.append("<p class=\"note\">Rewards are the learner's default reward of one window (a short simulated run) ")
        .append("(−log p99 delay in µs + 0.5·log dispatches/s − fallback share; no PSI in the simulator). An arm's ")
        .append("<i>normalised value</i> is (mean − worst mean) / (best mean − worst mean): 1 for the best arm, 0 for the ")
        .append("worst, meaningful whatever the sign of the rewards. <i>best_fraction</i>: the mean normalised value of ")
        .append("the arms played over the last quarter of the windows, mean over the learner seeds. <i>windows_to_95</i>: ")
        .append("windows after which the trailing mean (").append(Convergence.TRAILING)
        .append(" windows) of the normalised value stays ≥ the target to the end, the largest over the seeds. ")
        .append("<i>Regret</i>: the sum over windows of best mean − mean of the arm played.</p>\n");
    for (int i = 0; i < r.cases().size(); i++) {
      Case c = r.cases().get(i);
      h.append("<h2>").append(HtmlReport.esc(c.workload())).append("</h2>\n<p class=\"sub\">").append(HtmlReport.esc(c.describe()))
          .append("</p>\n<table><thead><tr><th>algorithm</th><th>best_fraction</th><th>windows_to_95</th><th>final regret</th>")
          .append("<th>committed to the best arm</th></tr></thead><tbody>\n");
      for (String alg : spec.algorithms()) {
        List<Run> runs = c.runs(alg);
        int w = c.windowsTo95(alg);
        h.append("<tr><td>").append(HtmlReport.esc(alg)).append("</td><td>").append(String.format(Locale.ROOT, "%.3f", c.bestFraction(alg)))
            .append("</td><td>").append(w < 0 ? "never" : Integer.toString(w)).append("</td><td>")
            .append(String.format(Locale.ROOT, "%.2f", runs.stream().mapToDouble(x -> x.regret()[x.regret().length - 1]).average().orElse(0)))
            .append("</td><td>").append(runs.stream().filter(x -> x.greedyArm() == c.best()).count()).append('/').append(runs.size())
            .append("</td></tr>\n");
      }
      h.append("</tbody></table>\n");
      if (i < charts.size()) HtmlReport.img(h, charts.get(i), "cumulative regret, " + c.workload());
      h.append("<details><summary>Brute force: every arm</summary>\n<table><thead><tr><th>arm</th><th>mean reward</th>")
          .append("<th>sd</th><th>normalised</th><th>failed runs</th></tr></thead><tbody>\n");
      for (int a = 0; a < c.arms().size(); a++) {
        ArmTruth t = c.arms().get(a);
        h.append(a == c.best() ? "<tr class=\"best\">" : "<tr>").append("<td>").append(HtmlReport.esc(t.label())).append("</td>")
            .append(String.format(Locale.ROOT, "<td>%.3f</td><td>%.3f</td><td>%.3f</td><td>%d</td></tr>%n", t.mean(), t.sd(),
                c.normalised(a), t.failedRuns()));
      }
      h.append("</tbody></table></details>\n");
    }
    h.append("<h2>Spec</h2>\n<p class=\"sub\">").append(HtmlReport.esc(spec.file())).append("</p>\n<pre>")
        .append(HtmlReport.esc(spec.text())).append("</pre>\n<h2>Provenance</h2>\n<dl>");
    HtmlReport.dl(h, "javaland", prov.version());
    HtmlReport.dl(h, "git commit", prov.gitCommit());
    HtmlReport.dl(h, "date", prov.date());
    HtmlReport.dl(h, "learner seeds", spec.seeds().toString());
    HtmlReport.dl(h, "java", prov.java());
    HtmlReport.dl(h, "host", prov.hostCpus() + " CPUs, " + threads + " worker threads");
    HtmlReport.dl(h, "wall time", String.format(Locale.ROOT, "%.2f s", r.wallSeconds()));
    h.append("</dl>\n</body></html>\n");
    return h.toString();
  }

  private static double round(double v) {
    return Math.round(v * 10000) / 10000.0;
  }
}
