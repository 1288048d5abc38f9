package javaland.trace;

/** A binary trace is not what its format says: wrong magic or version, truncated or corrupt. */
public final class TraceFormatException extends TraceException {
  private final long offset;

  public TraceFormatException(String source, long offset, String problem) {
    this(source, offset, problem, null);
  }

  public TraceFormatException(String source, long offset, String problem, Throwable cause) {
    super(source, source + ": at byte " + offset + ": " + problem, cause);
    this.offset = offset;
  }

  /** Byte offset in the file where the problem was found. */
  public long offset() {
    return offset;
  }
}
