package javaland.lab.learn;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import javaland.lab.experiment.ExperimentRunner;
import javaland.lab.experiment.ExperimentSpec;
import javaland.lab.experiment.LearnerSpec;
import javaland.lab.experiment.WorkloadSource;
import javaland.learner.bandit.ArmGrid;
import javaland.learner.bandit.BanditPolicy;
import javaland.learner.bandit.Decision;
import javaland.learner.bandit.EpsilonGreedy;
import javaland.learner.bandit.GaussianThompson;
import javaland.learner.bandit.LinUcb;
import javaland.learner.reward.Reward;
import javaland.learner.reward.RewardConfig;
import javaland.models.context.ContextFeatures;
import javaland.runtime.kernel.sim.SimConfig;

/**
 * Does a learner find what brute force knows? For each workload of a {@link LearnerSpec}: every arm
 * runs {@code bruteForceSeeds} times (seeds 1..N) and its mean reward is its true value; then each
 * algorithm plays {@code windows} windows, each one short simulated run under the arm it chose with
 * a seed no brute-force run used (so rewards are noisy draws, not the means), learning from each
 * reward as the online learner would.
 *
 * <p>Figures (docs/experiments.md): an arm's <em>normalised value</em> is
 * {@code (mean(arm) - mean(worst)) / (mean(best) - mean(worst))}: 1 for the best arm, 0 for the
 * worst, whatever the sign of the rewards. {@code best_fraction} is the mean normalised value of
 * the arms played over the last quarter of the windows; {@code windows_to_95} the number of
 * windows after which the trailing mean over {@link #TRAILING} windows of the normalised value
 * stays at or above the target until the end; regret is the sum over windows of
 * {@code mean(best) - mean(arm played)}.
 */
public final class Convergence {
  /** Windows in the trailing mean that {@code windows_to_95} watches. */
  public static final int TRAILING = 10;

  /** One arm as brute force saw it. */
  public record ArmTruth(String label, Map<String, Double> values, double mean, double sd, int failedRuns) {}

  /**
   * One learner run.
   *
   * @param arms the arm played in each window
   * @param rewards the reward observed in each window (NaN: the window could not be scored and was skipped)
   * @param regret cumulative regret after each window
   * @param windowsTo95 windows until the trailing mean stays at or above the target; -1 if it never does
   * @param greedyArm the arm with the best estimate at the end (what it would commit)
   */
  public record Run(String algorithm, long seed, int[] arms, double[] rewards, double[] regret, double bestFraction,
      int windowsTo95, int greedyArm) {}

  /** One workload: the truth and every algorithm's runs. */
  public record Case(String workload, String describe, List<ArmTruth> arms, int best, int worst, List<Run> runs) {
    public double normalised(int arm) {
      double span = arms.get(best).mean() - arms.get(worst).mean();
      return span > 0 ? (arms.get(arm).mean() - arms.get(worst).mean()) / span : 1.0;
    }

    public List<Run> runs(String algorithm) {
      return runs.stream().filter(r -> r.algorithm().equals(algorithm)).toList();
    }

    /** Mean over the seeds of {@code best_fraction} for one algorithm. */
    public double bestFraction(String algorithm) {
      return runs(algorithm).stream().mapToDouble(Run::bestFraction).average().orElse(Double.NaN);
    }

    /** The largest {@code windows_to_95} over the seeds; -1 if any seed never got there. */
    public int windowsTo95(String algorithm) {
      int worst = 0;
      for (Run r : runs(algorithm)) {
        if (r.windowsTo95() < 0) return -1;
        worst = Math.max(worst, r.windowsTo95());
      }
      return worst;
    }
  }

  /** Everything; {@code bestFraction} and {@code windowsTo95} are the worst case over workloads and algorithms. */
  public record Result(LearnerSpec spec, List<String> armLabels, List<Case> cases, double bestFraction, int windowsTo95,
      boolean passed, int simulations, double wallSeconds) {}

  private Convergence() {}

  public static Result run(LearnerSpec spec, int threads, ExperimentRunner.Listener progress) throws Exception {
    long t0 = System.nanoTime();
    ArmGrid grid = ArmSpec.grid(spec.policy(), spec.arms());
    int k = grid.size();
    List<String> labels = new ArrayList<>();
    for (int a = 0; a < k; a++) labels.add(ArmSpec.label(grid, a, spec.arms()));
    for (WorkloadSource w : spec.workloads()) w.prepare();
    Reward reward = new Reward(RewardConfig.DEFAULT);
    int nw = spec.workloads().size();
    int bf = spec.bruteForceSeeds();
    int learnerRuns = spec.algorithms().size() * spec.seeds().size();
    int total = nw * (k * bf + learnerRuns * spec.windows());
    progress.started(total);
    AtomicInteger done = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads), r -> {
      Thread t = new Thread(r, "learner-experiment");
      t.setDaemon(true);
      return t;
    });
    try {
      // brute force: every arm, every brute-force seed
      double[][][] truth = new double[nw][k][bf];
      int[][] failed = new int[nw][k];
      List<Future<?>> fs = new ArrayList<>();
      for (int w = 0; w < nw; w++) {
        for (int a = 0; a < k; a++) {
          for (int s = 0; s < bf; s++) {
            int w0 = w;
            int a0 = a;
            int s0 = s;
            fs.add(pool.submit(() -> {
              SimWindow sw = window(spec, spec.workloads().get(w0), s0 + 1L, grid.parameters(a0), reward);
              truth[w0][a0][s0] = sw.reward();
              if (sw.failed()) {
                synchronized (failed) {
                  failed[w0][a0]++;
                }
              }
              progress.finished(null, done.incrementAndGet(), total);
              return null;
            }));
          }
        }
      }
      await(fs);
      List<List<ArmTruth>> arms = new ArrayList<>();
      for (int w = 0; w < nw; w++) {
        List<ArmTruth> list = new ArrayList<>();
        for (int a = 0; a < k; a++) {
          double s = 0;
          double sq = 0;
          int n = 0;
          for (double r : truth[w][a]) {
            if (!Double.isFinite(r)) continue;
            s += r;
            sq += r * r;
            n++;
          }
          if (n == 0) {
            throw new IllegalStateException(spec.workloads().get(w).label() + " under " + labels.get(a)
                + ": no run could be scored (no scheduling delays at all)");
          }
          double m = s / n;
          list.add(new ArmTruth(labels.get(a), ArmSpec.varied(grid, a, spec.arms()), m, Math.sqrt(Math.max(0, sq / n - m * m)),
              failed[w][a]));
        }
        arms.add(list);
      }
      // the learners
      List<List<Future<Run>>> runs = new ArrayList<>();
      for (int w = 0; w < nw; w++) {
        List<Future<Run>> perCase = new ArrayList<>();
        WorkloadSource ws = spec.workloads().get(w);
        List<ArmTruth> t = arms.get(w);
        for (String alg : spec.algorithms()) {
          for (long seed : spec.seeds()) {
            perCase.add(pool.submit(() -> learn(spec, ws, grid, t, alg, seed, reward, () -> progress.finished(null,
                done.incrementAndGet(), total))));
          }
        }
        runs.add(perCase);
      }
      List<Case> cases = new ArrayList<>();
      for (int w = 0; w < nw; w++) {
        List<Run> rs = new ArrayList<>();
        for (Future<Run> f : runs.get(w)) rs.add(get(f));
        List<ArmTruth> t = arms.get(w);
        cases.add(new Case(spec.workloads().get(w).label(), spec.workloads().get(w).describe(), t, best(t), worst(t), rs));
      }
      double bestFraction = Double.POSITIVE_INFINITY;
      int windowsTo95 = 0;
      for (Case c : cases) {
        for (String alg : spec.algorithms()) {
          bestFraction = Math.min(bestFraction, c.bestFraction(alg));
          int w95 = c.windowsTo95(alg);
          windowsTo95 = windowsTo95 < 0 || w95 < 0 ? -1 : Math.max(windowsTo95, w95);
        }
      }
      return new Result(spec, labels, cases, bestFraction, windowsTo95, bestFraction >= spec.target(), total,
          (System.nanoTime() - t0) / 1e9);
    } finally {
      pool.shutdownNow();
    }
  }

  /** A window's workload seed: never one of the brute-force seeds 1..N, and distinct per learner seed and window. */
  static long windowSeed(LearnerSpec spec, long learnerSeed, int window) {
    return spec.bruteForceSeeds() + 1L + learnerSeed * spec.windows() + window;
  }

  private static SimWindow window(LearnerSpec spec, WorkloadSource ws, long seed, Map<String, Double> params, Reward reward)
      throws Exception {
    ExperimentSpec.SimCosts c = spec.sim();
    SimConfig cfg = SimConfig.of(ws.topology()).withRoundTrip(c.roundTripNs(), c.decideNsPerTask())
        .withWakeLatency(c.wakeLatencyNs()).withSwitchCost(c.switchCostNs());
    return SimWindow.run(ws.workload(seed), cfg, spec.policy(), params, reward);
  }

  static BanditPolicy bandit(LearnerSpec spec, String algorithm, int arms, long seed) {
    return switch (algorithm) {
      // A wide prior (rewards are logs of µs and rates, a few units from 0) and the spec's noise
      // guess: the learner is not told the true spread.
      case "thompson" -> new GaussianThompson(arms, 0, 10, spec.noiseSd(), 1, seed);
      case "epsilon-greedy" -> new EpsilonGreedy(arms, spec.epsilon(), 1, seed);
      case "linucb" -> new LinUcb(arms, ContextFeatures.SIZE, 1.0, 1.0, 1, seed);
      default -> throw new IllegalArgumentException("unknown algorithm " + algorithm);
    };
  }

  private static Run learn(LearnerSpec spec, WorkloadSource ws, ArmGrid grid, List<ArmTruth> truth, String algorithm, long seed,
      Reward reward, Runnable tick) throws Exception {
    int k = grid.size();
    int n = spec.windows();
    BanditPolicy b = bandit(spec, algorithm, k, seed);
    Decision d = new Decision();
    double[] context = new double[ContextFeatures.SIZE];
    context[0] = 1; // before the first window: nothing seen but the bias
    int[] played = new int[n];
    double[] rewards = new double[n];
    double[] regret = new double[n];
    double[] q = new double[n];
    int bestArm = best(truth);
    int worstArm = worst(truth);
    double span = truth.get(bestArm).mean() - truth.get(worstArm).mean();
    double cum = 0;
    for (int t = 0; t < n; t++) {
      b.decide(context, d);
      int arm = d.arm();
      SimWindow w = window(spec, ws, windowSeed(spec, seed, t), grid.parameters(arm), reward);
      double r = w.reward();
      if (Double.isFinite(r)) b.update(context, arm, r); // an unscorable window teaches nothing
      w.context().writeTo(context);
      played[t] = arm;
      rewards[t] = r;
      cum += truth.get(bestArm).mean() - truth.get(arm).mean();
      regret[t] = cum;
      q[t] = span > 0 ? (truth.get(arm).mean() - truth.get(worstArm).mean()) / span : 1.0;
      tick.run();
    }
    int tail = Math.max(1, (n + 3) / 4);
    double fraction = 0;
    for (int t = n - tail; t < n; t++) fraction += q[t] / tail;
    return new Run(algorithm, seed, played, rewards, regret, fraction, windowsTo(q, spec.target()), greedy(b, k, context));
  }

  /** Windows until the trailing mean of {@code q} stays at or above {@code target} to the end; -1 if it never does. */
  static int windowsTo(double[] q, double target) {
    int from = -1;
    double sum = 0;
    for (int t = 0; t < q.length; t++) {
      sum += q[t];
      if (t >= TRAILING) sum -= q[t - TRAILING];
      double mean = sum / Math.min(t + 1, TRAILING);
      if (mean >= target - 1e-12) {
        if (from < 0) from = t + 1;
      } else {
        from = -1;
      }
    }
    return from;
  }

  /** The arm the learner would commit now: the most probable one under its current state. */
  private static int greedy(BanditPolicy b, int k, double[] context) {
    double[] p = new double[k];
    b.probabilities(context, p);
    int best = 0;
    for (int a = 1; a < k; a++) if (p[a] > p[best]) best = a;
    return best;
  }

  private static int best(List<ArmTruth> t) {
    int best = 0;
    for (int a = 1; a < t.size(); a++) if (t.get(a).mean() > t.get(best).mean()) best = a;
    return best;
  }

  private static int worst(List<ArmTruth> t) {
    int worst = 0;
    for (int a = 1; a < t.size(); a++) if (t.get(a).mean() < t.get(worst).mean()) worst = a;
    return worst;
  }

  private static void await(List<Future<?>> fs) throws Exception {
    for (Future<?> f : fs) get(f);
  }

  private static <T> T get(Future<T> f) throws Exception {
    try {
      return f.get();
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception ex ? ex : e;
    }
  }
}
