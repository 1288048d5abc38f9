package javaland.runtime.kernel.sim;

import java.util.SplittableRandom;

/**
 * A distribution of durations in nanoseconds, sampled from a task's own seeded generator.
 *
 * @param kind the shape
 * @param a the value (fixed), lower bound (uniform) or mean (exponential)
 * @param b the upper bound (uniform, exclusive) or the cap (exponential); unused for fixed
 */
public record Dist(Kind kind, long a, long b) {
  public enum Kind { FIXED, UNIFORM, EXPONENTIAL }

  /** An exponential sample is capped at this many means: one huge draw should not decide a run. */
  static final int EXP_CAP_MEANS = 20;

  public Dist {
    if (kind == null) throw new IllegalArgumentException("kind is required");
    if (a < 0 || b < 0) throw new IllegalArgumentException("durations must be >= 0: " + a + ", " + b);
    if (kind == Kind.UNIFORM && b <= a) throw new IllegalArgumentException("uniform needs lo < hi: " + a + ", " + b);
  }

  public static Dist fixed(long ns) {
    return new Dist(Kind.FIXED, ns, 0);
  }

  /** Uniform in {@code [lo, hi)}. */
  public static Dist uniform(long lo, long hi) {
    return new Dist(Kind.UNIFORM, lo, hi);
  }

  /** Exponential with the given mean, capped at 20 means. */
  public static Dist exponential(long mean) {
    return new Dist(Kind.EXPONENTIAL, mean, mean * EXP_CAP_MEANS);
  }

  long sample(SplittableRandom rng) {
    return switch (kind) {
      case FIXED -> a;
      case UNIFORM -> rng.nextLong(a, b);
      case EXPONENTIAL -> Math.min(b, (long) (-a * Math.log(1.0 - rng.nextDouble())));
    };
  }

  @Override
  public String toString() {
    return switch (kind) {
      case FIXED -> a + "ns";
      case UNIFORM -> "uniform[" + a + "," + b + ")ns";
      case EXPONENTIAL -> "exp(mean " + a + "ns)";
    };
  }
}
