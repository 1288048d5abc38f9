package javaland.learner.verdict;

/**
 * When a canary is judged, and how sure each outcome must be.
 *
 * <p>Rolling back is made easier than committing on purpose: a harmful setting costs the user
 * every window it stays, a missed improvement costs only the improvement. So the rollback test
 * has a looser significance level and needs fewer consecutive agreeing judgements.
 *
 * <p>The alphas are per look. A canary is judged after every window, and repeated looks at
 * growing, strongly correlated samples inflate the error well beyond alpha (streaks barely
 * help, since consecutive looks mostly agree). The defaults were chosen by simulation
 * (VerdictTest, N(0,1) rewards, up to 30 windows, judged after each from the 8th): no real
 * difference is committed 3.3% and rolled back 5.3% of the time; a one-sigma improvement is
 * committed 91%, a one-sigma regression rolled back 96% of the time, never the wrong way.
 *
 * @param minSamples windows needed on each side before any verdict
 * @param commitAlpha one-sided significance for "candidate better" (both Mann-Whitney and the
 *     bootstrap interval at level 1 − 2·alpha must agree)
 * @param rollbackAlpha the same for "candidate worse"
 * @param commitStreak consecutive "better" judgements before committing
 * @param rollbackStreak consecutive "worse" judgements before rolling back
 * @param resamples bootstrap resamples
 */
public record VerdictConfig(int minSamples, double commitAlpha, double rollbackAlpha, int commitStreak,
    int rollbackStreak, int resamples) {
  public static final VerdictConfig DEFAULT = new VerdictConfig(8, 0.01, 0.03, 3, 2, 2000);

  public VerdictConfig {
    if (minSamples < 3) throw new IllegalArgumentException("minSamples must be at least 3: " + minSamples);
    if (!(commitAlpha > 0 && commitAlpha < 0.5)) throw new IllegalArgumentException("commitAlpha must be in (0, 0.5): " + commitAlpha);
    if (!(rollbackAlpha > 0 && rollbackAlpha < 0.5)) throw new IllegalArgumentException("rollbackAlpha must be in (0, 0.5): " + rollbackAlpha);
    if (commitStreak < 1) throw new IllegalArgumentException("commitStreak must be at least 1: " + commitStreak);
    if (rollbackStreak < 1) throw new IllegalArgumentException("rollbackStreak must be at least 1: " + rollbackStreak);
    if (resamples < 100) throw new IllegalArgumentException("resamples must be at least 100: " + resamples);
  }
}
