package javaland.learner.bandit;

/**
 * Per-arm ridge regression of reward on context ("disjoint" linear models), kept as the inverse
 * design matrix so each update is a Sherman-Morrison rank-1 step, O(d²), never an inversion:
 *
 * <pre>A⁻¹ ← A⁻¹ − (A⁻¹x)(A⁻¹x)ᵀ / (1 + xᵀA⁻¹x),   b ← b + r·x,   θ = A⁻¹b</pre>
 *
 * starting from A = λI, b = 0.
 *
 * <p>Forgetting (discount γ &lt; 1): before each update every arm's evidence is multiplied by γ
 * (A ← γA, so A⁻¹ ← A⁻¹/γ, and b ← γb), so an arm's uncertainty grows again while it is not
 * played and a changed workload is re-explored. Because the ridge prior decays with the data, an
 * arm whose remaining evidence in some direction has fallen below the prior's (a diagonal entry
 * of A⁻¹ above 1/λ) is reset to the prior: nothing it still knew is worth more than the prior.
 */
final class LinearArms {
  final int k;
  final int d;
  private final double lambda;
  private final double discount;
  private final double[][] ainv;
  private final double[][] b;
  private final double[] u;

  LinearArms(int arms, int dimension, double lambda, double discount) {
    Checks.arms(arms);
    if (dimension < 1) throw new IllegalArgumentException("context dimension must be at least 1: " + dimension);
    Checks.positive("lambda (ridge)", lambda);
    Checks.discount(discount);
    this.k = arms;
    this.d = dimension;
    this.lambda = lambda;
    this.discount = discount;
    this.ainv = new double[arms][dimension * dimension];
    this.b = new double[arms][dimension];
    this.u = new double[dimension];
    for (int a = 0; a < arms; a++) reset(a);
  }

  private void reset(int a) {
    java.util.Arrays.fill(ainv[a], 0);
    java.util.Arrays.fill(b[a], 0);
    for (int i = 0; i < d; i++) ainv[a][i * d + i] = 1 / lambda;
  }

  /** θ_aᵀx. */
  double mean(int a, double[] x) {
    double[] m = ainv[a];
    double[] ba = b[a];
    double s = 0;
    for (int i = 0; i < d; i++) {
      double row = 0;
      for (int j = 0; j < d; j++) row += m[i * d + j] * ba[j];
      s += row * x[i];
    }
    return s;
  }

  /** xᵀA_a⁻¹x: the variance factor of arm a's estimate at x. */
  double variance(int a, double[] x) {
    double[] m = ainv[a];
    double s = 0;
    for (int i = 0; i < d; i++) {
      double row = 0;
      for (int j = 0; j < d; j++) row += m[i * d + j] * x[j];
      s += row * x[i];
    }
    return Math.max(0, s);
  }

  void update(double[] x, int arm, double reward) {
    Checks.arm(arm, k);
    Checks.context(x, d);
    Checks.reward(reward);
    if (discount < 1) {
      double inv = 1 / discount;
      for (int a = 0; a < k; a++) {
        double[] m = ainv[a];
        for (int i = 0; i < m.length; i++) m[i] *= inv;
        double[] ba = b[a];
        for (int i = 0; i < d; i++) ba[i] *= discount;
        for (int i = 0; i < d; i++) {
          if (m[i * d + i] > 1 / lambda) {
            reset(a);
            break;
          }
        }
      }
    }
    double[] m = ainv[arm];
    double denom = 1;
    for (int i = 0; i < d; i++) {
      double row = 0;
      for (int j = 0; j < d; j++) row += m[i * d + j] * x[j];
      u[i] = row;
      denom += row * x[i];
    }
    for (int i = 0; i < d; i++) {
      double ui = u[i] / denom;
      for (int j = 0; j < d; j++) m[i * d + j] -= ui * u[j];
    }
    double[] ba = b[arm];
    for (int i = 0; i < d; i++) ba[i] += reward * x[i];
  }

  /** A copy of arm a's inverse design matrix, row-major (for tests and diagnostics). */
  double[] inverse(int a) {
    return ainv[a].clone();
  }
}
