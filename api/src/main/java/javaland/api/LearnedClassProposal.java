package javaland.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/** {@code POST /learned-classes} (schema LearnedClassProposal): the learner's proposal of a class, with its evidence. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LearnedClassProposal(String comm, String taskClass, String reason, Map<String, Double> evidence, Origin origin) {
  public LearnedClassProposal {
    evidence = evidence == null ? Map.of() : Map.copyOf(evidence);
  }
}
