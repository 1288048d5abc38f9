package javaland.lab.experiment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import javaland.lab.experiment.ExperimentRunner.RunResult;
import javaland.runtime.kernel.sim.SimConfig;
import javaland.runtime.kernel.sim.SimKernel;
import javaland.runtime.kernel.sim.Workload;
import javaland.runtime.kernel.sim.Workloads;
import javaland.policies.DeadlinePolicy;
import javaland.trace.SchedEventRecorder;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A small experiment end to end: its files exist and parse, and it is deterministic. */
class ExperimentRunTest {
  @TempDir Path dir;

  static final String SPEC = """
      name: small
      seeds: 2
      cpus: 2
      policies:
        - deadline
        - fifo
      workloads:
        - synthetic: mix
          duration: 200ms
      """;

  private static final Provenance PROV = new Provenance("test", "unknown", "2025-01-01T00:00:00Z", "25", 2);

  private Experiment.Outcome run(Path out, int threads) throws Exception {
    ExperimentSpec spec = ExperimentSpec.parse(SPEC, "small.yaml", dir);
    ByteArrayOutputStream progress = new ByteArrayOutputStream();
    Experiment.Options o = new Experiment.Options(out, threads, Progress.Mode.LINES,
        new PrintStream(progress, true, StandardCharsets.UTF_8), PROV);
    Experiment.Outcome r = Experiment.run(spec, o);
    String lines = progress.toString(StandardCharsets.UTF_8);
    assertTrue(lines.contains("experiment small: 4 runs") && lines.contains("4/4 runs"), lines);
    return r;
  }

  @Test
  void writesTableCsvJsonPlotsAndReport() throws Exception {
    Experiment.Outcome o = run(dir.resolve("out"), 2);
    assertEquals(4, o.runs().size());
    assertEquals(List.of("deadline", "fifo"), o.table().rows().stream().map(ResultTable.Row::variant).toList());
    assertTrue(o.warnings().isEmpty(), o.warnings().toString());

    String table = o.tableText();
    assertTrue(table.startsWith("== mix: synthetic 'mix', 2 CPUs, 200ms, median of 2 seeds"), table);
    for (String col : List.of("delay p50", "delay p99", "batch", "interactive", "throughput", "makespan ms", "fairness",
        "migrations", "fallbacks")) {
      assertTrue(table.contains(col), col + " in\n" + table);
    }

    List<String> csv = Files.readAllLines(o.csv());
    assertEquals(5, csv.size(), String.join("\n", csv));
    List<String> head = Arrays.asList(csv.get(0).split(","));
    for (String col : List.of("run", "policy", "variant", "workload", "seed", "delay_p50_us", "delay_p99_us",
        "makespan_ms", "fairness", "migrations", "fallbacks", "interactive.delay_p99_us")) {
      assertTrue(head.contains(col), col + " in " + head);
    }
    for (String row : csv.subList(1, 5)) assertEquals(head.size(), row.split(",", -1).length, row);
    assertTrue(csv.get(1).startsWith("1,deadline,deadline,mix,synthetic,2,1,"), csv.get(1));
    assertTrue(csv.get(4).startsWith("4,fifo,fifo,mix,synthetic,2,2,"), csv.get(4));

    JsonNode json = new ObjectMapper().readTree(o.json().toFile());
    assertEquals("small", json.get("experiment").asText());
    assertEquals(4, json.get("runs").size());
    assertEquals(2, json.get("table").size());
    JsonNode run0 = json.get("runs").get(0);
    assertEquals(o.runs().get(0).metrics().schedDelay().p99Ns() / 1e3, run0.get("delay_us").get("p99").asDouble());
    assertTrue(run0.get("classes").has("interactive"));
    assertEquals(DelayBins.BINS, json.get("table").get(0).get("delay_cdf").size());
    assertEquals(1.0, json.get("table").get(0).get("delay_cdf").get(DelayBins.BINS - 1).asDouble());

    assertEquals(2, o.plots().size());
    for (Path png : o.plots()) {
      BufferedImage img = ImageIO.read(png.toFile());
      assertNotNull(img, png + " decodes");
      assertTrue(img.getWidth() >= 800 && img.getHeight() >= 400, png + ": " + img.getWidth() + "x" + img.getHeight());
    }
    assertTrue(o.plots().get(0).getFileName().toString().equals("delay-cdf-mix.png"), o.plots().toString());

    String html = Files.readString(o.html());
    assertTrue(html.startsWith("<!DOCTYPE html>") && html.trim().endsWith("</html>"));
    assertTrue(html.contains("<table>") && html.contains("<th>delay p99</th>"), "the table");
    assertEquals(2, html.split("src=\"data:image/png;base64,", -1).length - 1, "both charts inlined");
    assertTrue(html.contains("deadline") && html.contains("fifo") && html.contains("name: small"), "variants and the spec");
    assertTrue(html.contains("<dt>git commit</dt>") && html.contains("<dt>seeds</dt><dd>[1, 2]</dd>"), "provenance");
    assertTrue(!html.contains("<link") && !html.contains("<script src"), "self-contained");
    assertTrue(Files.isRegularFile(o.dir().resolve("spec.yaml")));

    JsonNode summary = new ObjectMapper().readTree(o.summaryJson());
    assertEquals(4, summary.get("runs").asInt());
    assertEquals(o.html().toString(), summary.get("output").get("html").asText());
    assertEquals(2, summary.get("rows").size());
    assertTrue(summary.get("rows").get(0).get("delay_us").has("p99"));
  }

  @Test
  void theSameSpecGivesTheSameBytesWhateverThePool() throws Exception {
    Experiment.Outcome a = run(dir.resolve("a"), 1);
    Experiment.Outcome b = run(dir.resolve("b"), 4);
    assertArrayEquals(Files.readAllBytes(a.json()), Files.readAllBytes(b.json()), "results.json");
    assertArrayEquals(Files.readAllBytes(a.csv()), Files.readAllBytes(b.csv()), "results.csv");
    for (int i = 0; i < a.runs().size(); i++) {
      assertEquals(a.runs().get(i).metrics(), b.runs().get(i).metrics(), "run " + i);
    }
  }

  @Test
  void theCdfRecordsTheSameDelaysAsTheSimulator() throws Exception {
    ExperimentSpec spec = ExperimentSpec.parse(SPEC, "small.yaml", dir);
    for (RunResult r : ExperimentRunner.run(spec, 2, new ExperimentRunner.Listener() {})) {
      long binned = Arrays.stream(r.delayBins()).sum();
      assertEquals(r.metrics().schedDelay().count(), binned, r.variant().label() + " seed " + r.seed());
      // The CDF crosses 0.99 in the bin holding the simulator's p99 (3 significant digits; bins are 12% wide).
      double[] cdf = DelayBins.cdf(r.delayBins());
      int bin = 0;
      while (cdf[bin] < 0.99) bin++;
      int p99Bin = DelayBins.binOf(r.metrics().schedDelay().p99Ns());
      assertTrue(Math.abs(bin - p99Bin) <= 1, "bin " + bin + " vs p99's " + p99Bin);
    }
  }

  @Test
  @SuppressWarnings("try") // the recorder only needs to be closed
  void aRecordedTraceIsReplayedUnderEachPolicy() throws Exception {
    Path trace = dir.resolve("recorded.jlt");
    Workload w = Workloads.named("server", 3, 2, 100 * Workload.MS);
    SimKernel k = new SimKernel(w, SimConfig.of(2));
    try (SchedEventRecorder rec = SchedEventRecorder.attach(k, w, trace, Map.of("policy", "deadline"))) {
      k.runToCompletion(new DeadlinePolicy());
    }
    ExperimentSpec spec = ExperimentSpec.parse("""
        name: replayed
        policies: [deadline, fifo]
        workloads:
          - trace: recorded.jlt
        """, "replayed.yaml", dir);
    Experiment.Outcome o = Experiment.run(spec, new Experiment.Options(dir.resolve("out"), 2, Progress.Mode.NONE,
        System.err, PROV));
    assertEquals(2, o.runs().size());
    for (RunResult r : o.runs()) {
      assertEquals(2, r.metrics().nrCpus(), "the trace's own CPUs");
      assertEquals(w.tasks().size(), r.metrics().tasks());
      assertTrue(r.metrics().schedDelay().count() > 100, "delays measured: " + r.metrics().schedDelay());
    }
    assertEquals("recorded", o.table().rows().get(0).workload());
    assertTrue(o.tableText().contains("trace recorded.jlt (javaland)"), o.tableText());
  }

  @Test
  void progressDrawsOneUpdatingLineOnATerminal() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (Progress p = new Progress(new PrintStream(out, true, StandardCharsets.UTF_8), Progress.Mode.BAR, "x")) {
      p.started(3);
      for (int i = 1; i <= 3; i++) p.finished(null, i, 3);
    }
    String s = out.toString(StandardCharsets.UTF_8);
    assertTrue(s.startsWith("\r[") && s.contains("3/3 runs") && s.contains("ETA") && s.endsWith("\n"), s);
    assertEquals(1, s.split("\n", -1).length - 1, "one line: " + s);
  }
}
