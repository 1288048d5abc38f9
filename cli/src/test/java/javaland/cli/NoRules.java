package javaland.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import javaland.runtime.rules.RuleStore;

/** Test double: an empty rule store that refuses changes (the tests using it are about parameters). */
final class NoRules implements RuleStore {
  @Override
  public List<ObjectNode> list() {
    return List.of();
  }

  @Override
  public Optional<ObjectNode> get(String name) {
    return Optional.empty();
  }

  @Override
  public ObjectNode create(ObjectNode rule, Integer position) {
    throw new IllegalArgumentException("no rules in this test");
  }

  @Override
  public ObjectNode replace(String name, ObjectNode rule) {
    throw new NoSuchElementException(name);
  }

  @Override
  public void delete(String name) {
    throw new NoSuchElementException(name);
  }

  @Override
  public List<ObjectNode> reorder(List<String> names) {
    throw new IllegalArgumentException("no rules in this test");
  }

  @Override
  public long version() {
    return 0;
  }
}
