package javaland.cli;

import static javaland.cli.CliRun.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import javaland.learner.ope.DecisionLog;
import javaland.learner.ope.LogRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LearnEvaluateCommandTest {
  @TempDir
  Path dir;

  /**
   * 400 decisions, context (1, u): the logger plays arm 0 with probability 0.8, arm 1 with 0.2;
   * arm 0 pays 1, arm 1 pays 2 (noise sd 0.1). Truth: arm 0 is worth 1, arm 1 and the greedy
   * policy 2, the logged policy 0.8 + 0.4 = 1.2.
   */
  private Path log() throws Exception {
    Path f = dir.resolve("decisions.jldlog");
    Files.deleteIfExists(f);
    Random rnd = new Random(7);
    try (DecisionLog log = DecisionLog.openForAppend(f)) {
      for (int i = 0; i < 400; i++) {
        int arm = rnd.nextDouble() < 0.8 ? 0 : 1;
        log.append(new LogRecord(i, new double[] {1, rnd.nextDouble()}, arm, arm == 0 ? 0.8 : 0.2, 1 + arm + 0.1 * rnd.nextGaussian()));
      }
    }
    return f;
  }

  @Test
  void estimatesEachArmAndTheGreedyPolicy() throws Exception {
    Path f = log();
    CliRun r = run("learn", "evaluate", "--decision-log", f.toString(), "--json");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("400 decisions over 2 arms"), r.out());
    JsonObject j = r.json();
    assertEquals(400, j.getInteger("records"));
    assertEquals(1.2, j.getJsonObject("logged").getDouble("mean"), 0.06);
    JsonArray t = j.getJsonArray("targets");
    assertEquals(3, t.size());
    assertEquals("greedy", t.getJsonObject(2).getString("target"));
    double[] truth = {1, 2, 2};
    for (int i = 0; i < 3; i++) {
      for (String m : new String[] {"ips", "snips", "dr"}) {
        JsonObject e = t.getJsonObject(i).getJsonObject(m);
        assertTrue(e.getDouble("lo") <= truth[i] && truth[i] <= e.getDouble("hi"), t.getJsonObject(i).getString("target") + " " + m + ": " + e);
      }
    }
    // arm 1 was played ~80 times of 400: its weights are worth about that many on-policy samples
    double ess = t.getJsonObject(1).getJsonObject("ips").getDouble("ess");
    assertTrue(ess > 60 && ess < 100, "ESS " + ess);
    assertTrue(r.out().contains("greedy policy vs logged: DR +0.8"), r.out());
  }

  @Test
  void badLogsAreNamed() throws Exception {
    CliRun r = run("learn", "evaluate", "--decision-log", dir.resolve("nope.jldlog").toString());
    assertEquals(2, r.code());
    assertTrue(r.err().contains("nope.jldlog: no such file"), r.err());

    Path notALog = Files.writeString(dir.resolve("x.jldlog"), "hello");
    r = run("learn", "evaluate", "--decision-log", notALog.toString());
    assertEquals(2, r.code());
    assertTrue(r.err().contains("is not a decision log"), r.err());

    Path f = log();
    byte[] b = Files.readAllBytes(f);
    b[b.length / 2] ^= 0x55; // inside some record in the middle
    Files.write(f, b);
    r = run("learn", "evaluate", "--decision-log", f.toString());
    assertEquals(2, r.code());
    assertTrue(r.err().contains("is corrupt") && r.err().contains("at byte"), r.err());
    assertEquals("", r.out());

    r = run("learn", "evaluate", "--decision-log", log().toString(), "--arm-count", "1");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("plays arm 1 but only 1 arms"), r.err());
  }
}
