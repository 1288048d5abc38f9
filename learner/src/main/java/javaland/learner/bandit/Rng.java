package javaland.learner.bandit;

/**
 * A seeded generator (SplitMix64) with Gaussian draws, so that every learner decision is
 * reproducible from its seed on any JDK (java.util generators may change algorithms between
 * releases). Allocation-free; not thread-safe: one per learner.
 */
public final class Rng {
  private long state;
  private double spare;
  private boolean hasSpare;

  public Rng(long seed) {
    this.state = seed;
  }

  public long nextLong() {
    long z = (state += 0x9E3779B97F4A7C15L);
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** Uniform in [0, 1). */
  public double nextDouble() {
    return (nextLong() >>> 11) * 0x1.0p-53;
  }

  /** Uniform in [0, bound). */
  public int nextInt(int bound) {
    if (bound <= 0) throw new IllegalArgumentException("bound must be positive: " + bound);
    return (int) ((nextLong() >>> 33) * bound >>> 31);
  }

  /** Standard normal (Marsaglia's polar method; the second value of each pair is kept). */
  public double nextGaussian() {
    if (hasSpare) {
      hasSpare = false;
      return spare;
    }
    double u, v, s;
    do {
      u = 2 * nextDouble() - 1;
      v = 2 * nextDouble() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s == 0);
    double f = Math.sqrt(-2 * Math.log(s) / s);
    spare = v * f;
    hasSpare = true;
    return u * f;
  }
}
