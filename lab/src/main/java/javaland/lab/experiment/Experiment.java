package javaland.lab.experiment;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javaland.lab.experiment.ExperimentRunner.RunResult;
import javaland.lab.experiment.ResultTable.Row;

/**
 * An experiment from spec to report: runs everything ({@link ExperimentRunner}), aggregates
 * ({@link ResultTable}) and writes into the output directory:
 *
 * <ul>
 *   <li>{@code results.csv}: one row per run;
 *   <li>{@code results.json}: every run and the aggregated table (deterministic: no dates);
 *   <li>{@code delay-cdf-WORKLOAD.png}, {@code class-p99-WORKLOAD.png}: the charts;
 *   <li>{@code report.html}: one self-contained file with the tables, charts, spec and provenance;
 *   <li>{@code spec.yaml}: the spec as given.
 * </ul>
 */
public final class Experiment {
  private Experiment() {}

  /**
   * @param output output directory; null: the spec's {@code output:}, else experiments-out/NAME
   * @param threads worker threads (the pool is fixed); 0: one per available processor
   * @param progress how to show progress on {@code progressOut}
   */
  public record Options(Path output, int threads, Progress.Mode progress, PrintStream progressOut, Provenance provenance) {
    public static Options defaults() {
      return new Options(null, 0, Progress.Mode.AUTO, System.err, Provenance.now(null));
    }

    public Options withOutput(Path p) {
      return new Options(p, threads, progress, progressOut, provenance);
    }

    public Options withThreads(int n) {
      return new Options(output, n, progress, progressOut, provenance);
    }

    public Options withProgress(Progress.Mode m, PrintStream out) {
      return new Options(output, threads, m, out, provenance);
    }

    public Options withProvenance(Provenance p) {
      return new Options(output, threads, progress, progressOut, p);
    }
  }

  /** What an experiment produced, and where. {@code warnings} says what was skipped (e.g. plots). */
  public record Outcome(ExperimentSpec spec, List<RunResult> runs, ResultTable table, Path dir, Path csv, Path json,
      Path html, List<Path> plots, List<String> warnings, double wallSeconds, int threads) {

    /** The terminal table. */
    public String tableText() {
      Map<String, String> describe = new LinkedHashMap<>();
      for (WorkloadSource w : spec.workloads()) describe.put(w.label(), w.describe());
      return table.format(describe);
    }

    /** One compact object: name, runs, output paths and the aggregated rows. */
    public ObjectNode summary() {
      ObjectNode o = ResultFiles.JSON.createObjectNode();
      o.put("experiment", spec.name()).put("runs", runs.size()).put("variants", spec.variants().size())
          .put("workloads", spec.workloads().size()).put("seeds", spec.seeds().size())
          .put("wall_s", Math.round(wallSeconds * 1000) / 1000.0).put("threads", threads);
      ObjectNode out = o.putObject("output");
      out.put("dir", dir.toString()).put("csv", csv.toString()).put("json", json.toString()).put("html", html.toString());
      ArrayNode p = out.putArray("plots");
      plots.forEach(x -> p.add(x.toString()));
      ArrayNode rows = o.putArray("rows");
      for (Row r : table.rows()) ResultFiles.row(rows.addObject(), r, false);
      if (!warnings.isEmpty()) {
        ArrayNode w = o.putArray("warnings");
        warnings.forEach(w::add);
      }
      return o;
    }

    public String summaryJson() {
      return summary().toString();
    }
  }

  public static Outcome run(ExperimentSpec spec, Options o) throws Exception {
    int threads = o.threads() > 0 ? o.threads() : Runtime.getRuntime().availableProcessors();
    Path dir = outputDir(spec, o);
    Files.createDirectories(dir);
    long t0 = System.nanoTime();
    List<RunResult> runs;
    try (Progress progress = new Progress(o.progressOut(), o.progress(), spec.name())) {
      runs = ExperimentRunner.run(spec, threads, progress);
    }
    double wall = (System.nanoTime() - t0) / 1e9;
    ResultTable table = ResultTable.of(runs);
    Path csv = dir.resolve("results.csv");
    Path json = dir.resolve("results.json");
    Path html = dir.resolve("report.html");
    ResultFiles.writeCsv(csv, runs);
    ResultFiles.writeJson(json, spec, runs, table);
    Files.writeString(dir.resolve("spec.yaml"), spec.text(), StandardCharsets.UTF_8);
    List<String> warnings = new ArrayList<>();
    List<Path> plots = new ArrayList<>();
    Map<String, HtmlReport.Charts> charts = charts(spec, table, dir, plots, warnings);
    Files.writeString(html, HtmlReport.render(spec, runs, table, charts, o.provenance(), threads, wall), StandardCharsets.UTF_8);
    return new Outcome(spec, runs, table, dir, csv, json, html, plots, warnings, wall, threads);
  }

  /** The option's directory, else the spec's {@code output:}, else experiments-out/NAME; absolute. */
  public static Path outputDir(Spec spec, Options o) {
    return (o.output() != null ? o.output() : spec.output() != null ? spec.output() : Path.of("experiments-out", spec.name()))
        .toAbsolutePath().normalize();
  }

  /** Draws and writes each workload's charts; a machine that cannot draw gets a warning, not a failure. */
  private static Map<String, HtmlReport.Charts> charts(ExperimentSpec spec, ResultTable table, Path dir, List<Path> plots,
      List<String> warnings) throws IOException {
    Map<String, HtmlReport.Charts> out = new LinkedHashMap<>();
    List<String> variants = spec.variants().stream().map(ExperimentSpec.Variant::label).toList();
    Set<String> slugs = new HashSet<>();
    for (String w : table.workloads()) {
      List<Row> rows = table.rowsOf(w);
      List<Integer> colours = rows.stream().map(r -> variants.indexOf(r.variant())).toList();
      String describe = spec.workloads().stream().filter(s -> s.label().equals(w)).findFirst().map(WorkloadSource::describe)
          .orElse("");
      int seeds = spec.seeds().size();
      byte[] cdf;
      byte[] bars;
      try {
        cdf = Plots.delayCdf("Scheduling delay CDF: " + w, describe + "; all delays of " + seeds
            + (seeds == 1 ? " seed" : " seeds") + " merged; delays under 1µs (idle fast path) count at the left edge", rows, colours);
        bars = Plots.classP99("p99 scheduling delay per task class: " + w, describe + "; median over " + seeds
            + (seeds == 1 ? " seed" : " seeds"), rows, colours);
      } catch (Exception | Error e) { // no fonts, no fontconfig, no libawt: AWTError, InternalError, LinkageError
        if (e instanceof VirtualMachineError && !(e instanceof InternalError)) throw e;
        warnings.add("plots skipped (Java2D could not draw here: " + e + "); install fontconfig and a font, e.g. fonts-dejavu-core");
        return Map.of();
      }
      String slug = slug(w);
      for (int i = 2; !slugs.add(slug); i++) slug = slug(w) + "-" + i;
      Path c = dir.resolve("delay-cdf-" + slug + ".png");
      Path b = dir.resolve("class-p99-" + slug + ".png");
      Files.write(c, cdf);
      Files.write(b, bars);
      plots.add(c);
      plots.add(b);
      out.put(w, new HtmlReport.Charts(cdf, bars));
    }
    return out;
  }

  public static String slug(String s) {
    String out = s.replaceAll("[^A-Za-z0-9._-]+", "_");
    return out.isEmpty() ? "workload" : out;
  }
}
