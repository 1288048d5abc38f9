package javaland.learner.online;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javaland.learner.model.TribuoRewardModel;
import javaland.models.registry.ArtifactRef;
import javaland.models.registry.BuildInfo;
import javaland.models.registry.Lineage;
import javaland.models.registry.ModelArtifact;
import javaland.models.registry.Provenance;
import javaland.models.registry.Registry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The warm start names the artifact it loaded, refuses bytes that are not the ones recorded, and says why it starts cold. */
class WarmStartTest {
  @TempDir Path dir;
  final List<String> said = new ArrayList<>();

  static byte[] model() {
    double[][] x = new double[40][];
    double[] y = new double[40];
    for (int i = 0; i < x.length; i++) {
      x[i] = new double[] {i % 5, i * 100.0};
      y[i] = -0.01 * i;
    }
    return TribuoRewardModel.fit(List.of("queue_depth", "slice_max_us"), x, y, "d", "r", TribuoRewardModel.Settings.DEFAULT).toBytes();
  }

  static Lineage lineage() {
    return new Lineage("deadline", Map.of("slice_max_us", List.of(500.0, 5000.0)), "grid", List.of(1L),
        List.of(new Lineage.TraceInput("t/boot.jlt.gz", "/t/boot.jlt.gz", 10, "gzip", "12".repeat(32), null)), List.of(),
        new BuildInfo("0.1.0", "0123456789abcdef0123456789abcdef01234567", false, ""));
  }

  @Test
  void aLoadedModelNamesItsArtifact() {
    Registry r = Registry.open(dir, said::add);
    ModelArtifact a = r.saveArtifact("reward-model-deadline", model(), Provenance.now("train", "offline training"), lineage());
    WarmStart.Loaded l = WarmStart.find(dir, "deadline", said::add).orElseThrow(() -> new AssertionError(said));
    assertEquals(new ArtifactRef(a.id(), "reward-model-deadline", a.sha256(), r.directory().toString()), l.artifact());
    assertEquals(a, l.meta());
    assertEquals(List.of("queue_depth", "slice_max_us"), l.model().featureNames());
    assertTrue(said.getLast().startsWith("warm start from artifact 1 'reward-model-deadline' sha256 " + a.sha256() + " in " + dir),
        said.toString());
    assertTrue(said.getLast().contains("trained on 1 trace (boot.jlt.gz sha256 121212121212...) by javaland 0.1.0 at 0123456789abcdef"),
        said.getLast());
  }

  @Test
  void anArtifactSavedWithoutALineageStillWarmStarts() {
    Registry.open(dir, said::add).saveArtifact("reward-model-deadline", model(), Provenance.now("train", "old"));
    assertTrue(WarmStart.find(dir, "deadline", said::add).isPresent(), said.toString());
    assertTrue(said.getLast().contains("no lineage recorded"), said.getLast());
  }

  @Test
  void bytesThatDoNotMatchTheRecordedHashAreRefusedAndTheLearnerStartsCold() throws Exception {
    Registry r = Registry.open(dir, said::add);
    byte[] good = model();
    ModelArtifact a = r.saveArtifact("reward-model-deadline", good, Provenance.now("train", "fit"), lineage());
    byte[] bad = good.clone();
    bad[bad.length / 2] ^= 0x40;
    Path bin = r.artifactFile(a.id());
    Files.write(bin, bad);
    String badSha = HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bad));
    said.clear();
    Optional<WarmStart.Loaded> l = WarmStart.find(dir, "deadline", said::add);
    assertTrue(l.isEmpty());
    String msg = said.stream().filter(s -> s.startsWith("no warm start")).findFirst().orElseThrow(() -> new AssertionError(said));
    assertTrue(msg.startsWith("no warm start (starting cold): artifact 1 'reward-model-deadline' cannot be used: " + bin
        + ": checksum mismatch: its bytes have SHA-256 " + badSha + ", but artifact 1 'reward-model-deadline' recorded " + a.sha256()), msg);
    assertTrue(WarmStart.load(dir, "fifo", said::add).isEmpty());
    assertTrue(said.getLast().equals("no warm start (starting cold): the registry " + dir + " holds no 'reward-model-fifo' artifact"
        + " (javaland train makes one)"), said.getLast());
  }
}
