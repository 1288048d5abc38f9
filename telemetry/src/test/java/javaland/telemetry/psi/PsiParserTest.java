package javaland.telemetry.psi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PsiParserTest {
  private static final Path FILE = Path.of("/proc/pressure/cpu");
  private static final String GOOD_SOME = "some avg10=0.12 avg60=0.40 avg300=0.31 total=8421904";
  private static final String GOOD_FULL = "full avg10=0.00 avg60=0.03 avg300=0.01 total=1204421";

  /** Every pressure file this machine has: the system's and those of the cgroup v2 root and our own group. */
  static Stream<Arguments> realFiles() throws IOException {
    List<Arguments> out = new ArrayList<>();
    for (PsiResource r : PsiResource.values()) {
      Path f = r.systemFile(PsiReader.PROC_PRESSURE);
      if (Files.isReadable(f)) out.add(Arguments.of(r, f));
    }
    Path unified = Path.of("/sys/fs/cgroup/unified");
    Path root = Files.exists(unified.resolve("cgroup.controllers")) ? unified : Path.of("/sys/fs/cgroup");
    PsiReader.ownCgroup(m -> {}).ifPresent(own -> {
      for (PsiResource r : PsiResource.values()) {
        Path f = own.file(r);
        if (Files.isReadable(f)) out.add(Arguments.of(r, f));
      }
    });
    for (PsiResource r : PsiResource.values()) {
      Path f = r.cgroupFile(root);
      if (Files.isReadable(f)) out.add(Arguments.of(r, f));
    }
    java.util.Map<Path, Arguments> byPath = new java.util.LinkedHashMap<>();
    for (Arguments a : out) byPath.putIfAbsent((Path) a.get()[1], a);
    return byPath.values().stream();
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("realFiles")
  void parsesThisMachinesFiles(PsiResource r, Path f) throws IOException {
    String text;
    try {
      text = Files.readString(f);
    } catch (IOException e) {
      assumeTrue(false, f + " is listed but cannot be read here (" + e.getMessage() + ")");
      return;
    }
    PsiRecord rec = PsiParser.parse(r, f, text);
    assertEquals(r, rec.resource());
    if (r == PsiResource.IRQ) {
      assertNotNull(rec.full(), "irq has a full line");
    } else {
      assertNotNull(rec.some(), f + " has a some line");
    }
    for (PsiKind k : PsiKind.values()) {
      rec.stall(k).ifPresent(s -> {
        assertTrue(s.avg10() >= 0 && s.avg10() <= 100, f + " " + k + " avg10 " + s.avg10());
        assertTrue(s.avg300() >= 0 && s.avg300() <= 100);
        assertTrue(s.totalUs() >= 0);
      });
    }
    System.out.println("parsed " + f + ": some=" + rec.some() + " full=" + rec.full());
  }

  @Test
  void atLeastSystemCpuIsHere() throws IOException {
    assumeTrue(Files.isReadable(FILE), "no /proc/pressure on this kernel");
    assertTrue(realFiles().count() >= 3);
  }

  @Test
  void parsesBothLinesAndValues() {
    PsiRecord r = PsiParser.parse(PsiResource.MEMORY, Path.of("memory"), GOOD_SOME + "\n" + GOOD_FULL + "\n");
    assertEquals(0.12, r.some().avg10());
    assertEquals(0.40, r.some().avg60());
    assertEquals(0.31, r.some().avg300());
    assertEquals(8421904, r.some().totalUs());
    assertEquals(1204421, r.full().totalUs());
    assertEquals(8.421904, r.some().totalSeconds(), 1e-9);
  }

  @Test
  void irqHasOnlyFullAndOldCpuOnlySome() {
    PsiRecord irq = PsiParser.parse(PsiResource.IRQ, Path.of("irq"), GOOD_FULL + "\n");
    assertNull(irq.some());
    assertNotNull(irq.full());
    PsiRecord cpu = PsiParser.parse(PsiResource.CPU, FILE, GOOD_SOME + "\n");
    assertNull(cpu.full());
    PsiRecord noNewline = PsiParser.parse(PsiResource.CPU, FILE, GOOD_SOME);
    assertEquals(8421904, noNewline.some().totalUs());
  }

  static Stream<Arguments> malformed() {
    return Stream.of(
        // content, line, words the message must contain
        Arguments.of("", 1, "empty"),
        Arguments.of("\n", 1, "empty line"),
        Arguments.of("sum avg10=0.00 avg60=0.00 avg300=0.00 total=1\n", 1, "expected 'some' or 'full' as field 1, found 'sum'"),
        Arguments.of(GOOD_SOME + "\nfull avg1=0.00 avg60=0.00 avg300=0.00 total=1\n", 2, "expected avg10=<percent> as field 2, found 'avg1=0.00'"),
        Arguments.of(GOOD_SOME + "\nfull avg10=0.00 avg300=0.00 avg60=0.00 total=1\n", 2, "expected avg60=<percent> as field 3"),
        Arguments.of("some avg10=abc avg60=0.00 avg300=0.00 total=1\n", 1, "non-negative decimal"),
        Arguments.of("some avg10=-1.00 avg60=0.00 avg300=0.00 total=1\n", 1, "found 'avg10=-1.00'"),
        Arguments.of("some avg10=1. avg60=0.00 avg300=0.00 total=1\n", 1, "found 'avg10=1.'"),
        Arguments.of("some avg10=0.00 avg60=0.00 avg300=0.00 total=12.5\n", 1, "total=<microseconds> (a non-negative integer)"),
        Arguments.of("some avg10=0.00 avg60=0.00 avg300=0.00 total=\n", 1, "found 'total='"),
        Arguments.of("some avg10=0.00 avg60=0.00 avg300=0.00 total=99999999999999999999\n", 1, "non-negative integer"),
        Arguments.of("some avg10=0.00 avg60=0.00 avg300=0.00\n", 1, "expected total=<microseconds> as field 5, but the line ends"),
        Arguments.of(GOOD_SOME + "\nfull avg10=0.00 avg60=0.00\n", 2, "expected avg300=<percent> as field 4, but the line ends"),
        Arguments.of("some\n", 1, "expected avg10=<percent> as field 2, but the line ends after 'some'"),
        Arguments.of("some avg10=0.00 avg60=0.00 avg300=0.00 totals=5\n", 1, "expected total=<microseconds> as field 5, found 'totals=5'"),
        Arguments.of("some avg10=0.00 avg60=0.00 avg300=0.00 total=5 extra=1\n", 1, "extra field 'extra=1'"),
        Arguments.of(GOOD_SOME + "\n" + GOOD_FULL + " x\n", 2, "extra field 'x'"),
        Arguments.of(GOOD_SOME + "\n" + GOOD_SOME + "\n", 2, "second 'some' line (the first is line 1)"),
        Arguments.of(GOOD_SOME + "\n\n" + GOOD_FULL + "\n", 2, "empty line"));
  }

  @ParameterizedTest(name = "line {1}: {2}")
  @MethodSource("malformed")
  void malformedFilesNameFileLineAndExpectation(String content, int line, String words) {
    Path f = Path.of("/tmp/psi-test/memory.pressure");
    PsiFormatException e = assertThrows(PsiFormatException.class, () -> PsiParser.parse(PsiResource.MEMORY, f, content));
    assertEquals(f.toString(), e.file());
    assertEquals(line, e.line());
    assertTrue(e.getMessage().startsWith(f + " line " + line + ": "), e.getMessage());
    assertTrue(e.getMessage().contains(words), "message '" + e.getMessage() + "' should contain '" + words + "'");
  }
}
