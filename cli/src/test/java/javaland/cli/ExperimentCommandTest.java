package javaland.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code javaland experiment}: the table, the files, and with --json one JSON object as the last line. */
class ExperimentCommandTest {
  @TempDir Path dir;

  private record Run(int code, String out, String err) {
    String lastLine() {
      String[] lines = out.strip().split("\n");
      return lines[lines.length - 1];
    }
  }

  /** Runs the CLI; stdout and stderr are replaced before the command line exists, so that it writes to them. */
  private static Run run(String... args) {
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      CommandLine cl = Main.commandLine();
      StringWriter handlerErr = new StringWriter();
      cl.setErr(new PrintWriter(handlerErr, true));
      int code = cl.execute(args);
      return new Run(code, out.toString(StandardCharsets.UTF_8), handlerErr + err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }

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
    Run r = run("experiment", f.toString(), "-o", out.toString(), "--json", "--progress", "lines");
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
    Run r = run("experiment", f.toString(), "-o", out.toString());
    assertEquals(2, r.code());
    assertTrue(r.err().contains(f + ":4: policies[0].deadline.slice_max_us: 99999999 is out of range"), r.err());
    assertTrue(!Files.exists(out), "nothing ran");

    Run j = run("experiment", f.toString(), "-o", out.toString(), "--json");
    assertEquals(2, j.code());
    JsonNode err = new ObjectMapper().readTree(j.lastLine());
    assertEquals(false, err.get("valid").asBoolean());
    assertEquals(4, err.get("problems").get(0).get("line").asInt());
    assertEquals("policies[0].deadline.slice_max_us", err.get("problems").get(0).get("key").asText());
  }

  @Test
  void checkOnlyValidates() throws Exception {
    Path f = spec("name: c\nseeds: 3\nduration: 1s\npolicies: [deadline, fifo, example]\nworkloads: [mix, hogs]\n");
    Run r = run("experiment", f.toString(), "--check", "--json");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("is valid: 18 runs (3 variants x 2 workloads x 3 seeds)"), r.out());
    assertEquals(18, new ObjectMapper().readTree(r.lastLine()).get("runs").asInt());
  }

  @Test
  void theExampleSpecsAreValid() throws Exception {
    Path specs = Path.of("..", "experiments", "specs");
    try (var files = Files.list(specs)) {
      for (Path s : files.filter(p -> p.toString().endsWith(".yaml")).toList()) {
        Run r = run("experiment", s.toString(), "--check");
        assertEquals(0, r.code(), s + ": " + r.err());
      }
    }
  }
}
