package javaland.lab.learn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import javaland.lab.experiment.ExperimentRunner;
import javaland.learner.model.TribuoRewardModel;
import javaland.learner.reward.RewardConfig;
import javaland.models.registry.BuildInfo;
import javaland.models.registry.Lineage;
import javaland.models.registry.ModelArtifact;
import javaland.models.registry.Registry;
import javaland.policies.DeadlinePolicy;
import javaland.runtime.kernel.sim.SimConfig;
import javaland.runtime.kernel.sim.SimKernel;
import javaland.runtime.kernel.sim.Workload;
import javaland.runtime.kernel.sim.Workloads;
import javaland.trace.SchedEventRecorder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What train records of where its model came from: every trace with its hash, the synthetic workloads, the grid, the build. */
class TrainingLineageTest {
  @TempDir Path dir;

  static String sha256(Path f) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f)));
  }

  @Test
  void theArtifactNamesEveryTraceWithItsHashTheSyntheticWorkloadsTheGridAndTheBuild() throws Exception {
    Path traces = Files.createDirectories(dir.resolve("traces"));
    Workload w = Workloads.named("mix", 3, 4, 100_000_000L);
    SimKernel k = new SimKernel(w, SimConfig.of(4));
    Path plain = traces.resolve("a.jlt");
    try (SchedEventRecorder rec = SchedEventRecorder.attach(k, w, plain, Map.of("policy", "deadline"))) {
      k.runToCompletion(new DeadlinePolicy());
    }
    Path gz = traces.resolve("b.jlt.gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
      Files.copy(plain, out);
    }
    Path relativeDir = Path.of("").toAbsolutePath().relativize(traces); // as a user types it, relative
    Trainer.Options o = new Trainer.Options(relativeDir, List.of("hogs"), 2, 100_000_000L, "deadline",
        Map.of("slice_max_us", List.of(500.0, 20000.0)), 2, 1, RewardConfig.DEFAULT, TribuoRewardModel.Settings.DEFAULT);
    Trainer.Result r = Trainer.train(o, dir.resolve("reg"), new ExperimentRunner.Listener() {});
    ModelArtifact a = Registry.open(dir.resolve("reg"), m -> {}).artifact(r.artifact().id()).orElseThrow();
    Lineage l = a.lineage();
    assertEquals(r.lineage(), l);

    assertEquals(2, l.traces().size());
    Lineage.TraceInput ta = l.traces().get(0);
    Lineage.TraceInput tb = l.traces().get(1);
    assertEquals(relativeDir.resolve("a.jlt").toString(), ta.path(), "the path as given");
    assertEquals(plain.toAbsolutePath().normalize().toString(), ta.absolutePath());
    assertEquals(sha256(plain), ta.sha256());
    assertEquals(Files.size(plain), ta.bytes());
    assertEquals("none", ta.compression());
    assertEquals("gzip", tb.compression());
    assertEquals(sha256(gz), tb.sha256(), "the hash of the file as stored, compressed: sha256sum prints it");
    assertEquals(Lineage.HASH_OF_FILE, tb.sha256Of());
    assertTrue(!tb.sha256().equals(ta.sha256()));

    assertEquals(List.of(new Lineage.SyntheticInput("hogs", List.of(1L, 2L), 2, 100_000_000L)), l.synthetic());
    assertEquals("deadline", l.policy());
    assertEquals("grid", l.search());
    assertEquals(Map.of("slice_max_us", List.of(500.0, 20000.0)), l.arms());
    assertEquals(List.of(1L, 2L), l.seeds());
    assertEquals(BuildInfo.current(), l.build());
    BuildInfo b = l.build();
    assertTrue(b.commit().matches("[0-9a-f]{40}") || !b.note().isEmpty(), b.toString());

    List<String> said = r.describeLineage();
    assertTrue(said.get(1).startsWith("trace " + tb.path() + " (" + tb.bytes() + " bytes, gzip) sha256 " + tb.sha256()), said.toString());
    assertTrue(said.getLast().startsWith("built by javaland "), said.toString());
  }

  @Test
  void aTraceThatChangesWhileItIsReadStopsTraining() throws Exception {
    Path f = dir.resolve("t.jlt");
    Files.writeString(f, "one");
    Lineage.TraceInput before = TrainingLineage.hash(f);
    TrainingLineage.checkUnchanged(before);
    Files.writeString(f, "two");
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> TrainingLineage.checkUnchanged(before));
    assertTrue(e.getMessage().startsWith("trace " + f + " changed while it was read (sha256 " + before.sha256() + ", 3 bytes before; "
        + sha256(f) + ", 3 bytes after)"), e.getMessage());
  }
}
