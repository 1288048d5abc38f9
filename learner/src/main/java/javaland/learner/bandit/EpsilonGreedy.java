package javaland.learner.bandit;

/**
 * Epsilon-greedy over a discrete arm set: with probability epsilon a uniformly random arm,
 * otherwise the arm with the best (discounted) mean reward, ties split evenly. Arms never played
 * count as best, so each is tried once before exploitation begins.
 *
 * <p>Propensity in closed form: epsilon/K + (1 − epsilon)/|ties| for a greedy arm, epsilon/K
 * for the others.
 */
public final class EpsilonGreedy implements BanditPolicy {
  private final int k;
  private final double epsilon;
  private final Rng rng;
  private final ArmTallies tallies;
  private final int[] ties;

  /**
   * @param discount forgetting factor in (0, 1]: each update multiplies all past evidence by it
   *     (1 = remember everything)
   */
  public EpsilonGreedy(int arms, double epsilon, double discount, long seed) {
    Checks.arms(arms);
    if (!(epsilon >= 0 && epsilon <= 1)) throw new IllegalArgumentException("epsilon must be in [0, 1]: " + epsilon);
    Checks.discount(discount);
    this.k = arms;
    this.epsilon = epsilon;
    this.rng = new Rng(seed);
    this.tallies = new ArmTallies(arms, discount);
    this.ties = new int[arms];
  }

  @Override
  public int arms() {
    return k;
  }

  @Override
  public int contextDimension() {
    return 0;
  }

  @Override
  public void decide(double[] context, boolean[] excluded, Decision out) {
    int m = Checks.allowed(excluded, k);
    int nTies = greedy(excluded);
    int arm = rng.nextDouble() < epsilon ? nthAllowed(excluded, rng.nextInt(m)) : ties[rng.nextInt(nTies)];
    boolean isGreedy = false;
    for (int i = 0; i < nTies; i++) isGreedy |= ties[i] == arm;
    out.set(arm, epsilon / m + (isGreedy ? (1 - epsilon) / nTies : 0));
  }

  private int nthAllowed(boolean[] excluded, int n) {
    for (int a = 0; a < k; a++) {
      if (Checks.out(excluded, a)) continue;
      if (n-- == 0) return a;
    }
    throw new IllegalStateException("fewer allowed arms than counted");
  }

  @Override
  public void update(double[] context, int arm, double reward) {
    Checks.arm(arm, k);
    Checks.reward(reward);
    tallies.add(arm, reward);
  }

  @Override
  public void probabilities(double[] context, double[] out) {
    int nTies = greedy(null);
    for (int i = 0; i < k; i++) out[i] = epsilon / k;
    for (int i = 0; i < nTies; i++) out[ties[i]] += (1 - epsilon) / nTies;
  }

  /** Mean reward of an arm so far (NaN before it was played). */
  public double mean(int arm) {
    return tallies.mean(arm, Double.NaN);
  }

  /** Fills ties[] with the greedy arms, returns how many. */
  private int greedy(boolean[] excluded) {
    int n = 0;
    double best = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < k; i++) {
      if (Checks.out(excluded, i)) continue;
      double m = tallies.mean(i, Double.POSITIVE_INFINITY);
      if (m > best) {
        best = m;
        n = 0;
      }
      if (m == best) ties[n++] = i;
    }
    return n;
  }
}
