package javaland.models.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A registry directory written by the hand-written JSON code that came before Jackson
 * ({@code old-registry/}, see {@code old-registry.md}) loads whole and unchanged: what users
 * have in {@code ~/.local/state/javaland} keeps working, and new writes go on from it.
 */
class OldRegistryTest {
  static final Instant T0 = Instant.parse("2025-01-02T03:04:05.123Z");

  @TempDir Path dir;
  final List<String> warnings = new ArrayList<>();

  Registry openCopy() throws IOException, URISyntaxException {
    Path fixture = Path.of(OldRegistryTest.class.getResource("old-registry").toURI());
    try (Stream<Path> all = Files.walk(fixture)) {
      for (Path p : all.toList()) {
        Path to = dir.resolve(fixture.relativize(p).toString());
        if (Files.isDirectory(p)) Files.createDirectories(to);
        else Files.copy(p, to);
      }
    }
    return Registry.open(dir, warnings::add);
  }

  @Test
  void everyFileTheOldCodeWroteLoads() throws Exception {
    Registry r = openCopy();
    assertEquals(List.of(), r.problems());
    assertEquals(List.of(), warnings);

    List<PolicyVersion> h = r.history();
    assertEquals(List.of(1L, 2L, 3L, 4L), h.stream().map(PolicyVersion::version).toList());
    PolicyVersion v1 = h.get(0);
    assertEquals("deadline", v1.policy());
    assertEquals(Map.of("slice_max_us", 5000.0, "slice_min_us", 250.0, "kernel.slice_us", 20000.0, "lag_weight", 0.75), v1.values());
    assertEquals(new Provenance(T0, "cli", "", "", "defaults at start", Map.of()), v1.provenance());

    Provenance p2 = h.get(1).provenance();
    assertEquals(T0.plusSeconds(60), p2.at());
    assertEquals("learner via api:token", p2.author());
    assertEquals("telemetry 2025-01-02T03:04..03:05", p2.data());
    assertEquals("linucb", p2.model());
    assertEquals("quote \" backslash \\ newline \n tab \t é ✓", p2.reason());
    assertEquals(-1.25e-3, p2.figures().get("reward"));
    assertEquals(1.5, p2.figures().get("p99_ms"));
    assertEquals(120.0, p2.figures().get("samples"));
    assertTrue(Double.isNaN(p2.figures().get("ratio")), "a NaN figure was written as null");
    assertEquals(7000.0, h.get(1).values().get("slice_max_us"));

    assertEquals("fifo", h.get(2).policy());
    assertEquals(Map.of(), h.get(2).values());
    assertEquals(Map.of("bound_ms", 2.0, "p99_ms", 4.0), h.get(3).provenance().figures());

    assertEquals(2, r.lastKnownGood("deadline").orElseThrow().version());
    assertTrue(r.lastKnownGood("fifo").isEmpty());

    ModelArtifact a = r.latestArtifact("reward-model").orElseThrow();
    assertEquals(1, a.id());
    assertEquals(256, a.bytes());
    assertEquals(Map.of("rmse", 0.5), a.provenance().figures());
    byte[] data = new byte[256];
    for (int i = 0; i < data.length; i++) data[i] = (byte) i;
    assertArrayEquals(data, r.readArtifact(a));

    List<AuditEntry> audit = r.audit().entries();
    assertEquals(List.of("start", "propose", "commit", "guard_revert"), audit.stream().map(AuditEntry::event).toList());
    AuditEntry commit = audit.get(2);
    assertEquals(T0.plusSeconds(90), commit.at());
    assertEquals(2, commit.version());
    assertEquals(1, commit.fromVersion());
    assertEquals(Map.of("p", 0.01), commit.provenance().figures());
    assertEquals("learner verdict: commit", commit.provenance().reason());
    assertEquals(h.get(1).values(), commit.values());
    assertTrue(Double.isNaN(audit.get(1).provenance().figures().get("ratio")));
  }

  @Test
  void newWritesGoOnFromTheOldFiles() throws Exception {
    Registry r = openCopy();
    PolicyVersion v5 = r.record("deadline", Map.of("slice_max_us", 6000.0), Provenance.now("cli", "after the upgrade"));
    assertEquals(5, v5.version());
    r.markLastKnownGood(v5, Provenance.now("cli", "kept"));
    r.audit().append(new AuditEntry(v5.provenance().at(), "commit", "deadline", 5, 4, v5.provenance(), v5.values()));
    ModelArtifact a2 = r.saveArtifact("reward-model", new byte[] {1, 2, 3}, Provenance.now("learner", "retrained"));
    assertEquals(2, a2.id());

    Registry again = Registry.open(dir, warnings::add);
    assertEquals(5, again.history().size());
    assertEquals(v5, again.lastKnownGood("deadline").orElseThrow());
    assertEquals(5, again.audit().entries().size());
    assertEquals(a2, again.latestArtifact("reward-model").orElseThrow());
    assertEquals(List.of(), again.problems());
  }
}
