package javaland.runtime.rules;

import java.util.List;
import java.util.stream.Collectors;
import javaland.models.FieldError;

/** Rules that were not applied, and every reason why. */
public final class RuleValidationException extends RuntimeException {
  private final List<FieldError> errors;

  public RuleValidationException(String source, List<FieldError> errors) {
    super(source + ": " + errors.stream().map(FieldError::toString).collect(Collectors.joining("; ")));
    if (errors.isEmpty()) throw new IllegalArgumentException("a validation failure needs at least one error");
    this.errors = List.copyOf(errors);
  }

  public List<FieldError> errors() {
    return errors;
  }
}
