package javaland.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * {@code GET /rules} and {@code PUT /rule-order} (schema RuleList). A rule stays a JSON object:
 * its shape is one entry of the rules file (docs/rules.md), which the runtime's rule store checks
 * with line numbers and JSON pointers; a record here would be a second parser of it.
 */
public record RuleList(long version, List<ObjectNode> rules) {
  public RuleList {
    rules = rules == null ? List.of() : List.copyOf(rules);
  }
}
