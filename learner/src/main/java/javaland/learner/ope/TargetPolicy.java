package javaland.learner.ope;

/**
 * The policy being evaluated off-line: π(·|x) over all arms. A frozen
 * {@link javaland.learner.bandit.BanditPolicy} fits as {@code policy::probabilities}.
 */
@FunctionalInterface
public interface TargetPolicy {
  void probabilities(double[] context, double[] out);
}
