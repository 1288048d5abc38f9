package javaland.models.params;

import java.util.List;
import javaland.models.FieldError;

/**
 * Parameter values refused: every unknown name and every value out of range at once, each a
 * {@link FieldError} whose path is the parameter's name. Nothing was applied.
 */
public final class ParameterException extends IllegalArgumentException {
  private final transient List<FieldError> errors;

  public ParameterException(List<FieldError> errors) {
    super(String.join("; ", errors.stream().map(FieldError::message).toList()));
    if (errors.isEmpty()) throw new IllegalArgumentException("a ParameterException needs at least one error");
    this.errors = List.copyOf(errors);
  }

  public List<FieldError> errors() {
    return errors;
  }
}
