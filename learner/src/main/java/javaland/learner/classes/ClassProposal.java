package javaland.learner.classes;

import java.util.Map;

/**
 * The class the learner proposes for one process ({@code tgid}, its leader's {@code comm}), with
 * the figures it decided on ({@code evidence}: {@code wakeups_per_s}, {@code run_per_wakeup_us},
 * {@code cpu_share}, {@code involuntary_fraction}, {@code weight}, {@code window_s},
 * {@code threads}) and a one-line {@code reason} naming the test that chose it.
 */
public record ClassProposal(int tgid, String comm, String taskClass, Map<String, Double> evidence, String reason) {
  public ClassProposal {
    evidence = Map.copyOf(evidence);
  }
}
