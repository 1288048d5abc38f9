package javaland.lab.replay;

import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import javaland.trace.TraceFormatException;

/** Reading a trace file's bytes: gzip-compressed or not, counted for progress reports. */
final class TraceInput {
  private TraceInput() {}

  /** Whether {@code file} starts with gzip's magic number. */
  static boolean isGzip(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      byte[] b = in.readNBytes(2);
      return b.length == 2 && (b[0] & 0xff) == 0x1f && (b[1] & 0xff) == 0x8b;
    }
  }

  /** Whether {@code file}, decompressed if {@code gzipped}, starts with {@code magic}. */
  static boolean startsWith(Path file, boolean gzipped, byte[] magic) throws IOException {
    try (InputStream f = Files.newInputStream(file); InputStream in = gzipped ? new Gunzip(f, file.toString()) : f) {
      return Arrays.equals(in.readNBytes(magic.length), magic);
    }
  }

  /**
   * A gzip-compressed trace (the VM saves its recordings as .jlt.gz), decompressed as it is read.
   * A stream cut short ends there, like a truncated file: the readers then say so (a .jlt is read
   * up to its last whole chunk, strict mode refuses it). Corrupt data is an error naming the file.
   */
  static final class Gunzip extends FilterInputStream {
    private final String source;
    private final byte[] one = new byte[1];
    private long out; // decompressed bytes handed out

    Gunzip(InputStream in, String source) throws IOException {
      super(open(in, source));
      this.source = source;
    }

    private static InputStream open(InputStream in, String source) throws IOException {
      try {
        return new GZIPInputStream(in, 1 << 16);
      } catch (EOFException e) {
        return InputStream.nullInputStream();
      } catch (ZipException e) {
        throw new TraceFormatException(source, 0, "not a readable gzip stream: " + e.getMessage(), e);
      }
    }

    @Override
    public int read() throws IOException {
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      try {
        int n = super.read(b, off, len);
        if (n > 0) out += n;
        return n;
      } catch (EOFException e) {
        return -1;
      } catch (ZipException e) {
        throw new TraceFormatException(source, out, "corrupt gzip data (the offset counts decompressed bytes): "
            + e.getMessage(), e);
      }
    }
  }

  /** Counts the bytes read, for progress. */
  static final class Counting extends FilterInputStream {
    long count;

    Counting(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) count++;
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) count += n;
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      long s = super.skip(n);
      count += s;
      return s;
    }
  }
}
