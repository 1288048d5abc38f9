package javaland.telemetry.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import javaland.models.json.JsonCodec;
import org.junit.jupiter.api.Test;

class LogTest {
  private static final Instant AT = Instant.parse("2026-12-07T15:00:00Z");

  @Test
  void textKeepsTheOldLinesAndSaysTheLevelJsonIsOneObjectPerLine() {
    assertEquals("javaland: attached", Log.line(AT, Log.Level.INFO, "javaland", "run", "attached", Log.Format.TEXT, false));
    assertEquals("javaland: warning: no PSI", Log.line(AT, Log.Level.WARN, "javaland", "psi", "no PSI", Log.Format.TEXT, false));
    assertEquals("<3>javaland: error: failed", Log.line(AT, Log.Level.ERROR, "javaland", "run", "failed", Log.Format.TEXT, true),
        "under systemd the syslog priority leads, for journald");
    JsonNode j = JsonCodec.readTree(Log.line(AT, Log.Level.WARN, "javaland", "psi", "say \"no\"\nnext", Log.Format.JSON, true));
    assertEquals("2026-12-07T15:00:00Z", j.get("time").asText());
    assertEquals("warn", j.get("level").asText());
    assertEquals("psi", j.get("logger").asText());
    assertEquals("say \"no\"\nnext", j.get("message").asText(), "quotes and newlines escaped: still one line");
    assertTrue(!Log.line(AT, Log.Level.WARN, "javaland", "psi", "a\nb", Log.Format.JSON, false).contains("\n"));
  }

  @Test
  void levelsBelowTheThresholdAreDroppedAndJavaUtilLoggingComesThroughTheFacade() {
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      Log.configure(Log.Format.JSON, Log.Level.WARN);
      Log.named("t").info("not shown");
      Log.named("t").warn("shown");
      java.util.logging.Logger.getLogger("io.vertx.core.Test").warning("from a library");
      java.util.logging.Logger.getLogger("io.vertx.core.Test").info("below the threshold");
    } finally {
      Log.configure(Log.Format.TEXT, Log.Level.INFO);
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
    assertEquals("", out.toString(StandardCharsets.UTF_8), "info is below warn");
    String[] lines = err.toString(StandardCharsets.UTF_8).strip().split("\n");
    assertEquals(2, lines.length, String.join("\n", lines));
    assertEquals("shown", JsonCodec.readTree(lines[0]).get("message").asText());
    JsonNode jul = JsonCodec.readTree(lines[1]);
    assertEquals("io.vertx.core.Test", jul.get("logger").asText());
    assertEquals("warn", jul.get("level").asText());
    assertEquals("from a library", jul.get("message").asText());
  }

  @Test
  void unknownNamesAreRefusedNamingTheChoices() {
    assertEquals(Log.Level.WARN, Log.Level.parse("Warning"));
    assertEquals(Log.Format.JSON, Log.Format.parse("JSON"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> Log.Format.parse("xml")).getMessage().contains("text or json"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> Log.Level.parse("loud")).getMessage().contains("debug, info, warn, error"));
  }
}
