package javaland.api;

import java.util.Map;

/**
 * One class the learner assigned to a process, by command name (schema LearnedClass): it applies
 * below every rule a person wrote (docs/learner.md#learned-classes). {@code state}: {@code canary}
 * (in force, awaiting the learner's verdict), {@code committed}, {@code pinned} (a person kept it:
 * the learner can no longer change or drop it), {@code rejected} (a person refused it: not in
 * force, and the learner may not propose it again). {@code version} is the store's version that
 * made this state; {@code evidence} the figures the learner decided on.
 */
public record LearnedClass(String comm, String taskClass, String state, long version, String at, String author,
    String reason, Map<String, Double> evidence) {
  public LearnedClass {
    evidence = evidence == null ? Map.of() : Map.copyOf(evidence);
  }
}
