package javaland.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import javaland.trace.TraceRecord.TraceEvent;

/**
 * Bad input for the importers and the reader, and what must hold for any of it: lenient imports
 * never throw and account for every line; strict imports throw nothing but a TraceParseException
 * naming the file, a line that exists and what was expected; the binary reader throws nothing but
 * TraceFormatException.
 */
final class Garbage {
  /** Every line of every sample. */
  static final List<String> LINES = new ArrayList<>();
  static final byte[] TRACE;

  static {
    try {
      for (String f : Samples.FILES) LINES.addAll(Files.readAllLines(Samples.path(f)));
      TRACE = TraceWriterReaderTest.write(TraceWriterReaderTest.everyKind(), TraceWriterReaderTest.header());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Garbage() {}

  static final int MUTATIONS = 8;

  /** One of a few edits of {@code line} at {@code pos} (taken modulo its length). */
  static String mutate(String line, int kind, int pos, String chars) {
    int p = Math.floorMod(pos, line.length() + 1);
    String c = chars.isEmpty() ? "\u0000" : chars;
    return switch (Math.floorMod(kind, MUTATIONS)) {
      case 0 -> p < line.length() ? line.substring(0, p) + line.substring(p + 1) : line;      // delete a char
      case 1 -> line.substring(0, p) + c + line.substring(p);                                 // insert
      case 2 -> p < line.length() ? line.substring(0, p) + c.charAt(0) + line.substring(p + 1) : line + c; // replace
      case 3 -> line.substring(0, p);                                                          // truncate
      case 4 -> line.substring(0, p) + line.substring(Math.max(0, p - 10), p) + line.substring(p); // repeat a piece
      case 5 -> line.replaceFirst("\\d+", "9".repeat(1 + Math.floorMod(pos, 25)));             // huge numbers
      case 6 -> line.replace(" ", p % 2 == 0 ? "\t" : "");                                    // spacing
      default -> line.replace("=", c).replace(":", p % 2 == 0 ? "" : "::");                   // separators
    };
  }

  /** Lines counted as LineReader counts them: a last line without a terminator counts, an empty one does not. */
  static long lineCount(String text) {
    String[] parts = text.split("\n", -1);
    return parts[parts.length - 1].isEmpty() ? parts.length - 1 : parts.length;
  }

  static String decode(byte[] bytes) {
    try (Reader r = TraceImporter.reader(new ByteArrayInputStream(bytes))) {
      StringBuilder b = new StringBuilder();
      char[] buf = new char[4096];
      for (int n; (n = r.read(buf)) > 0; ) b.append(buf, 0, n);
      return b.toString();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void checkLenient(String text, TraceFormat format) {
    List<TraceRecord> out = new ArrayList<>();
    ImportResult r;
    try {
      r = TraceImporter.importText(new StringReader(text), "garbage.txt", ImportOptions.lenient().withFormat(format), out::add);
    } catch (Throwable t) {
      throw new AssertionError("lenient import threw " + t + " on " + text.length() + " chars of " + format, t);
    }
    assertEquals(lineCount(text), r.lines(), "lines");
    assertEquals(r.lines(), r.parsedLines() + r.skippedLines(), "parsed + skipped = lines");
    assertTrue(r.ignoredLines() <= r.parsedLines());
    long events = out.stream().filter(x -> x instanceof TraceEvent e && e.type() != EventType.LOST).count();
    long lost = out.stream().filter(x -> x instanceof TraceRecord.Lost).count();
    assertEquals(r.events(), events, "events counted = events produced");
    assertEquals(r.lostMarkers(), lost, "lost markers counted = produced");
    assertEquals(Math.min(r.skippedLines(), 20), r.errors().size());
    for (String e : r.errors()) assertTrue(e.startsWith("garbage.txt:") && e.contains(": expected "), e);
  }

  static void checkStrict(String text, TraceFormat format) {
    try {
      ImportResult r = TraceImporter.importText(new StringReader(text), "garbage.txt",
          ImportOptions.strictly().withFormat(format), rec -> { });
      assertEquals(0, r.skippedLines());
      assertEquals(r.lines(), r.parsedLines());
    } catch (TraceParseException e) {
      assertEquals("garbage.txt", e.source());
      assertTrue(e.line() >= 1 && e.line() <= lineCount(text), "line " + e.line() + " of " + lineCount(text));
      assertTrue(e.getMessage().startsWith("garbage.txt:" + e.line() + ": expected "), e.getMessage());
      assertTrue(!e.expected().isBlank());
    } catch (Throwable t) {
      throw new AssertionError("strict import threw " + t + " (not a TraceParseException)", t);
    }
  }

  static void checkBoth(String text, TraceFormat format) {
    checkLenient(text, format);
    checkStrict(text, format);
  }

  static void checkBytes(byte[] bytes, TraceFormat format) {
    String text = decode(bytes);
    checkBoth(text, format);
    // And straight from the bytes, as importFile decodes them.
    try {
      ImportResult r = TraceImporter.importText(new InputStreamReader(new ByteArrayInputStream(bytes), StandardCharsets.UTF_8),
          "garbage.txt", ImportOptions.lenient().withFormat(format), rec -> { });
      assertEquals(r.lines(), r.parsedLines() + r.skippedLines());
    } catch (Throwable t) {
      throw new AssertionError("lenient import of raw bytes threw " + t, t);
    }
  }

  /** Reading a damaged trace: it reads, or fails with a TraceFormatException naming the file and an offset inside it. */
  static void checkTrace(byte[] bytes) {
    try (TraceReader r = new TraceReader(new ByteArrayInputStream(bytes), "garbage.jlt", false)) {
      while (r.next() != null) {
        // records are built and checked as they are read
      }
    } catch (TraceFormatException e) {
      assertTrue(e.getMessage().startsWith("garbage.jlt: at byte "), e.getMessage());
      assertTrue(e.offset() >= 0 && e.offset() <= bytes.length, e.offset() + " of " + bytes.length);
    } catch (Throwable t) {
      throw new AssertionError("reader threw " + t + " (not a TraceFormatException)", t);
    }
    try (TraceReader r = new TraceReader(new ByteArrayInputStream(bytes), "garbage.jlt", true)) {
      while (r.next() != null) {
        // the same with truncation allowed
      }
    } catch (TraceFormatException e) {
      // fine
    } catch (Throwable t) {
      throw new AssertionError("reader (truncation allowed) threw " + t, t);
    }
  }

  /**
   * Overwrites bytes inside the first data chunk's payload and re-seals its checksum, so the
   * damage gets past the CRC to the record decoder.
   */
  static byte[] resealedDamage(byte[] trace, int pos, byte[] with) {
    byte[] b = trace.clone();
    TraceCodec.In in = new TraceCodec.In("t");
    in.reset(b, b.length, 0);
    try {
      in.pos = TraceCodec.MAGIC.length + 2;
      int headerLen = (int) in.varint();
      in.pos += 4 + headerLen;
      if (in.u8() != TraceCodec.CHUNK_DATA) throw new IllegalStateException("no data chunk");
      int len = (int) in.varint();
      int crcAt = in.pos;
      int start = crcAt + 4;
      byte[] w = with.length == 0 ? new byte[] {(byte) 0xff} : with;
      int p = start + Math.floorMod(pos, len);
      for (int i = 0; i < w.length && p + i < start + len; i++) b[p + i] = w[i];
      long crc = TraceBytes.crc(java.util.Arrays.copyOfRange(b, start, start + len), len);
      for (int i = 0; i < 4; i++) b[crcAt + i] = (byte) (crc >>> (8 * i));
      return b;
    } catch (TraceFormatException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Damage to a trace: flip, overwrite, cut, insert or delete bytes. */
  static byte[] damage(byte[] trace, int kind, int pos, byte[] with) {
    int p = Math.floorMod(pos, trace.length);
    byte[] w = with.length == 0 ? new byte[] {0x7f} : with;
    return switch (Math.floorMod(kind, 5)) {
      case 0 -> {
        byte[] b = trace.clone();
        b[p] ^= w[0] == 0 ? 1 : w[0];
        yield b;
      }
      case 1 -> {
        byte[] b = trace.clone();
        for (int i = 0; i < w.length && p + i < b.length; i++) b[p + i] = w[i];
        yield b;
      }
      case 2 -> java.util.Arrays.copyOf(trace, p);
      case 3 -> {
        byte[] b = new byte[trace.length + w.length];
        System.arraycopy(trace, 0, b, 0, p);
        System.arraycopy(w, 0, b, p, w.length);
        System.arraycopy(trace, p, b, p + w.length, trace.length - p);
        yield b;
      }
      default -> {
        int n = Math.min(w.length, trace.length - p);
        byte[] b = new byte[trace.length - n];
        System.arraycopy(trace, 0, b, 0, p);
        System.arraycopy(trace, p + n, b, p, trace.length - p - n);
        yield b;
      }
    };
  }
}
