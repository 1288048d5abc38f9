package javaland.learner.bandit;

/**
 * Where a policy writes its choice: the arm and the probability that the policy, as it stood,
 * would choose that arm in that context (the propensity the decision log and off-policy
 * evaluation need). Mutable and reused by the caller so that deciding allocates nothing.
 */
public final class Decision {
  private int arm = -1;
  private double propensity = Double.NaN;

  public int arm() {
    return arm;
  }

  public double propensity() {
    return propensity;
  }

  void set(int arm, double propensity) {
    this.arm = arm;
    this.propensity = propensity;
  }
}
