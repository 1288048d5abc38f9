package javaland.api;

import java.util.List;

/** {@code PUT /rule-order}: every rule named once, in the order wanted. */
public record RuleOrder(List<String> names) {
  public RuleOrder {
    names = names == null ? List.of() : List.copyOf(names);
  }
}
