package javaland.trace;

import java.io.IOException;

/**
 * A trace could not be read: the documented error of everything in this package that reads
 * input. {@link #source()} names the file (or stream); the subclasses say where in it.
 */
public abstract sealed class TraceException extends IOException permits TraceFormatException, TraceParseException {
  private final String source;

  TraceException(String source, String message, Throwable cause) {
    super(message, cause);
    this.source = source;
  }

  public String source() {
    return source;
  }
}
