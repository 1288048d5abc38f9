package javaland.models.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import javaland.models.json.JsonCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Provenance that links: an artifact keeps its lineage (traces with their hashes, synthetic
 * workloads with their seeds, the grid, the build's commit), a version the artifact it was
 * warm-started from; files written before either existed still load; damaged bytes are refused.
 */
class LineageTest {
  static final Instant T = Instant.parse("2026-12-07T10:00:00Z");
  static final String SHA = "ab".repeat(32);

  @TempDir Path dir;
  final List<String> warnings = new ArrayList<>();

  static Lineage lineage() {
    Map<String, List<Double>> arms = new LinkedHashMap<>();
    arms.put("slice_max_us", List.of(500.0, 5000.0));
    arms.put("kernel.idle_fastpath", List.of(0.0, 1.0));
    return new Lineage("deadline", arms, "grid", List.of(1L, 2L),
        List.of(new Lineage.TraceInput("traces/boot.jlt.gz", "/work/traces/boot.jlt.gz", 1234, "gzip", "cd".repeat(32), null)),
        List.of(new Lineage.SyntheticInput("mix", List.of(1L, 2L), 4, 300_000_000L)),
        new BuildInfo("0.1.0-SNAPSHOT", "0123456789abcdef0123456789abcdef01234567", true, "tracked files differed"));
  }

  @Test
  void anArtifactKeepsItsLineageAndAVersionItsArtifact() {
    Registry r = Registry.open(dir, warnings::add);
    ModelArtifact a = r.saveArtifact("reward-model-deadline", new byte[] {1, 2, 3}, Provenance.now("train", "fit"), lineage());
    assertEquals(lineage(), a.lineage());
    ModelArtifact back = Registry.open(dir, warnings::add).artifact(a.id()).orElseThrow();
    assertEquals(a, back);
    assertEquals(List.of("slice_max_us", "kernel.idle_fastpath"), List.copyOf(back.lineage().arms().keySet()), "the grid's order is kept");
    assertEquals(Lineage.HASH_OF_FILE, back.lineage().traces().getFirst().sha256Of());

    ArtifactRef ref = ArtifactRef.of(a, r.directory());
    PolicyVersion v = r.record("deadline", Map.of("slice_max_us", 500.0),
        new Provenance(T, "learner via api:token", "windows", "linucb", "try", Map.of("arm", 0.0)).withArtifact(ref));
    PolicyVersion vb = Registry.open(dir, warnings::add).version(v.version()).orElseThrow();
    assertEquals(ref, vb.provenance().artifact());
    assertEquals(a.sha256(), vb.provenance().artifact().sha256());
    String json = JsonCodec.write(vb);
    assertTrue(json.endsWith(",\"artifact\":{\"id\":1,\"name\":\"reward-model-deadline\",\"sha256\":\"" + a.sha256()
        + "\",\"registry\":\"" + r.directory() + "\"}}}"), json);
    r.audit().append(new AuditEntry(T, "propose", "deadline", v.version(), 0, v.provenance(), v.values()));
    assertEquals(ref, r.audit().entries().getFirst().provenance().artifact());
    assertEquals(List.of(), r.problems());
    assertEquals(List.of(), warnings);
  }

  @Test
  void withoutThemTheFilesKeepTheirOldShape() {
    Provenance p = new Provenance(T, "cli", "", "", "x", Map.of());
    assertEquals("{\"at\":\"2026-12-07T10:00:00Z\",\"author\":\"cli\",\"data\":\"\",\"model\":\"\",\"reason\":\"x\",\"figures\":{}}",
        JsonCodec.write(p));
    assertEquals("{\"id\":1,\"name\":\"m\",\"bytes\":3,\"sha256\":\"" + SHA + "\",\"provenance\":" + JsonCodec.write(p) + "}",
        JsonCodec.write(new ModelArtifact(1, "m", 3, SHA, p)));
  }

  /** A registry main wrote before lineages (registry-before-lineage.md): it loads whole, and new writes go on from it. */
  @Test
  void aRegistryWrittenBeforeLineagesLoads() throws Exception {
    Registry r = openCopy("registry-before-lineage");
    assertEquals(List.of(), r.problems());
    ModelArtifact a = r.latestArtifact("reward-model-deadline").orElseThrow();
    assertNull(a.lineage(), "no lineage: it was not recorded");
    assertEquals("56fee4b12b280ea1e7c1b550002bb18b342ccbd7229cd4b147ea07aa1a691294", a.sha256());
    assertEquals(100, r.readArtifact(a).length);
    assertTrue(Double.isNaN(a.provenance().figures().get("reward_sd")));
    List<PolicyVersion> h = r.history();
    assertEquals(2, h.size());
    assertNull(h.get(1).provenance().artifact());
    assertEquals("learner via api:token", h.get(1).provenance().author());
    assertEquals(2, r.audit().entries().size());
    assertEquals(1, r.lastKnownGood("deadline").orElseThrow().version());

    ModelArtifact a2 = r.saveArtifact("reward-model-deadline", new byte[] {9}, Provenance.now("train", "again"), lineage());
    PolicyVersion v3 = r.record("deadline", Map.of("slice_max_us", 5000.0),
        Provenance.now("learner", "warm").withArtifact(ArtifactRef.of(a2, r.directory())));
    Registry again = Registry.open(r.directory(), warnings::add);
    assertEquals(a2, again.latestArtifact("reward-model-deadline").orElseThrow());
    assertEquals(a2.sha256(), again.version(v3.version()).orElseThrow().provenance().artifact().sha256());
    assertEquals(List.of(), again.problems());
    assertEquals(List.of(), warnings);
    // and the pre-Jackson one too (OldRegistryTest checks it field by field)
    assertNull(openCopy("old-registry").latestArtifact("reward-model").orElseThrow().lineage());
  }

  @Test
  void bytesThatDoNotMatchTheirRecordedHashAreRefusedNamingTheFileAndBothHashes() throws IOException {
    Registry r = Registry.open(dir, warnings::add);
    byte[] model = "a model of 24 bytes here".getBytes(StandardCharsets.US_ASCII);
    ModelArtifact a = r.saveArtifact("reward-model-deadline", model, Provenance.now("train", "fit"), lineage());
    Path bin = r.artifactFile(a.id());
    byte[] tampered = model.clone();
    tampered[3] ^= 1;
    Files.write(bin, tampered);
    String actual = SealedFile.sha256(tampered);
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> r.readArtifact(a));
    assertTrue(e.getMessage().startsWith(bin + ": checksum mismatch: its bytes have SHA-256 " + actual + ", but artifact 1 "
        + "'reward-model-deadline' recorded " + a.sha256() + " in " + dir.toAbsolutePath().normalize().resolve("artifacts/000001.json")),
        e.getMessage());
    assertTrue(e.getMessage().endsWith("refusing to use it"), e.getMessage());
    assertTrue(r.problems().stream().anyMatch(p -> p.what().contains(actual)), r.problems().toString());
    Files.write(bin, model);
    assertArrayEquals(model, r.readArtifact(a), "the right bytes again: accepted");
  }

  @Test
  void badLineagesAreNamedByField() {
    Provenance p = new Provenance(T, "train", "", "", "", Map.of());
    String ok = JsonCodec.write(new ModelArtifact(1, "m", 3, SHA, p, lineage()));
    assertEquals("field \"lineage.traces[0].sha256\" missing", error(ok.replace("\"sha256\":\"" + "cd".repeat(32) + "\",", "")));
    assertEquals("field \"lineage.build\" missing", error(ok.replaceAll(",\"build\":\\{[^}]*\\}", "")));
    assertEquals("field \"provenance.at\" missing", error(ok.replace("\"at\":\"2026-12-07T10:00:00Z\",", "")));
    assertEquals("field \"bytes\" is not an integer", error(ok.replace("\"bytes\":3", "\"bytes\":\"3\"")));
    assertTrue(error("[1]").startsWith("expected an object"), error("[1]"));
    String v = "{\"version\":1,\"policy\":\"p\",\"values\":{},\"provenance\":{\"at\":\"2026-11-26T10:00:00Z\",\"author\":\"a\","
        + "\"data\":\"\",\"model\":\"\",\"reason\":\"\",\"figures\":{},\"artifact\":{\"id\":0,\"name\":\"m\",\"sha256\":\"" + SHA
        + "\",\"registry\":\"\"}}}";
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> RegistryCodec.read(v.getBytes(StandardCharsets.UTF_8), PolicyVersion.class));
    assertEquals("field \"provenance.artifact\": artifact id must be >= 1, got 0", e.getMessage());
    // leniently read (an API body): absent fields stay absent, the record's own checks still hold
    assertNull(JsonCodec.read("{\"at\":\"2026-11-26T10:00:00Z\",\"author\":\"a\"}", Provenance.class).artifact());
    assertEquals("at", assertThrows(IllegalArgumentException.class, () -> JsonCodec.read("{\"author\":\"a\"}", Provenance.class))
        .getMessage());
  }

  @Test
  void theBuildSaysWhichCommitItIsOrWhyNot() {
    BuildInfo b = BuildInfo.current();
    assertTrue(b.commit().matches("[0-9a-f]{40}") || (b.commit().equals(BuildInfo.UNKNOWN) && !b.note().isEmpty()), b.toString());
    assertTrue(!b.version().isEmpty(), b.toString());
    Properties p = new Properties();
    p.setProperty("version", "1.2");
    p.setProperty("commit", "unknown");
    p.setProperty("note", "not built from a git checkout");
    assertEquals(new BuildInfo("1.2", "unknown", false, "not built from a git checkout"), BuildInfo.of(p));
    assertEquals("1.2 at unknown commit (not built from a git checkout)", BuildInfo.of(p).describe());
    p.setProperty("commit", "0123456789abcdef0123456789abcdef01234567");
    p.setProperty("dirty", "true");
    assertEquals("1.2 at 0123456789abcdef0123456789abcdef01234567 (dirty)", BuildInfo.of(p).describe());
    p.setProperty("commit", "${git.commit}");
    p.remove("note");
    assertEquals("the build recorded '${git.commit}', not a commit", BuildInfo.of(p).note());
  }

  Registry openCopy(String name) throws IOException, URISyntaxException {
    Path fixture = Path.of(LineageTest.class.getResource(name).toURI());
    Path to0 = dir.resolve(name);
    try (Stream<Path> all = Files.walk(fixture)) {
      for (Path q : all.toList()) {
        Path to = to0.resolve(fixture.relativize(q).toString());
        if (Files.isDirectory(q)) Files.createDirectories(to);
        else Files.copy(q, to);
      }
    }
    return Registry.open(to0, warnings::add);
  }

  static String error(String json) {
    return assertThrows(IllegalArgumentException.class,
        () -> RegistryCodec.read(json.getBytes(StandardCharsets.UTF_8), ModelArtifact.class)).getMessage();
  }
}
