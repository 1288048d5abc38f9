package javaland.trace;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.zip.CRC32C;

/** Byte surgery on encoded traces, for tests of the reader. */
final class TraceBytes {
  private TraceBytes() {}

  /** Offset of the end record, from the tail. */
  static int endOffset(byte[] trace) {
    return (int) ByteBuffer.wrap(trace, trace.length - 16, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
  }

  /**
   * Inserts a data chunk holding {@code payload} ({@code records} records) before the end record
   * and fixes the end record's record count, its checksum and the tail.
   */
  static byte[] insertChunk(byte[] trace, TraceCodec.Out payload, int records) {
    int end = endOffset(trace);
    TraceCodec.Out chunk = new TraceCodec.Out(64);
    chunk.u8(TraceCodec.CHUNK_DATA);
    chunk.varint(payload.size);
    chunk.u32le(crc(payload.buf, payload.size));
    chunk.bytes(payload.buf, 0, payload.size);
    // Re-encode the end record with the new count: its body starts with the record count.
    TraceCodec.In in = new TraceCodec.In("t");
    in.reset(trace, trace.length - 16, 0);
    in.pos = end + 1;
    try {
      int len = (int) in.varint();
      in.pos += 4;
      int bodyStart = in.pos;
      long count = in.varint();
      TraceCodec.Out body = new TraceCodec.Out(len + 8);
      body.varint(count + records);
      body.bytes(trace, in.pos, bodyStart + len - in.pos);
      TraceCodec.Out out = new TraceCodec.Out(trace.length + chunk.size + 32);
      out.bytes(trace, 0, end);
      out.bytes(chunk.buf, 0, chunk.size);
      long newEnd = out.size;
      out.u8(TraceCodec.CHUNK_END);
      out.varint(body.size);
      out.u32le(crc(body.buf, body.size));
      out.bytes(body.buf, 0, body.size);
      out.u64le(newEnd);
      out.bytes(TraceCodec.TAIL_MAGIC, 0, 8);
      return Arrays.copyOf(out.buf, out.size);
    } catch (TraceFormatException e) {
      throw new IllegalStateException(e);
    }
  }

  static long crc(byte[] b, int len) {
    CRC32C c = new CRC32C();
    c.update(b, 0, len);
    return c.getValue();
  }
}
