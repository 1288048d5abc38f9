package javaland.learner.online;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import javaland.learner.ope.Estimate;
import javaland.learner.ope.Evaluation;
import javaland.learner.ope.LogRecord;

/**
 * The online learner's off-policy evaluation: the decisions it logged (replayed and new, the
 * most recent {@link #MAX_RECORDS}) are evaluated every {@code every} new ones
 * ({@link Evaluation}): what the greedy policy of a reward model fitted on them would have
 * earned, by IPS, SNIPS and DR, against the mean reward the learner's own (exploring) choices
 * earned. The figures go to the gauges {@code javaland_learner_ope_reward{estimator}}, an
 * {@code ope} audit line and the progress line.
 */
final class LearnerOpe {
  /** Records kept: ~100 bytes each; at one decision a minute, a week of decisions. */
  static final int MAX_RECORDS = 10_000;

  /** One evaluation: the audit figures and a one-line summary. */
  record Result(Map<String, Double> figures, String summary) {}

  private final int every;
  private final int arms;
  private final LearnerMetrics metrics;
  private final ArrayDeque<LogRecord> records = new ArrayDeque<>();
  private int sinceLast;
  private String last = "no off-policy evaluation yet";

  LearnerOpe(int every, int arms, LearnerMetrics metrics) {
    this.every = every;
    this.arms = arms;
    this.metrics = metrics;
  }

  /** Adds a record; evaluates when {@code every} have come since the last evaluation. */
  Optional<Result> add(LogRecord r) {
    keep(r);
    if (every == 0 || ++sinceLast < every) return Optional.empty();
    return evaluate();
  }

  /** Adds a replayed record without evaluating. */
  void keep(LogRecord r) {
    records.addLast(r);
    while (records.size() > MAX_RECORDS) records.removeFirst();
  }

  /** Evaluates now (at start, over a replayed log); empty if off, or too few records. */
  Optional<Result> evaluate() {
    if (every == 0 || records.size() < 2) return Optional.empty();
    sinceLast = 0;
    Evaluation.Report r;
    try {
      r = Evaluation.of(new ArrayList<>(records), arms);
    } catch (IllegalArgumentException e) {
      last = "off-policy evaluation failed: " + e.getMessage();
      return Optional.empty();
    }
    Evaluation.Target g = r.greedy();
    metrics.ope("logged", r.loggedMean());
    metrics.ope("ips", g.ips().value());
    metrics.ope("snips", g.snips() == null ? Double.NaN : g.snips().value());
    metrics.ope("dr", g.dr().value());
    Map<String, Double> f = new LinkedHashMap<>();
    f.put("records", (double) r.records());
    f.put("logged_mean", r.loggedMean());
    f.put("logged_se", r.loggedSe());
    put(f, g.ips());
    if (g.snips() != null) put(f, g.snips());
    put(f, g.dr());
    f.put("dr_minus_logged", g.dr().value() - r.loggedMean());
    int[] plays = r.playsPerArm();
    for (int a = 0; a < plays.length; a++) f.put("plays_arm_" + a, (double) plays[a]);
    last = String.format(Locale.ROOT, "OPE over %d decisions: greedy DR %.3f [%.3f, %.3f] vs logged %.3f", r.records(),
        g.dr().value(), g.dr().lo(), g.dr().hi(), r.loggedMean());
    return Optional.of(new Result(f, last + String.format(Locale.ROOT, " (IPS %.3f, SNIPS %s, ESS %.1f)", g.ips().value(),
        g.snips() == null ? "-" : String.format(Locale.ROOT, "%.3f", g.snips().value()), g.dr().effectiveSampleSize())));
  }

  private static void put(Map<String, Double> f, Estimate e) {
    f.put(e.method(), e.value());
    f.put(e.method() + "_se", e.standardError());
    f.put(e.method() + "_lo", e.lo());
    f.put(e.method() + "_hi", e.hi());
    f.put(e.method() + "_ess", e.effectiveSampleSize());
  }

  /** The latest evaluation in a phrase, for the progress line. */
  String last() {
    return last;
  }

  int size() {
    return records.size();
  }
}
