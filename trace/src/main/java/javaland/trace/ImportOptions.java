package javaland.trace;

/**
 * How to import a text trace.
 *
 * @param format the input's format, or AUTO to tell from its first lines
 * @param strict a malformed line fails the import with a {@link TraceParseException} naming the
 *     file, the line and what was expected; otherwise (the default) it is skipped and counted
 * @param maxLineChars longer lines are malformed (and never held whole: memory stays bounded)
 * @param keptErrors how many skipped lines' messages {@link ImportResult#errors()} keeps
 */
public record ImportOptions(TraceFormat format, boolean strict, int maxLineChars, int keptErrors) {
  public static final int DEFAULT_MAX_LINE_CHARS = 8192;

  public ImportOptions {
    if (format == null) format = TraceFormat.AUTO;
    if (maxLineChars < 80) throw new IllegalArgumentException("maxLineChars must be >= 80");
    if (keptErrors < 0) throw new IllegalArgumentException("keptErrors must be >= 0");
  }

  /** The default: detect the format, skip and count malformed lines. */
  public static ImportOptions lenient() {
    return new ImportOptions(TraceFormat.AUTO, false, DEFAULT_MAX_LINE_CHARS, 20);
  }

  /** Detect the format, fail on the first malformed line. */
  public static ImportOptions strictly() {
    return lenient().withStrict(true);
  }

  public ImportOptions withFormat(TraceFormat f) {
    return new ImportOptions(f, strict, maxLineChars, keptErrors);
  }

  public ImportOptions withStrict(boolean s) {
    return new ImportOptions(format, s, maxLineChars, keptErrors);
  }
}
