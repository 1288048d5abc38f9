package javaland.lab.learn;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import javaland.lab.experiment.Experiment;
import javaland.lab.experiment.ExperimentSpec;
import javaland.lab.experiment.HtmlReport;
import javaland.lab.experiment.Plots;
import javaland.lab.experiment.Progress;
import javaland.lab.experiment.Provenance;
import javaland.lab.experiment.ResultFiles;
import javaland.lab.experiment.RollbackSpec;
import javaland.lab.learn.Rollback.WindowFigure;
import javaland.models.registry.AuditEntry;

/**
 * A {@code kind: rollback} spec from spec to report: {@link Rollback} runs it; this writes
 * {@code results.json}, {@code audit.jsonl} (the registry's audit log of the run, as written),
 * {@code report.html} and {@code spec.yaml}. The run is paced to real time, so the figures vary a
 * little from run to run.
 */
public final class RollbackExperiment {
  private RollbackExperiment() {}

  public record Outcome(Rollback.Result result, Path dir, Path json, Path html, Path audit) {
    public ObjectNode summary() {
      Rollback.Result r = result;
      ObjectNode o = ResultFiles.JSON.createObjectNode();
      o.put("experiment", r.spec().name()).put("kind", "rollback");
      if (r.rollbackWindows() >= 0) o.put("rollback_windows", r.rollbackWindows());
      else o.putNull("rollback_windows");
      o.put("max_rollback_windows", r.spec().maxRollbackWindows()).put("passed", r.passed())
          .put("event", r.event()).put("reason", r.reason()).put("harmful_version", r.harmfulVersion())
          .put("restored_version", r.restoredVersion())
          .put("seconds_to_revert", Double.isNaN(r.secondsToRevert()) ? null : r.secondsToRevert())
          .put("window_ms", r.spec().window().toMillis()).put("learner", "not running")
          .put("kernel_alive", r.kernelAlive()).put("defaults_restored", r.restoredValues().equals(r.defaultValues()));
      ObjectNode f = o.putObject("figures");
      r.figures().forEach(f::put);
      ArrayNode events = o.putArray("audit");
      for (AuditEntry e : r.audit()) events.addObject().put("event", e.event()).put("version", e.version()).put("from", e.fromVersion());
      o.put("wall_s", Math.round(r.wallSeconds() * 1000) / 1000.0);
      ObjectNode out = o.putObject("output");
      out.put("dir", dir.toString()).put("json", json.toString()).put("html", html.toString()).put("audit", audit.toString());
      return o;
    }

    public String summaryJson() {
      return summary().toString();
    }

    public String text() {
      Rollback.Result r = result;
      StringBuilder s = new StringBuilder();
      s.append(r.startNote()).append('\n');
      for (WindowFigure w : r.windows()) s.append(line(w)).append('\n');
      if (r.rollbackWindows() >= 0) {
        s.append(String.format(Locale.ROOT, "version %d (harmful) reverted by %s after %d window(s) (%.2f s) to version %d: %s%n",
            r.harmfulVersion(), r.event(), r.rollbackWindows(), r.secondsToRevert(), r.restoredVersion(), r.reason()));
      } else {
        s.append("version ").append(r.harmfulVersion()).append(" (harmful) was NOT reverted within ").append(r.spec().maxWindows())
            .append(" windows\n");
      }
      s.append(r.passed() ? "passed" : "FAILED").append(": rollback_windows ").append(r.rollbackWindows() < 0 ? "none" : r.rollbackWindows())
          .append(" (bound ").append(r.spec().maxRollbackWindows()).append("), kernel ").append(r.kernelAlive() ? "still attached" : "gone")
          .append(", defaults ").append(r.restoredValues().equals(r.defaultValues()) ? "back in force" : "NOT back").append('\n');
      return s.toString();
    }
  }

  static String line(WindowFigure w) {
    return String.format(Locale.ROOT, "  t=%5.2fs version %d%s: wakeup p99 %s, %.0f dispatches/s, %.0f fallbacks/s, canary %s",
        w.atSeconds(), w.version(), w.harmful() ? " (harmful)" : "", Double.isNaN(w.wakeupP99Us()) ? "-" : Plots.time(w.wakeupP99Us()),
        w.dispatchRate(), w.fallbackRate(), w.state());
  }

  public static Outcome run(RollbackSpec spec, Experiment.Options o) throws Exception {
    Path dir = Experiment.outputDir(spec, o);
    Files.createDirectories(dir);
    if (o.progress() != Progress.Mode.NONE) {
      o.progressOut().printf(Locale.ROOT, "rollback %s: %d baseline windows of %d ms, then the harmful set (paced to real time)%n",
          spec.name(), spec.baselineWindows(), spec.window().toMillis());
    }
    Rollback.Result r = Rollback.run(spec);
    Path json = dir.resolve("results.json");
    Path html = dir.resolve("report.html");
    Path audit = dir.resolve("audit.jsonl");
    Files.writeString(audit, r.auditText(), StandardCharsets.UTF_8);
    Files.writeString(dir.resolve("spec.yaml"), spec.text(), StandardCharsets.UTF_8);
    Outcome out = new Outcome(r, dir, json, html, audit);
    ObjectNode full = out.summary();
    ArrayNode ws = full.putArray("windows");
    for (WindowFigure w : r.windows()) {
      ws.addObject().put("at_s", w.atSeconds()).put("version", w.version()).put("harmful", w.harmful())
          .put("wakeup_p99_us", Double.isNaN(w.wakeupP99Us()) ? null : w.wakeupP99Us()).put("dispatch_rate", w.dispatchRate())
          .put("fallback_rate", w.fallbackRate()).put("state", w.state());
    }
    ObjectNode h = full.putObject("harmful");
    spec.harmful().forEach(h::put);
    Files.writeString(json, full.toString() + "\n", StandardCharsets.UTF_8);
    Files.writeString(html, render(r, o.provenance()), StandardCharsets.UTF_8);
    return out;
  }

  private static String render(Rollback.Result r, Provenance prov) {
    RollbackSpec spec = r.spec();
    StringBuilder h = new StringBuilder(32 * 1024);
    h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").append(HtmlReport.esc(spec.name()))
        .append(" - javaland rollback</title><style>").append(HtmlReport.CSS).append("</style></head><body>\n<h1>")
        .append(HtmlReport.esc(spec.name())).append("</h1>\n<p class=\"sub\">");
    if (!spec.description().isEmpty()) h.append(HtmlReport.esc(spec.description())).append("<br>");
    h.append(String.format(Locale.ROOT, "%s on the simulated kernel (%d CPUs) paced to real time, policy %s, canary windows of %d ms; "
        + "no learner running. %.1f s.</p>%n", HtmlReport.esc(spec.workload()), spec.topology().nrCpus(),
        HtmlReport.esc(spec.policy()), spec.window().toMillis(), r.wallSeconds()));
    h.append("<p><b>rollback_windows ").append(r.rollbackWindows() < 0 ? "none" : Integer.toString(r.rollbackWindows()))
        .append("</b> (bound ").append(spec.maxRollbackWindows()).append("): ")
        .append(r.passed() ? "<span class=\"best\">passed</span>" : "<span class=\"bad\">failed</span>").append("</p>\n");
    h.append("<p>").append(HtmlReport.esc(r.startNote())).append("</p>\n");
    h.append("<h2>The guard's revert</h2>\n<p>").append(HtmlReport.esc(r.event())).append(": version ").append(r.harmfulVersion())
        .append(" &rarr; ").append(r.restoredVersion()).append(", ").append(HtmlReport.esc(r.reason())).append("</p>\n<dl>");
    r.figures().forEach((k, v) -> HtmlReport.dl(h, k, String.format(Locale.ROOT, "%.4g", v)));
    h.append("</dl>\n<h2>Windows</h2>\n<table><thead><tr><th>t</th><th>version</th><th>wakeup p99</th><th>dispatches/s</th>")
        .append("<th>fallbacks/s</th><th>canary</th></tr></thead><tbody>\n");
    for (WindowFigure w : r.windows()) {
      h.append(w.harmful() ? "<tr class=\"bad\">" : "<tr>").append(String.format(Locale.ROOT, "<td>%.2f s</td><td>%d%s</td><td>%s</td>"
          + "<td>%.0f</td><td>%.0f</td><td>%s</td></tr>%n", w.atSeconds(), w.version(), w.harmful() ? " (harmful)" : "",
          Double.isNaN(w.wakeupP99Us()) ? "-" : Plots.time(w.wakeupP99Us()), w.dispatchRate(), w.fallbackRate(), w.state()));
    }
    h.append("</tbody></table>\n<h2>Versions</h2>\n<table><thead><tr><th>parameter</th><th>defaults</th><th>harmful (published)</th>")
        .append("<th>after the revert</th></tr></thead><tbody>\n");
    for (Map.Entry<String, Double> e : r.defaultValues().entrySet()) {
      Double harm = spec.harmful().get(e.getKey());
      h.append("<tr><td>").append(HtmlReport.esc(e.getKey())).append("</td><td>").append(ExperimentSpec.number(e.getValue()))
          .append("</td><td>").append(harm == null ? "" : "<span class=\"bad\">" + ExperimentSpec.number(harm) + "</span>")
          .append("</td><td>").append(ExperimentSpec.number(r.restoredValues().getOrDefault(e.getKey(), Double.NaN))).append("</td></tr>\n");
    }
    h.append("</tbody></table>\n<h2>Audit log</h2>\n<p class=\"sub\">audit.jsonl of the run's registry, one line per change</p>\n<pre>")
        .append(HtmlReport.esc(r.auditText())).append("</pre>\n");
    h.append("<h2>Spec</h2>\n<pre>").append(HtmlReport.esc(spec.text())).append("</pre>\n<h2>Provenance</h2>\n<dl>");
    HtmlReport.dl(h, "javaland", prov.version());
    HtmlReport.dl(h, "git commit", prov.gitCommit());
    HtmlReport.dl(h, "date", prov.date());
    HtmlReport.dl(h, "java", prov.java());
    h.append("</dl>\n</body></html>\n");
    return h.toString();
  }
}
