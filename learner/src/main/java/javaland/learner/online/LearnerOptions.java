package javaland.learner.online;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import javaland.learner.reward.RewardConfig;
import javaland.learner.verdict.VerdictConfig;

/**
 * How the online learner runs (the flags of {@code javaland learn}).
 *
 * @param url the runtime's control plane, e.g. http://127.0.0.1:8740
 * @param token bearer token for the API, or null
 * @param window length of one telemetry window
 * @param algorithm one of {@link Bandits#ALGORITHMS}
 * @param arms {@code NAME=V1,V2,...} specs; empty for {@link Arms#defaults}
 * @param reward the reward's weights
 * @param verdict the canary judge's settings (minSamples is also the baseline needed before a proposal)
 * @param maxCandidateWindows a canary the judge cannot decide within this many windows is rolled
 *     back as inconclusive (keep it under the runtime's --canary-timeout)
 * @param seed for the bandit and the judge's bootstrap
 * @param decisionLog the decision log file (appended, replayed at start), or null for none
 * @param stateDir where the learner writes its own files (the audit log), or null
 * @param registry a registry to read a warm-start reward model from ("reward-model-POLICY"), or null
 * @param progress how often a progress line is printed (zero: never)
 * @param maxDecisions stop after this many decisions (0: never; tests and experiments)
 * @param opeEvery run off-policy evaluation over the decisions so far after every this many
 *     logged decisions (0: never)
 */
public record LearnerOptions(String url, String token, Duration window, String algorithm, List<String> arms,
    RewardConfig reward, VerdictConfig verdict, int maxCandidateWindows, long seed, Path decisionLog, Path stateDir,
    Path registry, Duration progress, int maxDecisions, int opeEvery) {
  /** Off-policy evaluation every 10 decisions: minutes of windows apart, a few ms each. */
  public static final int DEFAULT_OPE_EVERY = 10;

  public LearnerOptions {
    Objects.requireNonNull(url, "url");
    arms = List.copyOf(arms);
    if (window.isNegative() || window.toMillis() < 50) throw new IllegalArgumentException("--window must be at least 50ms, got " + window);
    if (!Bandits.ALGORITHMS.contains(algorithm)) {
      throw new IllegalArgumentException("--algorithm " + algorithm + ": choose one of " + String.join(", ", Bandits.ALGORITHMS));
    }
    if (maxCandidateWindows < verdict.minSamples()) {
      throw new IllegalArgumentException("max candidate windows (" + maxCandidateWindows + ") is below the verdict's minimum sample count "
          + verdict.minSamples());
    }
    if (maxDecisions < 0) throw new IllegalArgumentException("max decisions must be >= 0: " + maxDecisions);
    if (opeEvery < 0) throw new IllegalArgumentException("--ope-every must be >= 0: " + opeEvery);
  }

  /** With off-policy evaluation every {@link #DEFAULT_OPE_EVERY} decisions. */
  public LearnerOptions(String url, String token, Duration window, String algorithm, List<String> arms, RewardConfig reward,
      VerdictConfig verdict, int maxCandidateWindows, long seed, Path decisionLog, Path stateDir, Path registry, Duration progress,
      int maxDecisions) {
    this(url, token, window, algorithm, arms, reward, verdict, maxCandidateWindows, seed, decisionLog, stateDir, registry, progress,
        maxDecisions, DEFAULT_OPE_EVERY);
  }

  /** Defaults: 2 s windows, LinUCB, default arms and reward, the judge's defaults, 20 candidate windows at most. */
  public static LearnerOptions defaults(String url, String token) {
    return new LearnerOptions(url, token, Duration.ofSeconds(2), "linucb", List.of(), RewardConfig.DEFAULT,
        VerdictConfig.DEFAULT, 20, 1, null, null, null, Duration.ofSeconds(10), 0);
  }

  public LearnerOptions withWindow(Duration w) {
    return new LearnerOptions(url, token, w, algorithm, arms, reward, verdict, maxCandidateWindows, seed, decisionLog, stateDir,
        registry, progress, maxDecisions, opeEvery);
  }

  public LearnerOptions withOpeEvery(int n) {
    return new LearnerOptions(url, token, window, algorithm, arms, reward, verdict, maxCandidateWindows, seed, decisionLog, stateDir,
        registry, progress, maxDecisions, n);
  }
}
