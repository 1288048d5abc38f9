package javaland.learner.ope;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The learner's decision log: an append-only binary file of {@link LogRecord}s.
 *
 * <pre>
 * file   := magic "JLDLOG1\n" record*
 * record := length:int32 payload crc32c(payload):int32        (little-endian)
 * payload:= epochMs:int64 arm:int32 propensity:f64 reward:f64 d:int32 context:f64[d]
 * </pre>
 *
 * A crash can leave at most a torn last record. {@link #read} returns every complete record
 * whose checksum holds and says where and why it stopped; {@link #openForAppend} cuts such a
 * torn tail off before appending, so one crash never hides the records written after it, and
 * refuses to append to a file corrupted anywhere else (that needs a human, not a truncation).
 */
public final class DecisionLog implements AutoCloseable {
  static final byte[] MAGIC = "JLDLOG1\n".getBytes(StandardCharsets.US_ASCII);
  private static final int MAX_DIMENSION = 4096;

  private final FileChannel channel;
  private final Path path;
  private ByteBuffer buffer = ByteBuffer.allocate(256).order(ByteOrder.LITTLE_ENDIAN);
  private final CRC32C crc = new CRC32C();

  /**
   * What {@link #read} found: the valid records, how many bytes they span, and why reading
   * stopped early (null if it did not). {@code tornTail} is true when only the last record is
   * bad, as a crash mid-append leaves it; anything else is corruption.
   */
  public record Contents(List<LogRecord> records, long validBytes, long fileBytes, String stopReason, boolean tornTail) {
    public Contents {
      records = List.copyOf(records);
    }

    public boolean complete() {
      return stopReason == null;
    }
  }

  private DecisionLog(Path path, FileChannel channel) {
    this.path = path;
    this.channel = channel;
  }

  /**
   * Opens (creating if absent) a log for appending. A torn tail is cut off; a file that is not
   * a decision log at all is an error naming it, and is left untouched.
   */
  public static DecisionLog openForAppend(Path path) throws IOException {
    FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    try {
      if (ch.size() == 0) {
        ch.write(ByteBuffer.wrap(MAGIC));
        ch.force(true);
      } else {
        Contents c = read(path); // throws if not a log
        if (!c.complete() && !c.tornTail()) {
          throw new IOException(path + " is corrupt (" + c.stopReason() + ", " + (c.fileBytes() - c.validBytes())
              + " bytes follow); not appending to it");
        }
        if (c.validBytes() < ch.size()) ch.truncate(c.validBytes());
      }
      ch.position(ch.size());
      return new DecisionLog(path, ch);
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
  }

  /** Appends one record (buffered by the OS; call {@link #sync} to make it durable). */
  public void append(LogRecord r) throws IOException {
    int d = r.dimension();
    if (d > MAX_DIMENSION) throw new IllegalArgumentException("log record: context has " + d + " values, at most " + MAX_DIMENSION);
    int payload = 8 + 4 + 8 + 8 + 4 + 8 * d;
    if (buffer.capacity() < payload + 8) buffer = ByteBuffer.allocate(payload + 8).order(ByteOrder.LITTLE_ENDIAN);
    buffer.clear();
    buffer.putInt(payload);
    buffer.putLong(r.epochMs()).putInt(r.arm()).putDouble(r.propensity()).putDouble(r.reward()).putInt(d);
    for (int i = 0; i < d; i++) buffer.putDouble(r.context(i));
    crc.reset();
    crc.update(buffer.array(), 4, payload);
    buffer.putInt((int) crc.getValue());
    buffer.flip();
    while (buffer.hasRemaining()) channel.write(buffer);
  }

  /** Forces appended records to the disk. */
  public void sync() throws IOException {
    channel.force(false);
  }

  public Path path() {
    return path;
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }

  /** Reads a log; see {@link Contents}. A file without the magic header is an error naming it. */
  public static Contents read(Path path) throws IOException {
    byte[] all = Files.readAllBytes(path);
    if (all.length < MAGIC.length || !java.util.Arrays.equals(all, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
      throw new IOException(path + " is not a decision log (missing header JLDLOG1)");
    }
    ByteBuffer b = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
    List<LogRecord> out = new ArrayList<>();
    CRC32C crc = new CRC32C();
    String stop = null;
    boolean lastRecord = false;
    int at = MAGIC.length;
    while (at < all.length) {
      b.position(at);
      if (b.remaining() < 4) {
        stop = "torn length";
        lastRecord = true;
        break;
      }
      int len = b.getInt();
      if (len < 32 || (len - 32) % 8 != 0 || (len - 32) / 8 > MAX_DIMENSION) {
        stop = "bad record length " + len;
        break;
      }
      if (b.remaining() < len + 4) {
        stop = "torn record (" + b.remaining() + " of " + (len + 4) + " bytes)";
        lastRecord = true;
        break;
      }
      lastRecord = at + 4 + len + 4 == all.length;
      crc.reset();
      crc.update(all, at + 4, len);
      if ((int) crc.getValue() != b.getInt(at + 4 + len)) {
        stop = "checksum mismatch";
        break;
      }
      long t = b.getLong();
      int arm = b.getInt();
      double p = b.getDouble();
      double r = b.getDouble();
      int d = b.getInt();
      if (d != (len - 32) / 8) {
        stop = "context size " + d + " disagrees with the record length " + len;
        break;
      }
      double[] x = new double[d];
      for (int i = 0; i < d; i++) x[i] = b.getDouble();
      try {
        out.add(new LogRecord(t, x, arm, p, r));
      } catch (IllegalArgumentException e) {
        stop = e.getMessage();
        break;
      }
      at += 4 + len + 4;
    }
    if (stop == null) return new Contents(out, all.length, all.length, null, false);
    return new Contents(out, at, all.length, stop + " at byte " + at, lastRecord);
  }
}
