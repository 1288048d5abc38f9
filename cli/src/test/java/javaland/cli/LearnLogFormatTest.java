package javaland.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import javaland.telemetry.log.Log;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** learn's own lines go through the logging facade: text with its prefix, or one JSON object each. */
class LearnLogFormatTest {
  @TempDir Path dir;

  /** A learner pointed at a closed port: it says where its state is, that it cannot reach the API, and that it stopped. */
  private CliRun learn(String... more) {
    List<String> args = new java.util.ArrayList<>(List.of("learn", "--url", "http://127.0.0.1:9", "--duration", "1s",
        "--metrics-port", "0", "--state-dir", dir.toString()));
    args.addAll(List.of(more));
    return CliRun.run(args.toArray(String[]::new));
  }

  @Test
  void textLinesCarryTheLearnersPrefixAndJsonMakesEachLineAnObject() {
    try {
      CliRun text = learn();
      assertEquals(0, text.code(), text.out() + text.err());
      List<String> lines = text.out().lines().filter(l -> !l.isBlank()).toList();
      assertTrue(lines.size() >= 3, lines.toString());
      for (String l : lines) assertTrue(l.startsWith("javaland-learn: "), l);
      assertTrue(lines.stream().anyMatch(l -> l.contains("cannot reach the javaland API")), lines.toString());
      assertTrue(text.lastLine().startsWith("javaland-learn: stopped: "), text.out());

      CliRun json = learn("--log-format", "json");
      assertEquals(0, json.code(), json.out() + json.err());
      List<String> jl = json.out().lines().filter(l -> !l.isBlank()).toList();
      assertEquals(lines.size(), jl.size(), json.out());
      for (String l : jl) {
        JsonObject j = new JsonObject(l); // throws on anything else
        assertEquals("learner", j.getString("logger"), l);
        assertTrue(j.containsKey("time") && j.containsKey("level") && !j.getString("message").startsWith("javaland-learn"), l);
      }
      assertTrue(new JsonObject(jl.get(jl.size() - 1)).getString("message").startsWith("stopped: "), json.out());
    } finally {
      Log.configure(Log.Format.TEXT, Log.Level.INFO);
    }
  }

  @Test
  void aBadLogLevelIsAUsageErrorNamingItsOption() {
    try {
      CliRun bad = learn("--log-level", "loud");
      assertEquals(2, bad.code(), bad.err());
      assertTrue(bad.err().contains("--log-level: log level 'loud': choose one of debug, info, warn, error"), bad.err());
    } finally {
      Log.configure(Log.Format.TEXT, Log.Level.INFO);
    }
  }
}
