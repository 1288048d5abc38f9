package javaland.learner.online;

import java.util.List;
import javaland.learner.bandit.BanditPolicy;
import javaland.learner.bandit.EpsilonGreedy;
import javaland.learner.bandit.GaussianThompson;
import javaland.learner.bandit.LinUcb;
import javaland.learner.bandit.LinearThompson;

/** The bandits {@code --algorithm} names, with the online learner's settings. */
public final class Bandits {
  public static final List<String> ALGORITHMS = List.of("linucb", "lints", "thompson", "egreedy");

  /**
   * Forgetting: a workload drifts, so evidence halves in weight after ~140 updates (γ = 0.995);
   * one update is one decision, minutes of windows.
   */
  static final double DISCOUNT = 0.995;

  private Bandits() {}

  /**
   * A bandit over {@code arms} arms and {@code d} context features. Rewards are of order 1 per
   * unit of log-delay (see Reward), so the priors and noise are set on that scale: a prior
   * standard deviation of 10 around 0 is flat over any reward seen; per-decision noise of 0.3 is
   * the spread of window means seen on the simulated kernel.
   */
  public static BanditPolicy create(String algorithm, int arms, int d, long seed) {
    return switch (algorithm) {
      case "linucb" -> new LinUcb(arms, d, 1.0, 1.0, DISCOUNT, seed);
      case "lints" -> new LinearThompson(arms, d, 0.3, 1.0, DISCOUNT, seed);
      case "thompson" -> new GaussianThompson(arms, 0, 10, 0.3, DISCOUNT, seed);
      case "egreedy" -> new EpsilonGreedy(arms, 0.1, DISCOUNT, seed);
      default -> throw new IllegalArgumentException("unknown algorithm " + algorithm + "; known: " + String.join(", ", ALGORITHMS));
    };
  }
}
