package javaland.models;

/**
 * One thing wrong with a piece of input (a config file, an API body).
 *
 * @param path where: a JSON-pointer-like key path ("rules[2].match.comm")
 * @param line 1-based line in the source file, or 0 when the input had no lines (an API body)
 * @param message what was wrong and what was expected
 */
public record FieldError(String path, int line, String message) {
  @Override
  public String toString() {
    return (line > 0 ? "line " + line + ": " : "") + path + ": " + message;
  }
}
