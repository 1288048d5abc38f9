package javaland.learner.verdict;

import java.util.Locale;

/**
 * The learner's verdict on a candidate parameter set against the last-known-good baseline,
 * from per-window rewards, called once per window with all samples so far.
 *
 * <p>A single judgement is BETTER when Mann-Whitney says the candidate is larger (p &lt;
 * commitAlpha) and the bootstrap interval of the mean difference lies above 0; WORSE likewise
 * with rollbackAlpha and an interval below 0; otherwise UNSURE. Hysteresis: COMMIT only after
 * {@code commitStreak} consecutive BETTER, ROLLBACK after {@code rollbackStreak} consecutive
 * WORSE; any other judgement resets the streak, so a verdict never flaps on one noisy window.
 * After COMMIT or ROLLBACK the judge is spent: {@link #reset} it for the next canary.
 */
public final class CanaryJudge {
  public enum Outcome { CONTINUE, COMMIT, ROLLBACK }

  enum Raw { BETTER, WORSE, UNSURE, TOO_FEW }

  /** One judgement with the figures behind it (for the audit line). */
  public record Judgement(Outcome outcome, String raw, int streak, int candidateSamples, int baselineSamples,
      MannWhitney test, BootstrapCi ci, String reason) {
    /** The figures behind it, for the audit line and the change's provenance (the API's origin). */
    public java.util.Map<String, Double> figures(double[] cand, double[] base) {
      java.util.Map<String, Double> f = new java.util.LinkedHashMap<>();
      f.put("candidate_windows", (double) cand.length);
      f.put("baseline_windows", (double) base.length);
      f.put("streak", (double) streak);
      if (cand.length > 0) f.put("candidate_mean", mean(cand));
      if (base.length > 0) f.put("baseline_mean", mean(base));
      if (test != null) {
        f.put("mann_whitney_u", test.u());
        f.put("z", test.z());
        f.put("p_better", test.pGreater());
        f.put("p_worse", test.pLess());
      }
      if (ci != null) {
        f.put("difference", ci.difference());
        f.put("ci_lo", ci.lo());
        f.put("ci_hi", ci.hi());
      }
      return f;
    }

    private static double mean(double[] x) {
      double s = 0;
      for (double v : x) s += v;
      return s / x.length;
    }
  }

  private final VerdictConfig config;
  private final long seed;
  private Raw last = Raw.UNSURE;
  private int streak;
  private int calls;
  private boolean spent;

  public CanaryJudge(VerdictConfig config, long seed) {
    this.config = config;
    this.seed = seed;
  }

  public void reset() {
    last = Raw.UNSURE;
    streak = 0;
    spent = false;
  }

  public Judgement judge(double[] candidate, double[] baseline) {
    if (spent) throw new IllegalStateException("this canary was already decided; reset() the judge for a new one");
    int n1 = candidate.length;
    int n2 = baseline.length;
    if (n1 < config.minSamples() || n2 < config.minSamples()) {
      last = Raw.TOO_FEW;
      streak = 0;
      return new Judgement(Outcome.CONTINUE, Raw.TOO_FEW.name(), 0, n1, n2, null, null,
          "need " + config.minSamples() + " windows a side, have " + n1 + " and " + n2);
    }
    MannWhitney mw = MannWhitney.test(candidate, baseline);
    double alpha = Math.max(config.commitAlpha(), config.rollbackAlpha());
    BootstrapCi ci = BootstrapCi.meanDifference(candidate, baseline, config.resamples(), 1 - 2 * alpha, seed + calls++);
    // the interval for each direction at its own level: recompute the tighter one only if needed
    BootstrapCi commitCi = config.commitAlpha() == alpha ? ci
        : BootstrapCi.meanDifference(candidate, baseline, config.resamples(), 1 - 2 * config.commitAlpha(), seed + calls++);
    BootstrapCi rollbackCi = config.rollbackAlpha() == alpha ? ci
        : BootstrapCi.meanDifference(candidate, baseline, config.resamples(), 1 - 2 * config.rollbackAlpha(), seed + calls++);
    Raw raw;
    if (mw.pGreater() < config.commitAlpha() && commitCi.lo() > 0) raw = Raw.BETTER;
    else if (mw.pLess() < config.rollbackAlpha() && rollbackCi.hi() < 0) raw = Raw.WORSE;
    else raw = Raw.UNSURE;
    streak = raw == last ? streak + 1 : 1;
    last = raw;
    Outcome out = Outcome.CONTINUE;
    if (raw == Raw.BETTER && streak >= config.commitStreak()) out = Outcome.COMMIT;
    if (raw == Raw.WORSE && streak >= config.rollbackStreak()) out = Outcome.ROLLBACK;
    if (out != Outcome.CONTINUE) spent = true;
    BootstrapCi shown = raw == Raw.WORSE ? rollbackCi : commitCi;
    String reason = String.format(Locale.ROOT,
        "%s x%d: mean difference %.4g [%.4g, %.4g] at %.0f%%, Mann-Whitney U=%.1f z=%.2f p(better)=%.3g p(worse)=%.3g, n=%d/%d",
        raw, streak, shown.difference(), shown.lo(), shown.hi(), shown.level() * 100, mw.u(), mw.z(), mw.pGreater(),
        mw.pLess(), n1, n2);
    return new Judgement(out, raw.name(), streak, n1, n2, mw, shown, reason);
  }
}
