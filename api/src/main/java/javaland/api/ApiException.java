package javaland.api;

/**
 * The runtime's API refused a request ({@code status} 400 or more, {@code error} its code, e.g.
 * {@code conflict}) or could not be reached ({@code status} 0). The message says what to do, for
 * a person (the CLI prints it as it is); the caller decides per case whether to wait, retry or stop.
 */
public final class ApiException extends RuntimeException {
  private final int status;
  private final String error;

  public ApiException(int status, String error, String message) {
    super(message);
    this.status = status;
    this.error = error;
  }

  /** HTTP status, or 0 when the runtime was not reached at all. */
  public int status() {
    return status;
  }

  /** The Error body's code ({@code rejected}, {@code conflict}, ...), or {@code unreachable}, {@code not_json}. */
  public String error() {
    return error;
  }

  /** Not reached, or the runtime was not ready (502-504): worth retrying with backoff. */
  public boolean transientFailure() {
    return status == 0 || status == 503 || status == 502 || status == 504;
  }
}
