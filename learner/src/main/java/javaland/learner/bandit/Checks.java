package javaland.learner.bandit;

/** Argument checks shared by the policies: errors name the bad value. */
final class Checks {
  private Checks() {}

  static void arms(int arms) {
    if (arms < 1) throw new IllegalArgumentException("need at least one arm, got " + arms);
  }

  static void arm(int arm, int arms) {
    if (arm < 0 || arm >= arms) throw new IllegalArgumentException("arm " + arm + " is not in 0.." + (arms - 1));
  }

  static void discount(double discount) {
    if (!(discount > 0 && discount <= 1)) {
      throw new IllegalArgumentException("discount (forgetting factor) must be in (0, 1]: " + discount);
    }
  }

  static void positive(String what, double v) {
    if (!(v > 0) || Double.isInfinite(v)) throw new IllegalArgumentException(what + " must be positive and finite: " + v);
  }

  static void reward(double reward) {
    if (!Double.isFinite(reward)) throw new IllegalArgumentException("reward must be finite: " + reward);
  }

  /** How many of {@code arms} arms {@code excluded} leaves (null: all); none left is an error. */
  static int allowed(boolean[] excluded, int arms) {
    if (excluded == null) return arms;
    if (excluded.length < arms) throw new IllegalArgumentException("excluded needs " + arms + " entries, got " + excluded.length);
    int n = 0;
    for (int a = 0; a < arms; a++) if (!excluded[a]) n++;
    if (n == 0) throw new IllegalArgumentException("every one of the " + arms + " arms is excluded: nothing to choose");
    return n;
  }

  static boolean out(boolean[] excluded, int arm) {
    return excluded != null && excluded[arm];
  }

  static void context(double[] x, int d) {
    if (x == null || x.length < d) {
      throw new IllegalArgumentException("context needs " + d + " values, got " + (x == null ? "null" : x.length));
    }
    for (int i = 0; i < d; i++) {
      if (!Double.isFinite(x[i])) throw new IllegalArgumentException("context[" + i + "] is not finite: " + x[i]);
    }
  }
}
