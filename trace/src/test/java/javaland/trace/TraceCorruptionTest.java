package javaland.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Version mismatch, truncation and corruption: a TraceFormatException naming the file and the byte offset. */
class TraceCorruptionTest {
  @TempDir Path dir;

  private static byte[] trace() throws IOException {
    return TraceWriterReaderTest.write(TraceWriterReaderTest.everyKind(), TraceWriterReaderTest.header());
  }

  private static List<TraceRecord> read(byte[] b, boolean allowTruncated) throws IOException {
    try (TraceReader r = new TraceReader(new ByteArrayInputStream(b), "bad.jlt", allowTruncated)) {
      return TraceWriterReaderTest.readAll(r);
    }
  }

  @Test
  void anotherVersionIsRefusedByName() throws IOException {
    byte[] b = trace();
    b[9] = 2;
    Path f = dir.resolve("v2.jlt");
    Files.write(f, b);
    TraceFormatException e = assertThrows(TraceFormatException.class, () -> TraceReader.open(f));
    assertEquals(f + ": at byte 8: unsupported trace format version 2 (this build reads version 1)", e.getMessage());
    assertEquals(8, e.offset());
    assertEquals(f.toString(), e.source());
  }

  @Test
  void somethingElseIsNotATrace() throws IOException {
    Path f = dir.resolve("trace.txt");
    Files.writeString(f, "# tracer: nop\n");
    TraceFormatException e = assertThrows(TraceFormatException.class, () -> TraceReader.open(f));
    assertTrue(e.getMessage().startsWith(f + ": at byte 0: not a javaland trace"), e.getMessage());
  }

  @Test
  void everyTruncationIsReportedWithItsOffset() throws IOException {
    byte[] full = trace();
    for (int len = 0; len < full.length; len++) {
      byte[] cut = Arrays.copyOf(full, len);
      try {
        read(cut, false);
        fail("a trace cut to " + len + " of " + full.length + " bytes read without error");
      } catch (TraceFormatException e) {
        assertTrue(e.getMessage().startsWith("bad.jlt: at byte "), e.getMessage());
        assertTrue(e.offset() <= len, "offset " + e.offset() + " beyond the " + len + " bytes");
        assertTrue(e.getMessage().contains("truncated") || e.getMessage().contains("not a javaland trace"), e.getMessage());
      }
    }
  }

  @Test
  void aTraceThatWasNeverClosedReadsUpToItsLastWholeChunk() throws IOException {
    byte[] full = trace();
    int end = TraceBytes.endOffset(full);
    List<TraceRecord> prefix = read(Arrays.copyOf(full, end), true);
    assertEquals(TraceWriterReaderTest.everyKind(), prefix);
    try (TraceReader r = new TraceReader(new ByteArrayInputStream(Arrays.copyOf(full, end - 3)), "cut", true)) {
      assertEquals(List.of(), TraceWriterReaderTest.readAll(r), "the only chunk is cut: nothing whole is left");
      assertTrue(r.truncated());
    }
  }

  @Test
  void everyFlippedBitIsCaught() throws IOException {
    byte[] full = trace();
    for (int i = 0; i < full.length; i++) {
      for (int bit = 0; bit < 8; bit++) {
        byte[] b = full.clone();
        b[i] ^= (byte) (1 << bit);
        try {
          read(b, false);
          fail("flipping bit " + bit + " of byte " + i + " went unnoticed");
        } catch (TraceFormatException e) {
          assertTrue(e.getMessage().startsWith("bad.jlt: at byte "), e.getMessage());
        }
      }
    }
  }

  @Test
  void trailingDataIsCorrupt() throws IOException {
    byte[] full = trace();
    byte[] more = Arrays.copyOf(full, full.length + 1);
    TraceFormatException e = assertThrows(TraceFormatException.class, () -> read(more, false));
    assertTrue(e.getMessage().contains("data after the end"), e.getMessage());
    assertEquals(full.length, e.offset());
  }

  @Test
  void summaryOfATruncatedFileFails() throws IOException {
    Path f = dir.resolve("cut.jlt");
    byte[] full = trace();
    Files.write(f, Arrays.copyOf(full, full.length - 5));
    TraceFormatException e = assertThrows(TraceFormatException.class, () -> TraceReader.readSummary(f));
    assertTrue(e.getMessage().startsWith(f + ": at byte "), e.getMessage());
  }
}
