package javaland.cli;

import static javaland.cli.CliRun.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import javaland.models.registry.Registry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ./javaland train: prints the best arm per workload, saves the model, ends with one JSON object; bad input is named. */
class TrainCommandTest {
  @TempDir Path dir;

  @Test
  void trainsOnSyntheticWorkloadsAndSavesTheModel() {
    Path reg = dir.resolve("reg");
    CliRun r = run("train", "--synthetic", "hogs", "--duration", "150ms", "--arms", "slice_max_us=500,20000", "--seeds", "2",
        "--registry", reg.toString(), "--progress", "none", "--json");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("synthetic hogs: best slice_max_us=500 reward"), r.out());
    assertTrue(r.out().contains("saved artifact 1 'reward-model-deadline'"), r.out());
    JsonObject j = r.json();
    assertEquals("deadline", j.getString("policy"));
    assertEquals(2, j.getInteger("arms"));
    assertEquals(500.0, j.getJsonArray("workloads").getJsonObject(0).getJsonObject("best").getDouble("slice_max_us"));
    assertEquals("reward-model-deadline", j.getJsonObject("artifact").getString("name"));
    assertTrue(Registry.open(reg, m -> {}).latestArtifact("reward-model-deadline").isPresent());
    // where it came from: printed, in the JSON, and in the artifact's metadata
    assertTrue(r.out().contains("its lineage (kept in the artifact's metadata, docs/learner.md):\n  synthetic hogs seeds [1, 2] on 4 CPUs"
        + " for 150 ms\n  policy deadline, grid over {slice_max_us=[500.0, 20000.0]}\n  built by javaland "), r.out());
    JsonObject lineage = j.getJsonObject("lineage");
    assertEquals("hogs", lineage.getJsonArray("synthetic").getJsonObject(0).getString("name"));
    assertEquals(javaland.models.registry.BuildInfo.current().commit(), lineage.getJsonObject("build").getString("commit"));
    assertEquals(lineage.encode(), new JsonObject(javaland.models.json.JsonCodec.write(
        Registry.open(reg, m -> {}).latestArtifact("reward-model-deadline").orElseThrow().lineage())).encode());
  }

  @Test
  void bayesianSearchAgainstTheGrid() {
    CliRun r = run("train", "--synthetic", "hogs", "--duration", "150ms", "--arms",
        "slice_max_us=250,500,1000,2000,3000,5000,8000,12000,20000", "--seeds", "2", "--search", "both", "--budget", "6",
        "--registry", "none", "--progress", "none", "--json");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("9 arms and a Bayesian search of 6 points"), r.out());
    assertTrue(r.out().contains("hogs: Bayesian search (6 points): best slice_max_us="), r.out());
    var b = r.json().getJsonArray("bayes").getJsonObject(0);
    assertEquals(6, b.getJsonArray("tried").size());
    assertEquals(9, b.getInteger("grid_arms"));
    // measured and deterministic: the search reaches the grid's best (250 µs) at its 6th point
    assertEquals(6, b.getInteger("points_to_grid_best"), b.encode());
    assertEquals(b.getDouble("grid_best_reward"), b.getDouble("best_reward"), 1e-12);
    r = run("train", "--synthetic", "hogs", "--search", "random", "--registry", "none");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("--search random: choose grid, bo or both"), r.err());
  }

  @Test
  void badInputIsNamed() {
    CliRun r = run("train", "--synthetic", "hogs", "--arms", "slice_max_us=1,500", "--registry", "none");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("slice_max_us") && r.err().contains("1"), r.err());
    r = run("train", "--registry", "none");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("give --traces DIR and/or --synthetic NAMES"), r.err());
    r = run("train", "--traces", dir.resolve("missing").toString(), "--registry", "none");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("no such directory"), r.err());
  }
}
