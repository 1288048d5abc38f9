package javaland.telemetry.psi;

/**
 * A pressure file that does not read like one: names the file, the 1-based line number and what
 * was expected there, e.g. {@code /proc/pressure/cpu line 2: expected total=<microseconds> as
 * field 5, found 'totl=12'}.
 */
public final class PsiFormatException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String file;
  private final int line;

  public PsiFormatException(String file, int line, String problem) {
    super(file + " line " + line + ": " + problem);
    this.file = file;
    this.line = line;
  }

  public String file() {
    return file;
  }

  /** 1-based. */
  public int line() {
    return line;
  }
}
