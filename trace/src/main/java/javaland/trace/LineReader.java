package javaland.trace;

import java.io.IOException;
import java.io.Reader;

/**
 * Lines of text, never more than {@code maxChars} of one held: a longer line is cut and flagged
 * (the rest is read and dropped), so a file without line breaks cannot exhaust memory. Line
 * breaks are \n or \r\n; a last line without one still counts.
 */
final class LineReader {
  private final Reader in;
  private final int maxChars;
  private final char[] buf = new char[16 * 1024];
  private final StringBuilder line = new StringBuilder();
  private int pos;
  private int lim;
  private boolean eof;
  private boolean tooLong;

  LineReader(Reader in, int maxChars) {
    this.in = in;
    this.maxChars = maxChars;
  }

  /** The next line without its terminator, or null at the end. */
  String next() throws IOException {
    line.setLength(0);
    tooLong = false;
    boolean started = false;
    while (true) {
      if (pos == lim) {
        if (eof) break;
        int n = in.read(buf, 0, buf.length);
        if (n <= 0) {
          eof = true;
          break;
        }
        pos = 0;
        lim = n;
      }
      started = true;
      int start = pos;
      while (pos < lim && buf[pos] != '\n') pos++;
      append(start, pos);
      if (pos < lim) {
        pos++; // the '\n'
        return finish();
      }
    }
    return started && (line.length() > 0 || tooLong) ? finish() : null;
  }

  /** The last line returned was longer than maxChars (and is cut). */
  boolean tooLong() {
    return tooLong;
  }

  private void append(int from, int to) {
    int room = maxChars + 1 - line.length(); // one more, to see a '\r' before the '\n'
    int n = to - from;
    if (n > room) {
      tooLong = true;
      n = Math.max(0, room);
    }
    line.append(buf, from, n);
  }

  private String finish() {
    int len = line.length();
    if (len > 0 && line.charAt(len - 1) == '\r') line.setLength(--len);
    if (len > maxChars) {
      tooLong = true;
      line.setLength(maxChars);
    }
    return line.toString();
  }
}
