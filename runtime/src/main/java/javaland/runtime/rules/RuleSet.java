package javaland.runtime.rules;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javaland.runtime.kernel.TaskInfo;

/** The rules in force at one version: immutable, so readers need no lock. */
public record RuleSet(long version, List<Rule> rules) {
  public static final RuleSet EMPTY = new RuleSet(0, List.of());

  public RuleSet {
    rules = List.copyOf(rules);
  }

  /** The first rule that matches {@code t}, or null. */
  public Rule firstMatch(TaskInfo t, AtomicLong regexRuns) {
    for (Rule r : rules) if (r.matches(t, regexRuns)) return r;
    return null;
  }
}
