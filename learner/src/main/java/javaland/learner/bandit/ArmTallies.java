package javaland.learner.bandit;

/**
 * Per-arm evidence of the context-free bandits: a (discounted) count and reward sum. Forgetting
 * multiplies all past evidence by the discount before each new observation, so an arm's weight
 * tends to {@code 1 / (1 - discount)} and old windows fade at the same rate for every arm.
 */
final class ArmTallies {
  final double[] count;
  final double[] sum;
  private final double discount;

  ArmTallies(int arms, double discount) {
    this.count = new double[arms];
    this.sum = new double[arms];
    this.discount = discount;
  }

  void add(int arm, double reward) {
    if (discount < 1) {
      for (int a = 0; a < count.length; a++) {
        count[a] *= discount;
        sum[a] *= discount;
      }
    }
    count[arm] += 1;
    sum[arm] += reward;
  }

  /** The arm's mean reward, or {@code ifNone} before any evidence. */
  double mean(int arm, double ifNone) {
    return count[arm] > 0 ? sum[arm] / count[arm] : ifNone;
  }
}
