package javaland.cli;

import static javaland.cli.CliRun.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code javaland experiment}: the table, the files, and with --json one JSON object as the last line. */
class ExperimentCommandTest {
  @TempDir Path dir;

  private Path spec(String text) throws Exception {
    Path f = dir.resolve("spec.yaml");
    Files.writeString(f, text);
    return f;
  }

  @Test
  void runsASpecAndEndsWithOneJsonObject() throws Exception {
    Path f = spec("""
        name: cli-small
        seeds: 2
        cpus: 2
        policies: [deadline, fifo]
        workloads:
          - {synthetic: interactive, duration: 100ms}
        """);
    Path out = dir.resolve("out");
    CliRun r = run("experiment", f.toString(), "-o", out.toString(), "--json", "--progress", "lines");
    assertEquals(0, r.code(), r.out() + r.err());
    assertTrue(r.out().startsWith("== interactive: synthetic 'interactive', 2 CPUs, 100ms, median of 2 seeds"), r.out());
    assertTrue(r.err().contains("experiment cli-small: 4/4 runs"), r.err());
    JsonNode j = new ObjectMapper().readTree(r.lastLine());
    assertEquals("cli-small", j.get("experiment").asText());
    assertEquals(4, j.get("runs").asInt());
    assertEquals(2, j.get("rows").size());
    assertEquals("deadline", j.get("rows").get(0).get("variant").asText());
    assertTrue(j.get("rows").get(0).get("delay_us").has("p99"));
    for (String k : new String[] {"csv", "json", "html"}) {
      assertTrue(Files.isRegularFile(Path.of(j.get("output").get(k).asText())), k);
    }
    assertEquals(2, j.get("output").get("plots").size());
  }

  @Test
  void aBadSpecNamesKeyAndLineAndRunsNothing() throws Exception {
    Path f = spec("""
        name: bad
        duration: 1s
        policies:
          - deadline: {slice_max_us: 99999999}
        workloads: [mix]
        """);
    Path out = dir.resolve("never");
    CliRun r = run("experiment", f.toString(), "-o", out.toString());
    assertEquals(2, r.code());
    assertTrue(r.err().contains(f + ":4: policies[0].deadline.slice_max_us: 99999999 is out of range"), r.err());
    assertTrue(!Files.exists(out), "nothing ran");

    CliRun j = run("experiment", f.toString(), "-o", out.toString(), "--json");
    assertEquals(2, j.code());
    JsonNode err = new ObjectMapper().readTree(j.lastLine());
    assertEquals(false, err.get("valid").asBoolean());
    assertEquals(4, err.get("problems").get(0).get("line").asInt());
    assertEquals("policies[0].deadline.slice_max_us", err.get("problems").get(0).get("key").asText());
  }

  @Test
  void checkOnlyValidates() throws Exception {
    Path f = spec("name: c\nseeds: 3\nduration: 1s\npolicies: [deadline, fifo, example]\nworkloads: [mix, hogs]\n");
    CliRun r = run("experiment", f.toString(), "--check", "--json");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("is valid: 18 runs (3 variants x 2 workloads x 3 seeds)"), r.out());
    assertEquals(18, new ObjectMapper().readTree(r.lastLine()).get("runs").asInt());
  }

  @Test
  void theExampleSpecsAreValid() throws Exception {
    Path specs = Path.of("..", "lab", "specs");
    try (var files = Files.list(specs)) {
      for (Path s : files.filter(p -> p.toString().endsWith(".yaml")).toList()) {
        CliRun r = run("experiment", s.toString(), "--check");
        assertEquals(0, r.code(), s + ": " + r.err());
      }
    }
  }
}
