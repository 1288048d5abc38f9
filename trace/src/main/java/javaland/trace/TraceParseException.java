package javaland.trace;

/** A line of a text trace is malformed (strict import): names the file, the line and what was expected. */
public final class TraceParseException extends TraceException {
  private final long line;
  private final String expected;

  public TraceParseException(String source, long line, String expected, String content) {
    super(source, source + ":" + line + ": expected " + expected + ", got '" + snippet(content) + "'", null);
    this.line = line;
    this.expected = expected;
  }

  /** 1-based line number. */
  public long line() {
    return line;
  }

  public String expected() {
    return expected;
  }

  /** The start of the offending line, control characters made visible, so messages stay one line. */
  static String snippet(String s) {
    if (s == null) return "";
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < s.length() && b.length() < 120; i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c == 0x7f) b.append(String.format("\\x%02x", (int) c));
      else b.append(c);
    }
    if (b.length() >= 120) b.append("...");
    return b.toString();
  }
}
