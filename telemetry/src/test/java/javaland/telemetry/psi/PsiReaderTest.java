package javaland.telemetry.psi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PsiReaderTest {
  @TempDir Path dir;

  private static String file(long someTotal, long fullTotal) {
    return "some avg10=1.50 avg60=0.50 avg300=0.10 total=" + someTotal + "\n"
        + "full avg10=0.50 avg60=0.25 avg300=0.05 total=" + fullTotal + "\n";
  }

  @Test
  void twoReadersOfTheSameFilesWarnOncePerProcess() throws IOException {
    Files.writeString(dir.resolve("cpu"), file(100, 0));
    List<String> warnings = new ArrayList<>();
    var processWide = PsiReader.once(warnings::add); // as system() shares one between its readers
    PsiReader.system(dir, processWide).read();
    PsiReader.system(dir, processWide).read();
    assertEquals(3, warnings.size(), "memory, io and irq once each, not twice: " + warnings);
    List<String> each = new ArrayList<>();
    PsiReader.system(dir, each::add).read();
    PsiReader.system(dir, each::add).read();
    assertEquals(6, each.size(), "a reader of its own still warns by itself: " + each);
  }

  @Test
  void missingIrqIsReportedOnceAndIsNotAnError() throws IOException {
    Files.writeString(dir.resolve("cpu"), file(100, 0));
    Files.writeString(dir.resolve("memory"), file(200, 50));
    Files.writeString(dir.resolve("io"), file(300, 60));
    List<String> warnings = new ArrayList<>();
    PsiReader r = PsiReader.system(dir, warnings::add);
    PsiSnapshot s1 = r.read();
    PsiSnapshot s2 = r.read();
    assertEquals(Set.of(PsiResource.IRQ), s1.unavailable());
    assertEquals(Set.of(PsiResource.IRQ), s2.unavailable());
    assertEquals(3, s2.records().size());
    assertEquals(1, warnings.size(), "reported once: " + warnings);
    assertTrue(warnings.get(0).contains("irq") && warnings.get(0).contains(dir.resolve("irq").toString()), warnings.get(0));
    assertTrue(r.unavailable().get(PsiResource.IRQ).contains("does not exist"));
    // it appears later: no longer unavailable
    Files.writeString(dir.resolve("irq"), "full avg10=0.00 avg60=0.00 avg300=0.00 total=7\n");
    PsiSnapshot s3 = r.read();
    assertTrue(s3.unavailable().isEmpty());
    assertEquals(7, s3.stall(PsiResource.IRQ, PsiKind.FULL).orElseThrow().totalUs());
    assertTrue(s3.stall(PsiResource.IRQ, PsiKind.SOME).isEmpty());
    assertTrue(r.unavailable().isEmpty());
  }

  @Test
  void malformedFileIsAnErrorNamingIt() throws IOException {
    Files.writeString(dir.resolve("cpu"), file(1, 0));
    Files.writeString(dir.resolve("memory"), "some avg10=0.00 avg60=0.00 avg300=0.00 total=1\nfull nonsense\n");
    PsiReader r = PsiReader.system(dir, m -> {});
    PsiFormatException e = assertThrows(PsiFormatException.class, r::read);
    assertEquals(dir.resolve("memory").toString(), e.file());
    assertEquals(2, e.line());
  }

  @Test
  void cgroupFilesAreNamedResourceDotPressure() throws IOException {
    Files.writeString(dir.resolve("cpu.pressure"), file(10, 5));
    Files.writeString(dir.resolve("cgroup.pressure"), "1\n"); // the on/off switch, not a resource
    List<String> warnings = new ArrayList<>();
    PsiReader r = PsiReader.cgroup("/test.slice", dir, warnings::add);
    PsiSnapshot s = r.read();
    assertEquals("/test.slice", s.scope());
    assertEquals(Set.of(PsiResource.CPU), s.records().keySet());
    assertEquals(3, warnings.size(), "memory, io, irq missing: " + warnings);
  }

  @Test
  void deltaOverAWindowFromTotals() throws IOException {
    Files.writeString(dir.resolve("cpu"), file(1_000_000, 0));
    Files.writeString(dir.resolve("memory"), file(500, 100));
    PsiReader r = PsiReader.system(dir, m -> {});
    PsiSnapshot a = r.read();
    Files.writeString(dir.resolve("cpu"), file(1_250_000, 0));
    Files.writeString(dir.resolve("memory"), file(400, 150)); // some went down: a reset
    PsiSnapshot b = new PsiSnapshot("system", a.monotonicNs() + 1_000_000_000L, r.read().records(), Set.of());
    PsiDelta d = b.since(a);
    assertEquals(1_000_000_000L, d.windowNs());
    assertEquals(250_000, d.stallUs(PsiResource.CPU, PsiKind.SOME).getAsLong());
    assertEquals(0.25, d.stallRatio(PsiResource.CPU, PsiKind.SOME).getAsDouble(), 1e-12);
    assertEquals(0, d.stallUs(PsiResource.CPU, PsiKind.FULL).getAsLong());
    assertEquals(400, d.stallUs(PsiResource.MEMORY, PsiKind.SOME).getAsLong(), "reset: the new total");
    assertEquals(50, d.stallUs(PsiResource.MEMORY, PsiKind.FULL).getAsLong());
    assertTrue(d.stallUs(PsiResource.IO, PsiKind.SOME).isEmpty());
    assertThrows(IllegalArgumentException.class, () -> a.since(b));
  }

  @Test
  void historyAnswersAnyWindowItKeeps() {
    PsiHistory h = new PsiHistory(4);
    assertTrue(h.over(Duration.ofSeconds(1)).isEmpty());
    long t0 = 1_000_000_000_000L;
    for (int i = 0; i < 6; i++) { // totals 0, 100k, 200k... us at 1 s steps; 4 kept: i = 2..5
      var rec = new PsiRecord(PsiResource.CPU, Path.of("cpu"), new PsiStall(0, 0, 0, i * 100_000L), null);
      h.add(new PsiSnapshot("system", t0 + i * 1_000_000_000L, java.util.Map.of(PsiResource.CPU, rec), Set.of()));
    }
    assertEquals(4, h.size());
    PsiDelta oneSecond = h.over(Duration.ofSeconds(1)).orElseThrow();
    assertEquals(1_000_000_000L, oneSecond.windowNs());
    assertEquals(100_000, oneSecond.stallUs(PsiResource.CPU, PsiKind.SOME).getAsLong());
    PsiDelta twoSeconds = h.over(Duration.ofMillis(1500)).orElseThrow();
    assertEquals(2_000_000_000L, twoSeconds.windowNs());
    PsiDelta all = h.over(Duration.ofMinutes(1)).orElseThrow();
    assertEquals(3_000_000_000L, all.windowNs(), "only 3 s kept");
    assertEquals(0.1, all.stallRatio(PsiResource.CPU, PsiKind.SOME).getAsDouble(), 1e-12);
  }

  @Test
  void locatesTheCgroupUnderTheCgroup2Mount() {
    List<String> mountinfo = List.of(
        "25 30 0:23 / /sys/fs/cgroup/memory rw,relatime shared:9 - cgroup cgroup rw,memory",
        "35 30 0:30 / /sys/fs/cgroup/unified rw,nosuid shared:10 - cgroup2 cgroup2 rw",
        "36 30 0:31 /kubepods /sys/fs/my\\040cgroup rw - cgroup2 cgroup2 rw");
    var p = PsiReader.CgroupPath.locate("/system.slice/javaland.service", mountinfo).orElseThrow();
    assertEquals(Path.of("/sys/fs/cgroup/unified/system.slice/javaland.service"), p.dir());
    assertEquals("/system.slice/javaland.service", p.path());
    var root = PsiReader.CgroupPath.locate("/", mountinfo).orElseThrow();
    assertEquals(Path.of("/sys/fs/cgroup/unified"), root.dir());
    var nested = PsiReader.CgroupPath.locate("/kubepods/pod1",
        List.of("36 30 0:31 /kubepods /sys/fs/my\\040cgroup rw - cgroup2 cgroup2 rw")).orElseThrow();
    assertEquals(Path.of("/sys/fs/my cgroup/pod1"), nested.dir());
    assertFalse(PsiReader.CgroupPath.locate("/x", List.of(mountinfo.get(0))).isPresent());
  }

  @Test
  void readsThisMachine() {
    assumeTrue(Files.isDirectory(PsiReader.PROC_PRESSURE), "no /proc/pressure here");
    List<String> warnings = new ArrayList<>();
    PsiSnapshot s = PsiReader.system(PsiReader.PROC_PRESSURE, warnings::add).read();
    assertTrue(s.records().containsKey(PsiResource.CPU));
    System.out.println("system PSI: " + s.records().keySet() + ", unavailable " + s.unavailable() + " " + warnings);
    Optional<PsiReader> own = PsiReader.ownCgroup(warnings::add);
    own.ifPresent(r -> {
      PsiSnapshot c = r.read();
      System.out.println("own cgroup " + r.scope() + " (" + r.file(PsiResource.CPU).getParent() + "): "
          + c.records().keySet() + ", unavailable " + c.unavailable());
    });
  }
}
