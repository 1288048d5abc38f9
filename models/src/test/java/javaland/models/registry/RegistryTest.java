package javaland.models.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The registry on disk: numbering, last-known-good, checksums, damage named and survived. */
class RegistryTest {
  @TempDir Path dir;
  final List<String> warnings = new ArrayList<>();

  Registry open() {
    return Registry.open(dir, warnings::add);
  }

  static Provenance why(String reason) {
    return new Provenance(Instant.parse("2026-11-26T10:00:00Z"), "test", "windows 3..9", "linucb", reason,
        Map.of("p99_ms", 1.5, "reward", -0.25));
  }

  @Test
  void versionsAreNumberedFromOneAndComeBackWithTheirProvenance() {
    Registry r = open();
    PolicyVersion v1 = r.record("deadline", Map.of("slice_max_us", 5000.0), why("defaults"));
    PolicyVersion v2 = r.record("fifo", Map.of("slice_us", 2000.0), why("other policy"));
    PolicyVersion v3 = r.record("deadline", Map.of("slice_max_us", 7000.0, "kernel.rescue_ms", 50.0), why("try"));
    assertEquals(List.of(1L, 2L, 3L), List.of(v1.version(), v2.version(), v3.version()));
    Registry again = open();
    assertEquals(List.of(v1, v2, v3), again.history());
    assertEquals(List.of(v1, v3), again.history("deadline"));
    PolicyVersion back = again.version(3).orElseThrow();
    assertEquals(7000.0, back.values().get("slice_max_us"));
    assertEquals("windows 3..9", back.provenance().data());
    assertEquals(-0.25, back.provenance().figures().get("reward"));
    assertTrue(again.problems().isEmpty(), again.problems().toString());
  }

  @Test
  void lastKnownGoodIsTheNewestMarkedVersionOfThatPolicy() {
    Registry r = open();
    assertTrue(r.lastKnownGood("deadline").isEmpty());
    PolicyVersion v1 = r.record("deadline", Map.of("a", 1.0), why("start"));
    r.markLastKnownGood(v1, why("start"));
    PolicyVersion v2 = r.record("deadline", Map.of("a", 2.0), why("candidate"));
    assertEquals(v1, r.lastKnownGood("deadline").orElseThrow(), "a candidate is not last-known-good until marked");
    r.markLastKnownGood(v2, why("committed"));
    assertEquals(v2, open().lastKnownGood("deadline").orElseThrow());
    assertTrue(r.lastKnownGood("fifo").isEmpty());
  }

  @Test
  void aTruncatedVersionIsNamedAndTheLastGoodOneStillServed() throws IOException {
    Registry r = open();
    PolicyVersion v1 = r.record("deadline", Map.of("a", 1.0), why("start"));
    r.markLastKnownGood(v1, why("start"));
    PolicyVersion v2 = r.record("deadline", Map.of("a", 2.0), why("better"));
    r.markLastKnownGood(v2, why("committed"));
    Path f = dir.resolve("versions/000002.json");
    byte[] all = Files.readAllBytes(f);
    Files.write(f, java.util.Arrays.copyOf(all, all.length - 20));

    Registry again = open();
    assertEquals(v1, again.lastKnownGood("deadline").orElseThrow(), "falls back to the older intact version");
    assertEquals(List.of(v1), again.history());
    List<RegistryProblem> ps = again.problems();
    assertEquals(1, ps.size(), ps.toString());
    assertEquals(f, ps.get(0).file());
    assertTrue(ps.get(0).what().startsWith("truncated: "), ps.get(0).what());
    assertTrue(warnings.stream().anyMatch(w -> w.contains("000002.json") && w.contains("truncated")), warnings.toString());
    // its number stays used: the next version is 3, never 2 again
    assertEquals(3, again.record("deadline", Map.of("a", 3.0), why("next")).version());
  }

  @Test
  void aChangedByteIsAChecksumMismatch() throws IOException {
    Registry r = open();
    r.record("deadline", Map.of("a", 1.0), why("start"));
    Path f = dir.resolve("versions/000001.json");
    String text = Files.readString(f);
    Files.writeString(f, text.replace("\"a\":1", "\"a\":9"));
    List<RegistryProblem> ps = open().problems();
    assertEquals(1, ps.size(), ps.toString());
    assertTrue(ps.get(0).what().startsWith("checksum mismatch"), ps.get(0).what());
    assertTrue(open().history().isEmpty());
  }

  @Test
  void garbageAndEmptyFilesAreNamedForWhatTheyAre() throws IOException {
    Registry r = open();
    r.record("deadline", Map.of("a", 1.0), why("start"));
    Files.writeString(dir.resolve("versions/000002.json"), "");
    Files.writeString(dir.resolve("versions/000003.json"), "{\"version\": 3}\n");
    List<RegistryProblem> ps = open().problems();
    assertEquals(2, ps.size(), ps.toString());
    assertTrue(ps.stream().anyMatch(p -> p.file().endsWith("000002.json") && p.what().equals("empty (0 bytes)")), ps.toString());
    assertTrue(ps.stream().anyMatch(p -> p.file().endsWith("000003.json") && p.what().startsWith("bad header")), ps.toString());
    assertEquals(1, open().history().size());
    assertEquals(4, open().record("deadline", Map.of(), why("x")).version());
  }

  @Test
  void aDamagedLastKnownGoodPointerFallsBackToTheOneBefore() throws IOException {
    Registry r = open();
    PolicyVersion v1 = r.record("deadline", Map.of("a", 1.0), why("start"));
    r.markLastKnownGood(v1, why("start"));
    PolicyVersion v2 = r.record("deadline", Map.of("a", 2.0), why("better"));
    r.markLastKnownGood(v2, why("committed"));
    Path p = dir.resolve("lkg/deadline/000002.json");
    byte[] all = Files.readAllBytes(p);
    all[all.length - 3] ^= 0x20;
    Files.write(p, all);
    assertEquals(v1, open().lastKnownGood("deadline").orElseThrow());
    assertTrue(open().problems().stream().anyMatch(x -> x.file().equals(p) && x.what().startsWith("checksum mismatch")));
  }

  @Test
  void aWriterKilledBeforeItsRenameLeavesOnlyATempFileThatIsIgnoredAndNamed() throws IOException {
    Registry r = open();
    PolicyVersion v1 = r.record("deadline", Map.of("a", 1.0), why("start"));
    r.markLastKnownGood(v1, why("start"));
    // what SealedFile.write leaves when killed between write and rename
    Path tmp = dir.resolve("versions/" + SealedFile.TEMP_PREFIX + "000002.json-4242-1");
    Files.writeString(tmp, SealedFile.MAGIC + " sha256=00 bytes=999\n{\"vers");
    Registry again = open();
    assertEquals(List.of(v1), again.history());
    assertEquals(v1, again.lastKnownGood("deadline").orElseThrow());
    assertTrue(again.problems().stream().anyMatch(p -> p.file().equals(tmp) && p.what().contains("interrupted write")));
    assertEquals(3, again.record("deadline", Map.of(), why("x")).version(), "the interrupted number is not reused");
  }

  @Test
  void writesNeverReplaceAFile() throws IOException {
    Path f = dir.resolve("x.json");
    SealedFile.write(f, "{}".getBytes(StandardCharsets.UTF_8));
    assertThrows(java.nio.file.FileAlreadyExistsException.class, () -> SealedFile.write(f, "[]".getBytes(StandardCharsets.UTF_8)));
    try (var s = Files.list(dir)) {
      assertEquals(List.of(f), s.toList(), "no temporary file left behind by the refused write");
    }
  }

  /**
   * A separate JVM records versions as fast as it can and is killed (SIGKILL) at a random
   * point: every version it finished is intact, nothing is damaged, and numbering goes on.
   */
  @Test
  void aWriterProcessKilledMidwayLosesNothingItFinished() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    open();
    for (int round = 0; round < 3; round++) {
      Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Writer.class.getName(), dir.toString())
          .redirectErrorStream(true).start();
      // wait for it to have written something, then kill it mid-stream
      long end = System.nanoTime() + 30_000_000_000L;
      while (System.nanoTime() < end && countVersions() < (round + 1) * 20L) Thread.sleep(5);
      Thread.sleep(round * 7L);
      p.destroyForcibly();
      p.waitFor();
      assertTrue(countVersions() >= (round + 1) * 20L, "the writer was writing");
    }
    Registry r = open();
    List<PolicyVersion> h = r.history();
    long files = countVersions();
    assertEquals(files, h.size(), "every finished version file is intact: " + r.problems());
    for (RegistryProblem p : r.problems()) {
      // a temporary file of the version being written, or the audit line being appended when killed
      assertTrue(p.what().contains("interrupted write") || p.what().contains("torn"), "only unfinished writes: " + p);
    }
    for (int k = 1; k < h.size(); k++) assertTrue(h.get(k).version() > h.get(k - 1).version());
    long max = h.get(h.size() - 1).version();
    assertTrue(r.record("deadline", Map.of(), why("after")).version() > max);
    System.out.println("killed writer: " + h.size() + " versions intact, problems " + r.problems());
  }

  long countVersions() throws IOException {
    try (var s = Files.list(dir.resolve("versions"))) {
      return s.filter(f -> f.getFileName().toString().matches("\\d+\\.json")).count();
    }
  }

  /** The writer process of the kill test. */
  public static final class Writer {
    public static void main(String[] args) {
      Registry r = Registry.open(Path.of(args[0]), w -> {});
      for (int i = 0; ; i++) {
        PolicyVersion v = r.record("deadline", Map.of("a", (double) i), Provenance.now("writer", "loop " + i));
        if (i % 3 == 0) r.markLastKnownGood(v, Provenance.now("writer", "mark"));
        r.audit().append(new AuditEntry(Instant.now(), "propose", "deadline", v.version(), v.version() - 1,
            v.provenance(), v.values()));
      }
    }
  }

  @Test
  void artifactsKeepBytesAndProvenanceAndDamageIsNamed() throws IOException {
    Registry r = open();
    byte[] model = new byte[1000];
    for (int i = 0; i < model.length; i++) model[i] = (byte) (i * 31);
    ModelArtifact a = r.saveArtifact("reward-model", model, why("fit on 40 traces"));
    ModelArtifact b = r.saveArtifact("reward-model", new byte[] {1, 2}, why("refit"));
    assertEquals(List.of(1L, 2L), List.of(a.id(), b.id()));
    assertEquals(b, open().latestArtifact("reward-model").orElseThrow());
    assertArrayEquals(model, open().readArtifact(a));
    assertEquals("fit on 40 traces", open().artifacts().get(0).provenance().reason());
    Path bin = dir.resolve("artifacts/000001.bin");
    Files.write(bin, java.util.Arrays.copyOf(model, 10));
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> open().readArtifact(a));
    assertTrue(e.getMessage().contains("000001.bin") && e.getMessage().contains("truncated: 10 of 1000"), e.getMessage());
    assertTrue(open().problems().stream().anyMatch(p -> p.file().endsWith("000001.json") && p.what().contains("truncated")));
  }

  @Test
  void auditLinesSurviveATornLine() throws IOException {
    Registry r = open();
    PolicyVersion v = r.record("deadline", Map.of("a", 1.0), why("start"));
    AuditEntry e1 = new AuditEntry(Instant.parse("2026-11-26T10:00:00Z"), "start", "deadline", 1, 0, why("start"), v.values());
    r.audit().append(e1);
    // a crash in the middle of the second append
    Files.writeString(r.audit().file(), "{\"at\":\"2026-11-26T10:00:01Z\",\"event\":\"pro", java.nio.file.StandardOpenOption.APPEND);
    AuditEntry e3 = new AuditEntry(Instant.parse("2026-11-26T10:00:02Z"), "guard_revert", "deadline", 3, 2,
        why("p99 4 ms > bound 2 ms"), Map.of("a", 1.0));
    r.audit().append(e3);
    assertEquals(List.of(e1, e3), open().audit().entries());
    List<RegistryProblem> ps = open().problems();
    assertEquals(1, ps.size(), ps.toString());
    assertTrue(ps.get(0).what().startsWith("line 2: "), ps.get(0).what());
    List<String> lines = Files.readAllLines(r.audit().file());
    assertEquals(3, lines.size());
    assertTrue(lines.get(2).contains("\"reason\":\"p99 4 ms > bound 2 ms\"") && lines.get(2).contains("\"p99_ms\":1.5"), lines.get(2));
  }

  @Test
  void policyNamesAreCheckedBeforeTheyBecomePaths() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> open().record("../evil", Map.of(), why("x")));
    assertTrue(e.getMessage().contains("../evil"));
    assertFalse(Files.exists(dir.resolve("versions/000001.json")));
  }
}
