package javaland.learner.ope;

import java.util.ArrayList;
import java.util.List;

/**
 * Off-policy evaluation of a whole decision log, as {@code javaland learn evaluate} prints it and
 * the online learner reports it: the logged policy's own mean reward, then IPS, self-normalised
 * IPS and doubly robust estimates for each arm played always (a deterministic target) and for the
 * greedy policy of a reward model fitted on the log.
 *
 * <p>The reward model (the DR estimator's q and the greedy policy's) is a per-arm ridge
 * regression on the context ({@link RidgeRewardModel}) fitted to rewards centred on the logged
 * mean, so the ridge shrinks an arm with little data towards the average reward rather than
 * towards 0 (rewards are log-scaled delays, far from 0). The greedy policy only picks arms the log
 * played: an arm never played has no evidence, and its weights would all be 0. The same log fits
 * the model and is evaluated with it, so the greedy policy's estimates are optimistic by the
 * model's overfit; its IPS and SNIPS do not use q and show how far.
 */
public final class Evaluation {
  /** Ridge penalty of the reward model, in units of one record's squared context. */
  public static final double LAMBDA = 1.0;

  /** A target policy's estimates; an estimator that cannot run on this log (why) is null. */
  public record Target(String name, Estimate ips, Estimate snips, Estimate dr, String problem) {}

  /**
   * @param records records evaluated
   * @param arms arms of the policy (at least max logged arm + 1)
   * @param loggedMean the logged policy's own mean reward per decision
   * @param loggedSe its standard error
   * @param playsPerArm how often the log played each arm
   * @param targets one per arm ({@code arm 0}, ...), then {@code greedy}
   */
  public record Report(int records, int arms, double loggedMean, double loggedSe, int[] playsPerArm, List<Target> targets) {
    public Report {
      playsPerArm = playsPerArm.clone();
      targets = List.copyOf(targets);
    }

    @Override
    public int[] playsPerArm() {
      return playsPerArm.clone();
    }

    public Target greedy() {
      return targets.getLast();
    }
  }

  private Evaluation() {}

  /** The arm count a log implies: its largest arm + 1. */
  public static int armsOf(List<LogRecord> log) {
    int max = -1;
    for (LogRecord r : log) max = Math.max(max, r.arm());
    return max + 1;
  }

  /**
   * Evaluates {@code log} over {@code arms} arms. Throws naming the problem for fewer than 2
   * records, an arm out of range, or records of different context sizes.
   */
  public static Report of(List<LogRecord> log, int arms) {
    if (log.size() < 2) throw new IllegalArgumentException("off-policy evaluation needs at least 2 records, the log has " + log.size());
    if (arms < armsOf(log)) throw new IllegalArgumentException("the log plays arm " + (armsOf(log) - 1) + " but only " + arms + " arms were given");
    int d = log.getFirst().dimension();
    double mean = 0;
    int[] plays = new int[arms];
    for (int i = 0; i < log.size(); i++) {
      LogRecord r = log.get(i);
      if (r.dimension() != d) {
        throw new IllegalArgumentException("record " + i + " has " + r.dimension() + " context values, record 0 has " + d);
      }
      mean += r.reward();
      plays[r.arm()]++;
    }
    mean /= log.size();
    double var = 0;
    for (LogRecord r : log) var += (r.reward() - mean) * (r.reward() - mean);
    double se = Math.sqrt(var / (log.size() - 1) / log.size());

    RewardModel q = centredModel(log, arms, mean);
    List<Target> targets = new ArrayList<>();
    for (int a = 0; a < arms; a++) {
      int arm = a;
      targets.add(target("arm " + a, log, arms, (x, out) -> {
        java.util.Arrays.fill(out, 0);
        out[arm] = 1;
      }, q));
    }
    targets.add(target("greedy", log, arms, greedy(q, plays), q));
    return new Report(log.size(), arms, mean, se, plays, targets);
  }

  /** The deterministic policy playing, among the arms the log played, the one q predicts best. */
  public static TargetPolicy greedy(RewardModel q, int[] playsPerArm) {
    return (x, out) -> {
      int best = -1;
      double bestValue = Double.NEGATIVE_INFINITY;
      for (int a = 0; a < out.length; a++) {
        out[a] = 0;
        if (playsPerArm[a] == 0) continue;
        double v = q.predict(x, a);
        if (best < 0 || v > bestValue) {
          best = a;
          bestValue = v;
        }
      }
      out[best] = 1;
    };
  }

  private static RewardModel centredModel(List<LogRecord> log, int arms, double mean) {
    List<LogRecord> centred = new ArrayList<>(log.size());
    for (LogRecord r : log) centred.add(new LogRecord(r.epochMs(), r.context(), r.arm(), r.propensity(), r.reward() - mean));
    RidgeRewardModel m = RidgeRewardModel.fit(centred, arms, LAMBDA);
    return (x, a) -> m.predict(x, a) + mean;
  }

  private static Target target(String name, List<LogRecord> log, int arms, TargetPolicy pi, RewardModel q) {
    Estimate ips = OffPolicy.ips(log, arms, pi);
    Estimate dr = OffPolicy.doublyRobust(log, arms, pi, q);
    Estimate snips = null;
    String problem = null;
    try {
      snips = OffPolicy.selfNormalisedIps(log, arms, pi);
    } catch (IllegalArgumentException e) {
      problem = "never played in the log: IPS is 0 by construction, SNIPS undefined, DR is the reward model's guess alone";
    }
    return new Target(name, ips, snips, dr, problem);
  }
}
