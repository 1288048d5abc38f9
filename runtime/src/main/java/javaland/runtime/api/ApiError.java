package javaland.runtime.api;

import java.util.List;
import javaland.api.ErrorBody;
import javaland.models.FieldError;

/**
 * A refused request, as the API answers it: an HTTP status, a stable code, one sentence, and
 * every field-level error (path + message). Thrown by handlers; the router's failure handler
 * writes it (openapi.yaml, schema Error).
 */
public final class ApiError extends RuntimeException {
  private final int status;
  private final String code;
  private final List<FieldError> errors;
  private String challenge;

  public ApiError(int status, String code, String message, List<FieldError> errors) {
    super(message);
    this.status = status;
    this.code = code;
    this.errors = List.copyOf(errors);
  }

  public ApiError(int status, String code, String message) {
    this(status, code, message, List.of());
  }

  /** The WWW-Authenticate value a 401 carries. */
  ApiError withChallenge(String value) {
    this.challenge = value;
    return this;
  }

  public String challenge() {
    return challenge;
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }

  public List<FieldError> errors() {
    return errors;
  }

  /** The answer's body (schema Error); a field error from a file keeps its line in the message. */
  public ErrorBody body() {
    return new ErrorBody(code, getMessage(), errors.stream()
        .map(e -> new ErrorBody.Field(e.path(), (e.line() > 0 ? "line " + e.line() + ": " : "") + e.message())).toList());
  }

  static FieldError field(String path, String message) {
    return new FieldError(path, 0, message);
  }
}
