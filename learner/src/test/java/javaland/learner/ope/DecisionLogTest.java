package javaland.learner.ope;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DecisionLogTest {
  @TempDir Path dir;

  private static LogRecord rec(int i) {
    return new LogRecord(1000L + i, new double[] {1, i * 0.5, -i}, i % 3, 0.25 + 0.01 * i, i * 1.5 - 2);
  }

  private Path write(int n) throws IOException {
    Path p = dir.resolve("decisions.log");
    try (DecisionLog log = DecisionLog.openForAppend(p)) {
      for (int i = 0; i < n; i++) log.append(rec(i));
      log.sync();
    }
    return p;
  }

  @Test
  void recordsRoundTrip() throws IOException {
    Path p = write(5);
    DecisionLog.Contents c = DecisionLog.read(p);
    assertTrue(c.complete());
    assertNull(c.stopReason());
    assertEquals(5, c.records().size());
    for (int i = 0; i < 5; i++) {
      LogRecord r = c.records().get(i);
      assertEquals(rec(i).epochMs(), r.epochMs());
      assertEquals(rec(i).arm(), r.arm());
      assertEquals(rec(i).propensity(), r.propensity());
      assertEquals(rec(i).reward(), r.reward());
      assertArrayEquals(rec(i).context(), r.context());
    }
  }

  @Test
  void everyTruncationKeepsTheCompleteRecordsAndAppendingRepairsTheTail() throws IOException {
    Path p = write(4);
    byte[] full = Files.readAllBytes(p);
    int recordBytes = (full.length - DecisionLog.MAGIC.length) / 4;
    for (int cut = DecisionLog.MAGIC.length; cut < full.length; cut++) {
      Files.write(p, java.util.Arrays.copyOf(full, cut));
      DecisionLog.Contents c = DecisionLog.read(p);
      int whole = (cut - DecisionLog.MAGIC.length) / recordBytes;
      assertEquals(whole, c.records().size(), "cut at " + cut);
      assertEquals(DecisionLog.MAGIC.length + (long) whole * recordBytes, c.validBytes());
      if (c.validBytes() < cut) assertTrue(c.tornTail(), "cut at " + cut + ": " + c.stopReason());
    }
    // torn in the middle of the last record: appending cuts it and goes on
    Files.write(p, java.util.Arrays.copyOf(full, full.length - 5));
    try (DecisionLog log = DecisionLog.openForAppend(p)) {
      log.append(rec(9));
    }
    DecisionLog.Contents c = DecisionLog.read(p);
    assertTrue(c.complete(), c.stopReason());
    assertEquals(List.of(0, 1, 2, 9), c.records().stream().map(r -> (int) (r.epochMs() - 1000)).toList());
  }

  @Test
  void corruptionInTheMiddleIsNamedAndNotAppendedTo() throws IOException {
    Path p = write(3);
    byte[] full = Files.readAllBytes(p);
    int recordBytes = (full.length - DecisionLog.MAGIC.length) / 3;
    int flip = DecisionLog.MAGIC.length + recordBytes + 10; // inside record 1's payload
    try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
      f.seek(flip);
      f.write(full[flip] ^ 0x40);
    }
    DecisionLog.Contents c = DecisionLog.read(p);
    assertEquals(1, c.records().size());
    assertFalse(c.tornTail());
    assertTrue(c.stopReason().contains("checksum mismatch at byte " + (DecisionLog.MAGIC.length + recordBytes)), c.stopReason());
    var e = assertThrows(IOException.class, () -> DecisionLog.openForAppend(p));
    assertTrue(e.getMessage().contains("corrupt"), e.getMessage());
    assertEquals(full.length, Files.size(p), "a refused append must not change the file");
  }

  @Test
  void aFileThatIsNotALogIsRejected() throws IOException {
    Path p = dir.resolve("other");
    Files.writeString(p, "hello world, not a log");
    var e = assertThrows(IOException.class, () -> DecisionLog.openForAppend(p));
    assertTrue(e.getMessage().contains("is not a decision log"), e.getMessage());
    assertEquals("hello world, not a log", Files.readString(p));
  }
}
