package javaland.learner.bandit;

/**
 * A learning policy over {@link #arms()} arms. Context-free policies ignore the context (pass
 * any array, or {@code null}); contextual ones read exactly {@link #contextDimension()} values.
 * None of the methods allocates once the policy is built; none is thread-safe.
 */
public interface BanditPolicy {
  int arms();

  /** Length of the context vector read; 0 for context-free policies. */
  int contextDimension();

  /** Chooses an arm for {@code context} and writes it with its propensity into {@code out}. */
  default void decide(double[] context, Decision out) {
    decide(context, null, out);
  }

  /**
   * As {@link #decide(double[], Decision)}, but never an arm whose {@code excluded} entry is true
   * (null: none excluded); the propensity is the probability of the choice under that restriction,
   * which is what the decision log must hold. With no arm left it throws IllegalArgumentException.
   */
  void decide(double[] context, boolean[] excluded, Decision out);

  /** Learns from the reward observed after playing {@code arm} in {@code context}. */
  void update(double[] context, int arm, double reward);

  /**
   * The probability of each arm being chosen in {@code context} by the policy as it stands
   * (out has {@link #arms()} entries and sums to 1): what {@link #decide} reports as propensity,
   * and what off-policy evaluation needs of a target policy.
   */
  void probabilities(double[] context, double[] out);
}
