package javaland.api;

import java.util.List;

/**
 * Every refusal's body (schema Error).
 *
 * @param error a stable code: {@code invalid_request}, {@code rejected}, {@code conflict}, ...
 * @param message one sentence
 * @param errors each field that is wrong, and how
 */
public record ErrorBody(String error, String message, List<Field> errors) {
  public ErrorBody {
    errors = errors == null ? List.of() : List.copyOf(errors);
  }

  /**
   * @param path where in the request: a JSON pointer into the body ({@code /values/slice_max_us}),
   *     a parameter's name, or "" for the body as a whole
   */
  public record Field(String path, String message) {}
}
