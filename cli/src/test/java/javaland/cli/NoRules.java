package javaland.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import javaland.runtime.rules.RuleStore;

/** Test double: an empty rule store that refuses changes (the tests using it are about parameters). */
final class NoRules implements RuleStore {
  @Override
  public JsonArray list() {
    return new JsonArray();
  }

  @Override
  public Optional<JsonObject> get(String name) {
    return Optional.empty();
  }

  @Override
  public JsonObject create(JsonObject rule, Integer position) {
    throw new IllegalArgumentException("no rules in this test");
  }

  @Override
  public JsonObject replace(String name, JsonObject rule) {
    throw new NoSuchElementException(name);
  }

  @Override
  public void delete(String name) {
    throw new NoSuchElementException(name);
  }

  @Override
  public JsonArray reorder(List<String> names) {
    throw new IllegalArgumentException("no rules in this test");
  }

  @Override
  public long version() {
    return 0;
  }
}
