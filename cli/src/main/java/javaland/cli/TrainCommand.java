package javaland.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import javaland.lab.experiment.Progress;
import javaland.lab.learn.ArmSpec;
import javaland.lab.learn.BayesSearch;
import javaland.lab.learn.Trainer;
import javaland.learner.model.TribuoRewardModel;
import javaland.learner.reward.RewardConfig;
import javaland.runtime.policy.PolicyCatalog;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "train", description = {
    "Learn offline which parameters suit which workload: replay every .jlt (or .jlt.gz) trace of a directory (and "
    + "optionally synthetic workloads) on the simulated kernel under every arm of a parameter grid and "
    + "several seeds, score each run with the learner's reward, print the best arm per workload, fit a "
    + "Tribuo reward model (context + parameters -> reward) and save it into the registry with its "
    + "provenance, as artifact reward-model-POLICY, for the online learner to start from (docs/learner.md)."})
final class TrainCommand implements Callable<Integer> {
  @picocli.CommandLine.Mixin
  PolicyJars policyJars = new PolicyJars();

  @Option(names = "--traces", paramLabel = "DIR", description = "Directory of .jlt or .jlt.gz traces (not searched recursively).")
  Path traces;

  @Option(names = "--synthetic", split = ",", paramLabel = "NAME",
      description = "Synthetic workloads to explore too (hogs, interactive, periodic, forkjoin, server, mix, server-hogs).")
  List<String> synthetic = List.of();

  @Option(names = "--sim-cpus", defaultValue = "4", description = "CPUs of the synthetic workloads' machine (default ${DEFAULT-VALUE}).")
  int simCpus;

  @Option(names = "--duration", converter = DurationConverter.class, defaultValue = "300ms",
      description = "Simulated length of a synthetic workload run (default ${DEFAULT-VALUE}).")
  Duration duration;

  @Option(names = "--policy", defaultValue = "deadline", completionCandidates = RunCommand.PolicyNames.class,
      description = "Policy whose parameters are explored: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE}).")
  String policy;

  @Option(names = "--arms", paramLabel = "NAME=V1,V2",
      description = "Values of one parameter to explore (repeat for more), e.g. --arms slice_max_us=500,2000,20000"
          + " --arms kernel.idle_fastpath=0,1. Default: the values the policy's parameters declare.")
  List<String> arms = new java.util.ArrayList<>();

  @Option(names = "--seeds", defaultValue = "3", description = "Runs per workload and arm, seeds 1..N (default ${DEFAULT-VALUE}).")
  int seeds;

  @Option(names = "--model-seed", defaultValue = "1", description = "Seed of the reward model's training (default ${DEFAULT-VALUE}).")
  long modelSeed;

  @Option(names = "--threads", defaultValue = "0", description = "Simulations at once (0: one per processor). Results do not depend on it.")
  int threads;

  @Option(names = "--registry", paramLabel = "DIR",
      description = "Registry to save the model into (as run's: default /var/lib/javaland as root, else $XDG_STATE_HOME/javaland or ~/.local/state/javaland; 'none': do not save).")
  String registry;

  @Option(names = "--progress", defaultValue = "auto", paramLabel = "auto|bar|lines|none",
      description = "Progress on stderr (default ${DEFAULT-VALUE}).")
  String progress;

  @Option(names = "--search", defaultValue = "grid", paramLabel = "grid|bo|both",
      description = "grid: brute force over --arms; bo: Bayesian optimisation (Smile Gaussian process, expected improvement) over"
          + " the min..max of each parameter's --arms values; both: the two, compared. Default ${DEFAULT-VALUE}.")
  String search;

  @Option(names = "--budget", defaultValue = "10", paramLabel = "N",
      description = "Points the Bayesian search evaluates per workload, each with every seed (default ${DEFAULT-VALUE}).")
  int budget;

  @Option(names = "--json", description = "Print, as the last line, one JSON object with every figure.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    policyJars.install();
    if (!PolicyCatalog.installed().names().contains(policy)) {
      throw new IllegalArgumentException("unknown policy '" + policy + "'; choose one of " + String.join(", ", PolicyCatalog.installed().names()));
    }
    if (traces == null && synthetic.isEmpty()) throw new IllegalArgumentException("give --traces DIR and/or --synthetic NAMES");
    Progress.Mode mode;
    try {
      mode = Progress.Mode.valueOf(progress.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--progress " + progress + ": choose auto, bar, lines or none");
    }
    if (duration.isNegative() || duration.toMillis() < 1) throw new IllegalArgumentException("--duration must be at least 1ms");
    Trainer.Search how;
    try {
      how = Trainer.Search.valueOf(search.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--search " + search + ": choose grid, bo or both");
    }
    Map<String, List<Double>> grid = arms.isEmpty() ? ArmSpec.defaults(policy) : ArmSpec.parse(arms);
    ArmSpec.grid(policy, grid); // names and ranges checked before anything runs
    TribuoRewardModel.Settings d = TribuoRewardModel.Settings.DEFAULT;
    Trainer.Options o = new Trainer.Options(traces, synthetic, simCpus, duration.toNanos(), policy, grid, seeds, threads,
        RewardConfig.DEFAULT, new TribuoRewardModel.Settings(d.epochs(), d.learningRate(), d.factors(), modelSeed),
        how, budget);
    Path registryDir = RunCommand.registryDir(registry, System.getenv(), javaland.runtime.config.Dirs.root());
    Trainer.Result r;
    try (Progress p = new Progress(System.err, mode, "train " + policy, false)) {
      r = Trainer.train(o, registryDir, p);
    }
    System.out.printf(Locale.ROOT, "%s: %s over %s, %d seeds, %d runs scored, in %.1f s%n", policy, switch (how) {
      case GRID -> r.grid().size() + " arms";
      case BO -> "a Bayesian search of " + budget + " points";
      case BOTH -> r.grid().size() + " arms and a Bayesian search of " + budget + " points";
    }, grid.keySet(), seeds, r.samples(), r.wallSeconds());
    for (Trainer.WorkloadResult w : r.workloads()) {
      System.out.printf(Locale.ROOT, "%s %s: best %s reward %.3f (defaults %.3f, worst %s %.3f)%s%s%n", w.kind(), w.label(),
          r.armLabels().get(w.bestArm()), w.bestReward(), w.defaultsReward(), r.armLabels().get(w.worstArm()), w.worstReward(),
          w.modelBestArm() == w.bestArm() ? "; the model agrees" : "; the model prefers " + r.armLabels().get(w.modelBestArm()),
          w.failedRuns() > 0 ? "; " + w.failedRuns() + " runs ended in an error" : "");
    }
    for (int i = 0; i < r.bayes().size(); i++) {
      BayesSearch.Result b = r.bayes().get(i);
      String vs = "";
      if (!r.workloads().isEmpty()) {
        Trainer.WorkloadResult w = r.workloads().get(i);
        int reached = pointsToReach(b, w.bestReward());
        vs = String.format(Locale.ROOT, "; grid best %.3f in %d arms: BO %s", w.bestReward(), r.grid().size(),
            reached > 0 ? "reached it after " + reached + " points" : String.format(Locale.ROOT, "%.3f short of it", w.bestReward() - b.bestReward()));
      }
      System.out.printf(Locale.ROOT, "%s: Bayesian search (%d points): best %s reward %.3f%s%n", b.label(), b.points().size(),
          label(b.best()), b.bestReward(), vs);
    }
    System.out.printf(Locale.ROOT, "reward model: in-sample RMSE %.3f (reward sd %.3f) over %d samples%n", r.rmse(), r.rewardSd(),
        r.samples());
    if (r.artifact() != null) {
      System.out.printf("saved artifact %d '%s' (%d bytes, sha256 %s) in the registry %s%n", r.artifact().id(), r.artifact().name(),
          r.artifact().bytes(), r.artifact().sha256(), r.registry());
    } else {
      System.out.println("not saved (--registry none)");
    }
    System.out.println(r.artifact() != null ? "its lineage (kept in the artifact's metadata, docs/learner.md):" : "its lineage:");
    for (String l : r.describeLineage()) System.out.println("  " + l);
    if (json) System.out.println(json(r));
    return 0;
  }

  /** The first point (1-based) at which the search's best reached {@code target}; 0 if never. */
  static int pointsToReach(BayesSearch.Result b, double target) {
    double[] best = b.bestSoFar();
    for (int i = 0; i < best.length; i++) if (best[i] >= target) return i + 1;
    return 0;
  }

  private static String label(Map<String, Double> values) {
    StringBuilder s = new StringBuilder();
    values.forEach((k, v) -> s.append(s.isEmpty() ? "" : ",").append(k).append('=').append(v == Math.rint(v) ? Long.toString(v.longValue()) : v.toString()));
    return s.toString();
  }

  static String json(Trainer.Result r) {
    ObjectNode o = new ObjectMapper().createObjectNode();
    o.put("policy", r.policy()).put("arms", r.grid().size()).put("samples", r.samples())
        .put("rmse", r.rmse()).put("reward_sd", r.rewardSd()).put("wall_s", Math.round(r.wallSeconds() * 1000) / 1000.0);
    ArrayNode ws = o.putArray("workloads");
    for (Trainer.WorkloadResult w : r.workloads()) {
      ObjectNode j = ws.addObject().put("label", w.label()).put("kind", w.kind());
      ObjectNode best = j.putObject("best");
      w.best().forEach(best::put);
      j.put("best_arm", r.armLabels().get(w.bestArm())).put("best_reward", w.bestReward())
          .put("worst_arm", r.armLabels().get(w.worstArm())).put("worst_reward", w.worstReward())
          .put("defaults_reward", w.defaultsReward()).put("model_best_arm", r.armLabels().get(w.modelBestArm()))
          .put("failed_runs", w.failedRuns());
      ArrayNode rewards = j.putArray("arm_rewards");
      Arrays.stream(w.meanReward()).forEach(rewards::add);
    }
    ArrayNode bo = o.putArray("bayes");
    for (int i = 0; i < r.bayes().size(); i++) {
      BayesSearch.Result b = r.bayes().get(i);
      ObjectNode j = bo.addObject().put("label", b.label()).put("points", b.points().size()).put("best_reward", b.bestReward());
      ObjectNode best = j.putObject("best");
      b.best().forEach(best::put);
      ArrayNode curve = j.putArray("best_so_far");
      Arrays.stream(b.bestSoFar()).forEach(curve::add);
      ArrayNode pts = j.putArray("tried");
      for (BayesSearch.Point p : b.points()) {
        ObjectNode pj = pts.addObject();
        p.values().forEach(pj::put);
        pj.put("reward", p.meanReward());
      }
      if (!r.workloads().isEmpty()) {
        double g = r.workloads().get(i).bestReward();
        j.put("grid_best_reward", g).put("grid_arms", r.grid().size()).put("points_to_grid_best", pointsToReach(b, g));
      }
    }
    ArrayNode labels = o.putArray("arm_labels");
    r.armLabels().forEach(labels::add);
    if (r.artifact() != null) {
      o.putObject("artifact").put("id", r.artifact().id()).put("name", r.artifact().name()).put("bytes", r.artifact().bytes())
          .put("sha256", r.artifact().sha256()).put("registry", r.registry().toString());
    }
    o.set("lineage", javaland.models.json.JsonCodec.mapper().valueToTree(r.lineage()));
    ArrayNode f = o.putArray("features");
    r.model().featureNames().forEach(f::add);
    return o.toString();
  }
}
