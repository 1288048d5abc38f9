package javaland.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import javaland.api.TokenFile;
import javaland.learner.online.Bandits;
import javaland.learner.online.LearnerMetrics;
import javaland.learner.online.LearnerOptions;
import javaland.learner.online.OnlineLearner;
import javaland.learner.reward.RewardConfig;
import javaland.learner.verdict.VerdictConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import javaland.sdk.Decision;

@Command(name = "learn", subcommands = LearnEvaluateCommand.class, description = {
    "The online learner: tries parameter sets on a running javaland as canaries, keeps what helps, rolls back what hurts.",
    "Its own unprivileged process, talking to the runtime's REST API (javaland run starts one unless --no-learner).",
    "Prints progress lines and one JSON audit line per decision (docs/learner.md).",
    "'learn evaluate' runs off-policy evaluation over a decision log."})
final class LearnCommand implements java.util.concurrent.Callable<Integer> {
  private static final javaland.telemetry.log.Log LOG = javaland.telemetry.log.Log.named("learner");
  private static final String PROGRAM = OnlineLearner.PROGRAM;

  @picocli.CommandLine.Mixin
  LogOptions logOptions = new LogOptions();

  @Option(names = "--url", defaultValue = "http://127.0.0.1:8740", description = "The runtime's control plane. Default ${DEFAULT-VALUE}.")
  String url;

  @Option(names = "--token-file", paramLabel = "FILE", description = "Bearer token for the API (the file javaland run --api-token-file reads); else $JAVALAND_API_TOKEN.")
  Path tokenFile;

  @Option(names = "--window", converter = DurationConverter.class, defaultValue = "2s",
      description = "Length of one telemetry window. Default ${DEFAULT-VALUE}.")
  Duration window;

  @Option(names = "--algorithm", defaultValue = "linucb", description = "linucb, lints, thompson or egreedy. Default ${DEFAULT-VALUE}.")
  String algorithm;

  @Option(names = "--arms", paramLabel = "NAME=V1,V2,...",
      description = "The values to try of one parameter (repeat per parameter); default: the policy's first two parameters at 1/4, 1 and 4 times their default.")
  List<String> arms = new ArrayList<>();

  @Option(names = "--reward", paramLabel = "KEY=VALUE",
      description = "Reward settings: delay_weight, throughput_weight, pressure_weight, fallback_weight, latency_class, quantile.")
  Map<String, String> reward = new LinkedHashMap<>();

  @Option(names = "--min-windows", defaultValue = "8", description = "Windows a side before a verdict (and of baseline before a proposal). Default ${DEFAULT-VALUE}.")
  int minWindows;

  @Option(names = "--max-candidate-windows", defaultValue = "20",
      description = "A canary without a verdict after this many windows is rolled back as inconclusive. Default ${DEFAULT-VALUE}.")
  int maxCandidateWindows;

  @Option(names = "--seed", defaultValue = "1", description = "Seed of the bandit and the verdict's bootstrap. Default ${DEFAULT-VALUE}.")
  long seed;

  @Option(names = "--decision-log", paramLabel = "FILE", description = "Decision log (appended; replayed at start to resume). Default: STATE_DIR/decisions.jldlog.")
  Path decisionLog;

  @Option(names = "--state-dir", paramLabel = "DIR",
      description = "The learner's own files (decision log, learner-audit.jsonl). Default /var/lib/javaland/learner as root, else $XDG_STATE_HOME/javaland/learner, else ~/.local/state/javaland/learner.")
  Path stateDir;

  @Option(names = "--registry", paramLabel = "DIR", description = "Registry to read the warm-start reward model ('reward-model-POLICY', as train saves it) from. Default: none.")
  Path registry;

  @Option(names = "--metrics-port", defaultValue = "8741", description = "Serve /metrics on 127.0.0.1:PORT (0: off). Default ${DEFAULT-VALUE}.")
  int metricsPort;

  @Option(names = "--progress", converter = DurationConverter.class, defaultValue = "10s",
      description = "Print a progress line this often (0: never). Default ${DEFAULT-VALUE}.")
  Duration progress;

  @Option(names = "--max-decisions", defaultValue = "0", description = "Stop after this many decisions (0: run until stopped).")
  int maxDecisions;

  @Option(names = "--ope-every", defaultValue = "10", paramLabel = "N",
      description = "Off-policy evaluation over the decision log every N decisions (0: never). Default ${DEFAULT-VALUE}.")
  int opeEvery;

  @Option(names = "--classes", negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "Propose task classes for processes from the runtime's per-task counters, as canaries below the person's rules (--no-classes: off). Default ${DEFAULT-VALUE}.")
  boolean classes;

  @Option(names = "--reward-promql", paramLabel = "EXPR",
      description = "Judge by the service's own latency, this PromQL expression (one number: a scalar or one series), in place of the scheduling delay; checked once at start.")
  String rewardPromql;

  @Option(names = "--prometheus-url", defaultValue = "http://127.0.0.1:9090", paramLabel = "URL",
      description = "Prometheus for --reward-promql. Default ${DEFAULT-VALUE}.")
  java.net.URI prometheusUrl;

  @Option(names = "--duration", converter = DurationConverter.class, description = "Stop after this long. Default: until Ctrl-C or SIGTERM.")
  Duration duration;

  @Override
  public Integer call() throws Exception {
    if (!Bandits.ALGORITHMS.contains(algorithm)) {
      throw new IllegalArgumentException("--algorithm " + algorithm + ": choose one of " + String.join(", ", Bandits.ALGORITHMS));
    }
    if (metricsPort < 0 || metricsPort > 65535) throw new IllegalArgumentException("--metrics-port must be 0..65535, got " + metricsPort);
    logOptions.configure(PROGRAM);
    RewardConfig rewardConfig = RewardConfig.parse(reward);
    VerdictConfig d = VerdictConfig.DEFAULT;
    VerdictConfig verdict = new VerdictConfig(minWindows, d.commitAlpha(), d.rollbackAlpha(), d.commitStreak(), d.rollbackStreak(), d.resamples());
    String token = tokenFile != null ? TokenFile.token(tokenFile) : blankToNull(System.getenv("JAVALAND_API_TOKEN"));
    Path state = stateDir != null ? stateDir : defaultStateDir(System.getenv());
    Path logFile = decisionLog != null ? decisionLog : state.resolve("decisions.jldlog");
    java.nio.file.Files.createDirectories(state);
    LearnerOptions o = new LearnerOptions(url, token, window, algorithm, arms, rewardConfig, verdict, maxCandidateWindows, seed,
        logFile, state, registry, progress, maxDecisions, opeEvery);

    javaland.learner.reward.PromqlLatency service = null;
    if (rewardPromql != null) {
      service = new javaland.learner.reward.PromqlLatency(prometheusUrl, rewardPromql, Duration.ofSeconds(5),
          LOG::warn);
      double v = service.check(); // a bad expression is a usage error now, not NaN windows later
      LOG.info("reward from PromQL '" + service.expression() + "' at " + prometheusUrl + ": now " + v);
    }
    final javaland.learner.reward.PromqlLatency latency = service;
    AtomicBoolean stop = new AtomicBoolean();
    long deadline = duration == null ? Long.MAX_VALUE : System.nanoTime() + duration.toNanos();
    StopSignals.handle(sig -> stop.set(true));
    try (LearnerMetrics metrics = new LearnerMetrics(algorithm);
         OnlineLearner learner = new OnlineLearner(o, OnlineLearner.client(url, token), metrics, LearnCommand::say)
             .serviceLatency(latency).learnClasses(classes)) {
      if (metricsPort > 0) {
        int port = metrics.serve(metricsPort);
        LOG.info("metrics at http://127.0.0.1:" + port + "/metrics");
      }
      LOG.info("state in " + state + ", decision log " + logFile);
      learner.run(() -> stop.get() || System.nanoTime() >= deadline);
      learner.abandon();
      say(learner.progressLine().replaceFirst("^" + PROGRAM + ": ", PROGRAM + ": stopped: "));
    }
    return 0;
  }

  /** {@link javaland.runtime.config.Dirs#learnerState}: /var/lib/javaland/learner as root, else under the XDG state directory. */
  static Path defaultStateDir(Map<String, String> env) {
    return javaland.runtime.config.Dirs.learnerState(env, javaland.runtime.config.Dirs.root());
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }

  /**
   * A line of the learner: its own ("javaland-learn: ...") through the logging facade, so that
   * --log-format json makes them JSON; an audit line (JSON already, the command's output) as it is.
   */
  private static void say(String line) {
    String own = PROGRAM + ": ";
    if (line.startsWith(own)) {
      LOG.info(line.substring(own.length()));
    } else {
      System.out.println(line);
      System.out.flush();
    }
  }
}
