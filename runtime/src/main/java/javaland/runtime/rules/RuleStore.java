package javaland.runtime.rules;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Optional;

/**
 * The task-classification rules in force, editable while the scheduler runs. Rules are named and
 * ordered (first match wins); their JSON form is the same shape as one entry of the YAML file.
 *
 * <p>Every change validates the whole resulting rule set first: on any error it throws
 * {@link RuleValidationException} and nothing changes. An accepted change is persisted atomically
 * (the file on disk, when there is one), applied at once and logged. Unknown names throw
 * {@link java.util.NoSuchElementException}; creating a name that exists throws
 * {@link IllegalStateException}.
 */
public interface RuleStore {
  /** The rules in evaluation order. */
  List<ObjectNode> list();

  Optional<ObjectNode> get(String name);

  /** Adds a rule at {@code position} (0 = first), or last when null. Returns it as stored. */
  ObjectNode create(ObjectNode rule, Integer position);

  /** Replaces the rule named {@code name}; the body may rename it. Returns it as stored. */
  ObjectNode replace(String name, ObjectNode rule);

  void delete(String name);

  /** Puts the rules in this order; {@code names} must name every rule exactly once. */
  List<ObjectNode> reorder(List<String> names);

  /** Increases by one with every accepted change (file reloads included). */
  long version();
}
