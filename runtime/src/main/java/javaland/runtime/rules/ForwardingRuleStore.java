package javaland.runtime.rules;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A {@link RuleStore} that always acts on whichever store {@code target} names now: the REST API
 * is built with the control plane, before {@code run} has swapped the in-memory store for the
 * rules file, and must not keep editing the store that was replaced.
 */
public final class ForwardingRuleStore implements RuleStore {
  private final Supplier<? extends RuleStore> target;

  public ForwardingRuleStore(Supplier<? extends RuleStore> target) {
    this.target = target;
  }

  @Override
  public List<ObjectNode> list() {
    return target.get().list();
  }

  @Override
  public Optional<ObjectNode> get(String name) {
    return target.get().get(name);
  }

  @Override
  public ObjectNode create(ObjectNode rule, Integer position) {
    return target.get().create(rule, position);
  }

  @Override
  public ObjectNode replace(String name, ObjectNode rule) {
    return target.get().replace(name, rule);
  }

  @Override
  public void delete(String name) {
    target.get().delete(name);
  }

  @Override
  public List<ObjectNode> reorder(List<String> names) {
    return target.get().reorder(names);
  }

  @Override
  public long version() {
    return target.get().version();
  }
}
