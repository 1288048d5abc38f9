package javaland.learner.bench;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javaland.learner.bandit.BanditPolicy;
import javaland.learner.bandit.Decision;
import javaland.learner.bandit.EpsilonGreedy;
import javaland.learner.bandit.GaussianThompson;
import javaland.learner.bandit.LinUcb;
import javaland.learner.bandit.LinearThompson;
import javaland.learner.bandit.Rng;
import javaland.learner.model.BayesianOptimizer;
import javaland.learner.model.TribuoRewardModel;
import javaland.models.context.ContextFeatures;
import javaland.learner.reward.Reward;
import javaland.learner.reward.RewardConfig;
import javaland.sdk.Parameter;
import javaland.models.telemetry.TelemetryWindow;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The learner's CPU cost per window. {@code decideUpdate}: one bandit update and decision (the
 * allocation-free part, {@code gc.alloc.rate.norm} must be ~0). {@code window}: reward +
 * features from a telemetry window + update + decide, what the online learner does every
 * window. {@code tribuoRefit} / {@code gpRefitSuggest}: refitting the offline reward model on
 * 500 windows and the Gaussian process on 30 observations plus one suggestion. How to run:
 * docs/benchmarks.md.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class LearnerBenchmark {
  static final int ARMS = 8;

  @Param({"linucb", "lints", "thompson", "egreedy"})
  public String policy;

  BanditPolicy bandit;
  final Decision decision = new Decision();
  final Rng env = new Rng(1);
  double[] context;
  TelemetryWindow window;
  Reward reward;
  List<String> tribuoNames;
  double[][] tribuoX;
  double[] tribuoY;
  BayesianOptimizer bo;

  public static BanditPolicy make(String name, int arms, int d) {
    return switch (name) {
      case "linucb" -> new LinUcb(arms, d, 1.0, 1.0, 0.99, 1);
      case "lints" -> new LinearThompson(arms, d, 0.5, 1.0, 0.99, 1);
      case "thompson" -> new GaussianThompson(arms, 0, 1, 0.5, 0.99, 1);
      case "egreedy" -> new EpsilonGreedy(arms, 0.1, 0.99, 1);
      default -> throw new IllegalArgumentException("unknown policy " + name);
    };
  }

  @Setup
  public void setup() {
    bandit = make(policy, ARMS, ContextFeatures.SIZE);
    reward = new Reward(RewardConfig.DEFAULT);
    window = new TelemetryWindow(1.0, 3, false, 5000, 12, 3, 7, false,
        Map.of("latency-critical", new long[] {40, 50, 9, 1}, "wakeup", new long[] {10, 60, 25, 5}),
        new long[] {10_000, 100_000, 1_000_000, 10_000_000}, Map.of("cpu.some", 0.2));
    context = ContextFeatures.of(window, 4).toArray();
    for (int i = 0; i < 200; i++) step();
    Rng rng = new Rng(2);
    tribuoNames = List.of("bias", "queue", "cpu_pressure", "wakeup_rate", "fallback_share", "cancel_share", "slice_us", "boost");
    tribuoX = new double[500][];
    tribuoY = new double[500];
    for (int i = 0; i < 500; i++) {
      tribuoX[i] = new double[] {1, rng.nextDouble() * 4, rng.nextDouble(), rng.nextDouble(), rng.nextDouble() * 0.1,
          rng.nextDouble() * 0.1, 100 + rng.nextDouble() * 19900, rng.nextDouble()};
      tribuoY[i] = tribuoX[i][1] - 1e-4 * tribuoX[i][6] + 0.1 * rng.nextGaussian();
    }
    bo = new BayesianOptimizer(List.of(Parameter.of("slice_us", 100, 20000, 3000, "us", ""),
        Parameter.of("boost", 0, 1, 0.5, "", "")), 3);
    for (int i = 0; i < 30; i++) {
      var p = bo.suggest();
      bo.observe(p, -Math.pow(p.get("boost") - 0.7, 2));
    }
  }

  /** One update with the last decision's reward, then the next decision. */
  public int step() {
    bandit.update(context, decision.arm() < 0 ? 0 : decision.arm(), 0.1 * decision.arm() + env.nextGaussian());
    bandit.decide(context, decision);
    return decision.arm();
  }

  @Benchmark
  public int decideUpdate() {
    return step();
  }

  @Benchmark
  public int window() {
    double r = reward.score(window);
    ContextFeatures.of(window, 4).writeTo(context);
    bandit.update(context, decision.arm() < 0 ? 0 : decision.arm(), r);
    bandit.decide(context, decision);
    return decision.arm();
  }

  @Benchmark
  public Object tribuoRefit() {
    if (!policy.equals("linucb")) return null; // independent of the bandit: measure once
    return TribuoRewardModel.fit(tribuoNames, tribuoX, tribuoY, "bench", "bench", TribuoRewardModel.Settings.DEFAULT);
  }

  @Benchmark
  public Object gpRefitSuggest() {
    if (!policy.equals("linucb")) return null;
    bo.refit();
    return bo.suggest();
  }
}
