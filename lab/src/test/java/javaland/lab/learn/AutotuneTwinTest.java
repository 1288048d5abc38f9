package javaland.lab.learn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import javaland.lab.experiment.AutotuneSpec;
import javaland.lab.experiment.Experiment;
import javaland.lab.experiment.Progress;
import javaland.lab.experiment.Provenance;
import javaland.lab.experiment.ResultFiles;
import javaland.lab.experiment.Spec;
import javaland.lab.experiment.SpecException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A tiny autotune twin: the rules help the server, the learner finds the server's class, every phase is reported. */
class AutotuneTwinTest {
  @TempDir Path dir;

  static final String TINY = """
      name: tiny-twin
      kind: autotune
      policy: deadline
      arms:
        slice_max_us: [1000, 20000]
      windows: 24
      phase_windows: 4
      noise_sd: 0.1
      rules: |
        rules:
          - name: server
            match: {comm: "^server$"}
            class: latency-critical
          - name: hogs
            match: {comm: "^hog-"}
            class: batch
      cpus: 2
      duration: 600ms
      workloads: [server-hogs]
      """;

  @Test
  void rulesImproveTheServerAndTheLearnerProposesItLatencyCritical() throws Exception {
    AutotuneSpec spec = (AutotuneSpec) Spec.parse(TINY, "tiny.yaml", dir);
    Experiment.Options o = new Experiment.Options(dir.resolve("out"), 1, Progress.Mode.NONE, System.err, Provenance.now(null));
    AutotuneExperiment.Outcome out = AutotuneExperiment.run(spec, o);
    System.out.print(out.text());
    AutotuneTwin.Case c = out.result().cases().getFirst();
    assertEquals("response", c.serverMetric(), "the synthetic server records its requests' response times");
    assertTrue(c.rules().serverP99Us() < c.defaults().serverP99Us(),
        "phase 4 p99 " + c.rules().serverP99Us() + " us vs phase 2 " + c.defaults().serverP99Us() + " us");
    assertTrue(c.actions().stream().anyMatch(a -> a.kind().equals("class_propose") && a.what().equals("server=latency-critical")),
        c.actions().toString());
    assertTrue(c.actions().stream().anyMatch(a -> a.kind().equals("class_propose") && a.what().startsWith("hog-") && a.what().endsWith("=batch")),
        c.actions().toString());
    assertEquals(24, c.learner().windows().size());
    assertEquals(4, c.defaults().windows().size());

    JsonNode line = ResultFiles.JSON.readTree(out.summaryJson());
    JsonNode phases = line.get("cases").get(0).get("phases");
    for (String p : new String[] {"2", "3", "4"}) {
      assertTrue(phases.get(p).get("server_p99_us").asDouble() > 0, p + ": " + phases);
      assertTrue(phases.get(p).get("hogs_throughput").asDouble() > 0, p + ": " + phases);
    }
    assertTrue(line.get("cases").get(0).get("targets").has("p99_gain_at_least_80pct_of_rules"), line.toString());
    JsonNode results = ResultFiles.JSON.readTree(Files.readString(out.json()));
    assertEquals(24, results.get("cases").get(0).get("windows").get("3").size());
    assertEquals(1 + 4 + 24 + 4, Files.readAllLines(out.csv()).size(), "a header and a row per window");
    assertTrue(Files.size(out.html()) > 1000);
    // deterministic: the same spec gives the same bytes
    AutotuneExperiment.Outcome again = AutotuneExperiment.run(spec,
        new Experiment.Options(dir.resolve("again"), 1, Progress.Mode.NONE, System.err, Provenance.now(null)));
    assertEquals(Files.readString(out.json()), Files.readString(again.json()));
  }

  @Test
  void badRulesAreNamedWithTheirKeyAndLine() {
    String bad = TINY.replace("class: latency-critical", "class: fastest");
    SpecException e = assertThrows(SpecException.class, () -> Spec.parse(bad, "tiny.yaml", dir));
    // the rule's own line in the spec, and its key under rules:
    assertTrue(e.getMessage().contains("tiny.yaml:13: rules.rules[0].class: 'fastest' is not a class"), e.getMessage());
  }
}
