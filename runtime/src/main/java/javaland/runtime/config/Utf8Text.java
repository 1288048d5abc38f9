package javaland.runtime.config;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A configuration file's text, read as UTF-8. {@link Files#readString} refuses other bytes with
 * only "Input length = 1"; a person editing the file needs the line of the first bad byte.
 */
public final class Utf8Text {
  private Utf8Text() {}

  /** The bytes were not UTF-8 text; the message and {@link #line()} say where. */
  public static final class Malformed extends IOException {
    private static final long serialVersionUID = 1L;
    private final int line;

    Malformed(int line, String message) {
      super(message);
      this.line = line;
    }

    /** The 1-based line of the first byte that is not UTF-8. */
    public int line() {
      return line;
    }
  }

  /** The text of {@code file}; {@link Malformed} when it is not UTF-8, another IOException when it cannot be read. */
  public static String read(Path file) throws IOException {
    return decode(Files.readAllBytes(file));
  }

  /** {@code bytes} as UTF-8 text, refused at the first byte that is not. */
  public static String decode(byte[] bytes) throws Malformed {
    CharsetDecoder d = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length); // UTF-8 never decodes to more chars than bytes
    CoderResult r = d.decode(in, out, true);
    if (!r.isError()) r = d.flush(out);
    if (r.isError()) {
      int at = in.position();
      int line = 1;
      int lineStart = 0;
      for (int i = 0; i < at; i++) {
        if (bytes[i] == '\n') {
          line++;
          lineStart = i + 1;
        }
      }
      throw new Malformed(line, String.format("not UTF-8 text: byte 0x%02X at line %d, column %d (offset %d)",
          bytes[at] & 0xff, line, at - lineStart + 1, at));
    }
    return out.flip().toString();
  }
}
