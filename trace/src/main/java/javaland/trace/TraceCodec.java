package javaland.trace;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Constants and byte-level helpers of the binary format (docs/trace-format.md), shared by
 * {@link TraceWriter} and {@link TraceReader}.
 */
final class TraceCodec {
  /** PNG-style: a high byte, the name, CR LF and ^Z, so text-mode transfers and 7-bit channels show. */
  static final byte[] MAGIC = {(byte) 0x89, 'J', 'L', 'T', 'R', '\r', '\n', 0x1a};
  static final byte[] TAIL_MAGIC = {'J', 'L', 'T', 'R', 'E', 'N', 'D', 0};
  static final int TAIL_BYTES = 16;
  static final int CHUNK_DATA = 'D';
  static final int CHUNK_END = 'E';
  /** Writers close a chunk once it holds this much; readers refuse chunks larger than MAX_CHUNK. */
  static final int TARGET_CHUNK = 64 * 1024;
  static final int MAX_CHUNK = 1024 * 1024;
  static final int MAX_HEADER = 1024 * 1024;
  /** Longer strings are cut (at a character boundary): comms are 16 bytes, labels short. */
  static final int MAX_STRING = 4096;
  static final int MAX_CPUS = 1 << 20;

  static final int TAG_STRING = 0x01;
  static final int TAG_TASK = 0x02;
  /** Tags 0x40..0x7f are extension records (length-prefixed): readers of this version skip them. */
  static final int TAG_EXT_MIN = 0x40;
  static final int TAG_EXT_MAX = 0x7f;

  private TraceCodec() {}

  static long zigzag(long v) {
    return (v << 1) ^ (v >> 63);
  }

  static long unzigzag(long v) {
    return (v >>> 1) ^ -(v & 1);
  }

  static byte[] utf8(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    if (b.length <= MAX_STRING) return b;
    int end = MAX_STRING;
    while (end > 0 && (b[end] & 0xc0) == 0x80) end--; // do not split a character
    return Arrays.copyOf(b, end);
  }

  /** A growable byte array that records and chunks are built in. */
  static final class Out {
    byte[] buf;
    int size;

    Out(int capacity) {
      buf = new byte[capacity];
    }

    void reset() {
      size = 0;
    }

    private void ensure(int more) {
      if (size + more > buf.length) buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + more));
    }

    void u8(int v) {
      ensure(1);
      buf[size++] = (byte) v;
    }

    /** Unsigned LEB128 of all 64 bits: 1 byte below 128, at most 10. */
    void varint(long v) {
      ensure(10);
      while ((v & ~0x7fL) != 0) {
        buf[size++] = (byte) ((v & 0x7f) | 0x80);
        v >>>= 7;
      }
      buf[size++] = (byte) v;
    }

    void zigzag(long v) {
      varint(TraceCodec.zigzag(v));
    }

    void bytes(byte[] b, int off, int len) {
      ensure(len);
      System.arraycopy(b, off, buf, size, len);
      size += len;
    }

    void string(String s) {
      byte[] b = utf8(s);
      varint(b.length);
      bytes(b, 0, b.length);
    }

    void u32le(long v) {
      ensure(4);
      for (int i = 0; i < 4; i++) buf[size++] = (byte) (v >>> (8 * i));
    }

    void u64le(long v) {
      ensure(8);
      for (int i = 0; i < 8; i++) buf[size++] = (byte) (v >>> (8 * i));
    }
  }

  /**
   * A cursor over a block (a header, chunk or footer) read whole; every read checks the bounds,
   * and a problem names the file and the byte offset of the value being read.
   */
  static final class In {
    final String source;
    byte[] buf;
    int pos;
    int limit;
    long base; // file offset of buf[0]

    In(String source) {
      this.source = source;
    }

    void reset(byte[] b, int len, long fileOffset) {
      buf = b;
      pos = 0;
      limit = len;
      base = fileOffset;
    }

    boolean hasMore() {
      return pos < limit;
    }

    long offset() {
      return base + pos;
    }

    TraceFormatException corrupt(long at, String problem) {
      return new TraceFormatException(source, at, problem);
    }

    int u8() throws TraceFormatException {
      if (pos >= limit) throw corrupt(offset(), "corrupt: record runs past the end of its block");
      return buf[pos++] & 0xff;
    }

    long varint() throws TraceFormatException {
      long at = offset();
      long v = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        int b = u8();
        if (shift == 63 && (b & 0xfe) != 0) throw corrupt(at, "corrupt: varint longer than 64 bits");
        v |= (long) (b & 0x7f) << shift;
        if ((b & 0x80) == 0) return v;
      }
      throw corrupt(at, "corrupt: varint longer than 10 bytes");
    }

    long zigzag() throws TraceFormatException {
      return unzigzag(varint());
    }

    /** A varint that must fit 0..max. */
    int uint(int max, String what) throws TraceFormatException {
      long at = offset();
      long v = varint();
      if (v < 0 || v > max) throw corrupt(at, "corrupt: " + what + " " + Long.toUnsignedString(v) + " out of range 0.." + max);
      return (int) v;
    }

    int pid() throws TraceFormatException {
      return uint(Integer.MAX_VALUE, "pid");
    }

    /** A CPU stored plus one, so that 0 is -1 (unknown). */
    int cpu() throws TraceFormatException {
      long at = offset();
      long v = varint();
      if (v < 0 || v > MAX_CPUS) {
        throw corrupt(at, "corrupt: cpu " + (v - 1) + " out of range -1.." + (MAX_CPUS - 1));
      }
      return (int) v - 1;
    }

    String string() throws TraceFormatException {
      long at = offset();
      int len = uint(MAX_STRING, "string length");
      if (limit - pos < len) throw corrupt(at, "corrupt: string of " + len + " bytes runs past the end of its block");
      String s = new String(buf, pos, len, StandardCharsets.UTF_8);
      pos += len;
      return s;
    }

    void skip(int n) throws TraceFormatException {
      if (limit - pos < n) throw corrupt(offset(), "corrupt: record of " + n + " bytes runs past the end of its block");
      pos += n;
    }
  }
}
