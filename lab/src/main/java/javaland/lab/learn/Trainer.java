package javaland.lab.learn;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import javaland.lab.experiment.ExperimentRunner;
import javaland.lab.experiment.TraceSource;
import javaland.lab.experiment.WorkloadSource;
import javaland.learner.bandit.ArmGrid;
import javaland.learner.model.TribuoRewardModel;
import javaland.learner.reward.Reward;
import javaland.learner.reward.RewardConfig;
import javaland.models.context.ContextFeatures;
import javaland.models.registry.Lineage;
import javaland.models.registry.ModelArtifact;
import javaland.models.registry.Provenance;
import javaland.models.registry.Registry;
import javaland.sdk.CpuTopology;
import javaland.runtime.kernel.sim.SimConfig;
import javaland.runtime.kernel.sim.Workloads;

/**
 * Offline training ({@code ./javaland train}): every workload (each {@code .jlt} trace of a
 * directory, plus synthetic workloads if asked) is replayed on the simulated kernel under every
 * arm of an {@link ArmGrid} with every seed (brute force), each run scored by the learner's
 * {@link Reward} over the run as one telemetry window ({@link SimWindow}). Per workload the arm
 * with the best mean reward is reported; a {@link TribuoRewardModel} is fitted on all runs and
 * saved into the registry as artifact {@link #artifactName(String)} with its provenance and its
 * {@link Lineage}: every trace with the SHA-256 of its bytes, the synthetic workloads and seeds,
 * the grid, and the javaland build (version, git commit) that trained it.
 *
 * <p>Features of a sample: the workload's context ({@link ContextFeatures#NAMES}, measured under
 * the policy's defaults with the same seed, so the context describes the workload rather than the
 * arm being tried), then every parameter of the policy's schema (policy, then {@code kernel.*}) at
 * the arm's values. The online learner predicts an arm's reward by feeding the current window's
 * context and the arm's full parameter vector in that order ({@link #featureNames}).
 *
 * <p>Deterministic: the same traces, arms, seeds and settings give the same rewards, best arms and
 * model predictions whatever the number of threads.
 */
public final class Trainer {
  /** Registry artifact names: {@code reward-model-POLICY}. */
  public static final String ARTIFACT_PREFIX = "reward-model-";

  public static String artifactName(String policy) {
    return ARTIFACT_PREFIX + policy;
  }

  /**
   * What to train on and how.
   *
   * @param traces directory whose {@code *.jlt} files are replayed (not recursive); null for none
   * @param synthetic synthetic workload names ({@link Workloads#NAMES}) also explored
   * @param syntheticCpus CPUs of the synthetic workloads' machine
   * @param syntheticDurationNs virtual length of a synthetic workload run
   * @param policy the policy whose parameters are explored
   * @param arms parameter name to the values tried ({@link ArmSpec})
   * @param seeds runs per workload and arm, seeds 1..seeds
   * @param threads simulations at once (0: one per processor)
   * @param reward the reward's weights
   * @param model the reward model's training settings (its seed makes the fit repeatable)
   * @param search brute force over the grid, Bayesian optimisation over the grid's ranges ({@link BayesSearch}), or both
   * @param budget evaluations (points, each with every seed) of the Bayesian search per workload
   */
  public record Options(Path traces, List<String> synthetic, int syntheticCpus, long syntheticDurationNs, String policy,
      Map<String, List<Double>> arms, int seeds, int threads, RewardConfig reward, TribuoRewardModel.Settings model,
      Search search, int budget) {
    public Options {
      java.util.Objects.requireNonNull(search, "search");
      if (search != Search.GRID && (budget < 2 || budget > 1000)) {
        throw new IllegalArgumentException("--budget must be within 2..1000, got " + budget);
      }
      synthetic = List.copyOf(synthetic);
      arms = new LinkedHashMap<>(arms);
      if (seeds < 1 || seeds > 1000) throw new IllegalArgumentException("--seeds must be within 1..1000, got " + seeds);
      if (syntheticCpus < 1 || syntheticCpus > 1024) throw new IllegalArgumentException("CPUs must be within 1..1024, got " + syntheticCpus);
      if (threads < 0) throw new IllegalArgumentException("threads must be >= 0, got " + threads);
      for (String s : synthetic) {
        if (!Workloads.NAMES.contains(s)) {
          throw new IllegalArgumentException("unknown synthetic workload '" + s + "'; choose one of " + String.join(", ", Workloads.NAMES));
        }
      }
    }

    /** Brute force over the grid only. */
    public Options(Path traces, List<String> synthetic, int syntheticCpus, long syntheticDurationNs, String policy,
        Map<String, List<Double>> arms, int seeds, int threads, RewardConfig reward, TribuoRewardModel.Settings model) {
      this(traces, synthetic, syntheticCpus, syntheticDurationNs, policy, arms, seeds, threads, reward, model, Search.GRID, 0);
    }

    public static Options defaults(Path traces, String policy) {
      return new Options(traces, List.of(), 4, 300_000_000L, policy, ArmSpec.defaults(policy), 3, 0, RewardConfig.DEFAULT,
          TribuoRewardModel.Settings.DEFAULT);
    }
  }

  /** How parameters are explored: {@code --search grid|bo|both}. */
  public enum Search {
    GRID, BO, BOTH;

    public boolean grid() {
      return this != BO;
    }

    public boolean bo() {
      return this != GRID;
    }
  }

  /**
   * One workload's brute force.
   *
   * @param meanReward per arm, the mean reward over the seeds (NaN if no run could be scored)
   * @param sdReward per arm, the standard deviation over the seeds
   * @param defaultsReward mean reward under the policy's defaults
   * @param failedRuns runs that ended in a stall or deadlock (scored as they are)
   */
  public record WorkloadResult(String label, String kind, String describe, double[] meanReward, double[] sdReward,
      int bestArm, Map<String, Double> best, double bestReward, int worstArm, double worstReward, double defaultsReward,
      int modelBestArm, int failedRuns) {}

  /**
   * Everything trained: per workload the grid's result (none with {@code --search bo}) and the
   * Bayesian search's (none with {@code grid}), the model and where it was saved (null when not
   * saved), and its lineage (the traces with their hashes, the synthetic workloads, the grid, the
   * build), which the artifact keeps.
   */
  public record Result(String policy, ArmGrid grid, List<String> armLabels, List<WorkloadResult> workloads, List<BayesSearch.Result> bayes,
      int samples, TribuoRewardModel model, double rmse, double rewardSd, ModelArtifact artifact, Path registry, String data,
      double wallSeconds, Lineage lineage) {
    /** The lineage as a few lines for people: each trace and its SHA-256, each synthetic workload, the grid, the build. */
    public List<String> describeLineage() {
      return TrainingLineage.describe(lineage);
    }
  }

  // Tribuo logs every fit at INFO on stderr; the command prints its own summary. Held so the
  // setting is not collected with the logger.
  private static final java.util.logging.Logger TRIBUO = java.util.logging.Logger.getLogger("org.tribuo");

  static {
    TRIBUO.setLevel(java.util.logging.Level.WARNING);
  }

  private Trainer() {}

  /** The reward model's inputs, in order: the context, then the policy's full parameter vector. */
  public static List<String> featureNames(ArmGrid grid) {
    List<String> out = new ArrayList<>(ContextFeatures.NAMES);
    out.addAll(grid.names());
    return out;
  }

  /**
   * The {@code .jlt} and {@code .jlt.gz} files of {@code dir} (the VM saves its recordings
   * compressed), sorted by name; throws naming the directory if it cannot be read.
   */
  public static List<Path> traces(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) throw new IllegalArgumentException("--traces " + dir + ": no such directory");
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> {
        String n = p.getFileName().toString();
        return (n.endsWith(".jlt") || n.endsWith(".jlt.gz")) && Files.isRegularFile(p);
      }).sorted().toList();
    }
  }

  /**
   * Explores, fits, and (when {@code registryDir} is not null) saves the model into the registry
   * there. {@code progress} is told about every finished run.
   */
  public static Result train(Options o, Path registryDir, ExperimentRunner.Listener progress) throws Exception {
    long t0 = System.nanoTime();
    ArmGrid grid = ArmSpec.grid(o.policy(), o.arms());
    BayesSearch.Space space = o.search().bo() ? BayesSearch.space(o.policy(), o.arms()) : null;
    List<WorkloadSource> workloads = new ArrayList<>();
    List<Path> files = o.traces() == null ? List.of() : traces(o.traces());
    for (Path f : files) workloads.add(new TraceSource(WorkloadSource.baseName(f), f.toAbsolutePath().normalize(), null));
    for (String s : o.synthetic()) {
      workloads.add(new WorkloadSource.Synthetic(s, s, CpuTopology.flat(o.syntheticCpus()), o.syntheticDurationNs()));
    }
    if (workloads.isEmpty()) {
      throw new IllegalArgumentException(o.traces() == null ? "nothing to train on: give --traces DIR or --synthetic NAMES"
          : "no .jlt traces in " + o.traces() + (o.synthetic().isEmpty() ? " and no --synthetic workloads" : ""));
    }
    // each trace's bytes hashed before it is read and checked after: the lineage names what was read
    List<Lineage.TraceInput> hashed = new ArrayList<>();
    for (Path f : files) hashed.add(TrainingLineage.hash(f));
    for (WorkloadSource w : workloads) {
      try {
        w.prepare();
      } catch (Exception e) {
        throw new IllegalArgumentException("trace " + w.label() + ": " + e.getMessage(), e);
      }
    }
    for (Lineage.TraceInput t : hashed) TrainingLineage.checkUnchanged(t);
    Lineage lineage = TrainingLineage.of(o, hashed);
    Reward reward = new Reward(o.reward());
    int arms = grid.size();
    int cols = arms + 1; // the last column: the policy's defaults, for the context
    int gridCols = o.search().grid() ? cols : 1; // bo alone: only the defaults, for the context
    int total = workloads.size() * (gridCols + (o.search().bo() ? o.budget() : 0)) * o.seeds();
    SimWindow[][][] runs = new SimWindow[workloads.size()][cols][o.seeds()];
    List<BayesSearch.Result> bayes = new ArrayList<>();
    progress.started(total);
    int threads = o.threads() > 0 ? o.threads() : Runtime.getRuntime().availableProcessors();
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(threads, total)), r -> {
      Thread t = new Thread(r, "train-run");
      t.setDaemon(true);
      return t;
    });
    try {
      AtomicInteger done = new AtomicInteger();
      List<Future<?>> futures = new ArrayList<>();
      for (int wi = 0; wi < workloads.size(); wi++) {
        WorkloadSource ws = workloads.get(wi);
        for (int a = 0; a < cols; a++) {
          if (!o.search().grid() && a < arms) continue;
          Map<String, Double> params = a < arms ? grid.parameters(a) : Map.of();
          for (int s = 0; s < o.seeds(); s++) {
            int wi0 = wi;
            int a0 = a;
            int s0 = s;
            futures.add(pool.submit(() -> {
              try {
                runs[wi0][a0][s0] = SimWindow.run(ws.workload(s0 + 1L), SimConfig.of(ws.topology()), o.policy(), params, reward);
              } catch (Exception | Error e) {
                throw new IllegalStateException(ws.label() + " under " + (a0 < arms ? ArmSpec.label(grid, a0, o.arms()) : "defaults")
                    + ", seed " + (s0 + 1) + " failed: " + (e.getMessage() == null ? e.toString() : e.getMessage()), e);
              }
              progress.finished(null, done.incrementAndGet(), total);
              return null;
            }));
          }
        }
      }
      for (Future<?> f : futures) {
        try {
          f.get();
        } catch (ExecutionException e) {
          throw e.getCause() instanceof Exception ex ? ex : e;
        }
      }
      if (o.search().bo()) {
        for (WorkloadSource ws : workloads) {
          bayes.add(BayesSearch.search(ws, space, o.policy(), o.seeds(), o.budget(), reward, o.model().seed(), pool,
              k -> progress.finished(null, done.incrementAndGet(), total)));
        }
      }
    } finally {
      pool.shutdownNow();
    }

    // The samples: context of the workload (under defaults, same seed) + the arm's parameters -> reward.
    List<String> names = featureNames(grid);
    List<double[]> xs = new ArrayList<>();
    List<Double> ys = new ArrayList<>();
    for (int wi = 0; wi < workloads.size(); wi++) {
      for (int a = 0; a < arms && o.search().grid(); a++) {
        for (int s = 0; s < o.seeds(); s++) {
          double y = runs[wi][a][s].reward();
          if (!Double.isFinite(y)) continue;
          xs.add(features(runs[wi][arms][s].context().toArray(), grid.vector(a)));
          ys.add(y);
        }
      }
      for (BayesSearch.Point pt : o.search().bo() ? bayes.get(wi).points() : List.<BayesSearch.Point>of()) {
        double[] v = vector(grid, space, pt.values());
        for (int s = 0; s < o.seeds(); s++) {
          double y = pt.runs()[s].reward();
          if (!Double.isFinite(y)) continue;
          xs.add(features(runs[wi][arms][s].context().toArray(), v));
          ys.add(y);
        }
      }
    }
    String data = describeData(o, files);
    String reason = "offline training on replay: " + workloads.size() + " workloads x " + switch (o.search()) {
      case GRID -> arms + " arms";
      case BO -> o.budget() + " points of a Bayesian search";
      case BOTH -> arms + " arms + " + o.budget() + " points of a Bayesian search";
    } + " x " + o.seeds() + " seeds" + (o.search().grid() ? ", best arm by brute force" : "");
    TribuoRewardModel model = TribuoRewardModel.fit(names, xs.toArray(double[][]::new),
        ys.stream().mapToDouble(Double::doubleValue).toArray(), data, reason, o.model());
    double sse = 0;
    double mean = ys.stream().mapToDouble(Double::doubleValue).average().orElse(0);
    double var = 0;
    for (int i = 0; i < xs.size(); i++) {
      double e = model.predict(xs.get(i)) - ys.get(i);
      sse += e * e;
      var += (ys.get(i) - mean) * (ys.get(i) - mean);
    }
    double rmse = Math.sqrt(sse / xs.size());
    double sd = Math.sqrt(var / xs.size());

    List<WorkloadResult> results = new ArrayList<>();
    for (int wi = 0; wi < workloads.size() && o.search().grid(); wi++) results.add(summarise(workloads.get(wi), runs[wi], grid, o, model));

    ModelArtifact artifact = null;
    Path registryPath = null;
    if (registryDir != null) {
      Registry registry = Registry.open(registryDir, msg -> System.err.println("javaland: registry: " + msg));
      Map<String, Double> figures = new LinkedHashMap<>();
      figures.put("samples", (double) xs.size());
      figures.put("workloads", (double) workloads.size());
      figures.put("arms", o.search().grid() ? (double) arms : 0);
      if (o.search().bo()) figures.put("bo_budget", (double) o.budget());
      figures.put("seeds", (double) o.seeds());
      figures.put("rmse", rmse);
      figures.put("reward_sd", sd);
      Provenance why = new Provenance(Instant.now(), "train", data, modelDescription(o.model(), names), reason, figures);
      artifact = registry.saveArtifact(artifactName(o.policy()), model.toBytes(), why, lineage);
      registryPath = registry.directory();
    }
    return new Result(o.policy(), grid, java.util.stream.IntStream.range(0, arms).mapToObj(a -> ArmSpec.label(grid, a, o.arms())).toList(),
        results, bayes, xs.size(), model, rmse, sd, artifact, registryPath, data, (System.nanoTime() - t0) / 1e9, lineage);
  }

  /** A Bayesian point's full parameter vector in the grid's (schema) order: the point, the held values, else defaults. */
  static double[] vector(ArmGrid grid, BayesSearch.Space space, Map<String, Double> point) {
    Map<String, Double> all = new java.util.HashMap<>(grid.parameters(0));
    all.putAll(space.fixed());
    all.putAll(point);
    List<String> names = grid.names();
    double[] out = new double[names.size()];
    for (int i = 0; i < out.length; i++) out[i] = all.get(names.get(i));
    return out;
  }

  static double[] features(double[] context, double[] params) {
    double[] x = new double[context.length + params.length];
    System.arraycopy(context, 0, x, 0, context.length);
    System.arraycopy(params, 0, x, context.length, params.length);
    return x;
  }

  private static WorkloadResult summarise(WorkloadSource w, SimWindow[][] runs, ArmGrid grid, Options o, TribuoRewardModel model) {
    int arms = grid.size();
    double[] mean = new double[arms];
    double[] sd = new double[arms];
    int failed = 0;
    int best = -1;
    int worst = -1;
    double[] ctx = new double[ContextFeatures.SIZE];
    for (SimWindow[] col : runs) for (SimWindow r : col) if (r.failed()) failed++;
    for (SimWindow r : runs[arms]) {
      double[] c = r.context().toArray();
      for (int i = 0; i < ctx.length; i++) ctx[i] += c[i] / runs[arms].length;
    }
    int modelBest = 0;
    double modelBestValue = Double.NEGATIVE_INFINITY;
    for (int a = 0; a < arms; a++) {
      double s = 0;
      double sq = 0;
      int n = 0;
      for (SimWindow r : runs[a]) {
        if (!Double.isFinite(r.reward())) continue;
        s += r.reward();
        sq += r.reward() * r.reward();
        n++;
      }
      mean[a] = n == 0 ? Double.NaN : s / n;
      sd[a] = n == 0 ? Double.NaN : Math.sqrt(Math.max(0, sq / n - mean[a] * mean[a]));
      if (n > 0 && (best < 0 || mean[a] > mean[best])) best = a;
      if (n > 0 && (worst < 0 || mean[a] < mean[worst])) worst = a;
      double p = model.predict(features(ctx, grid.vector(a)));
      if (p > modelBestValue) {
        modelBestValue = p;
        modelBest = a;
      }
    }
    double def = 0;
    int n = 0;
    for (SimWindow r : runs[arms]) {
      if (Double.isFinite(r.reward())) {
        def += r.reward();
        n++;
      }
    }
    if (best < 0) throw new IllegalStateException(w.label() + ": no run could be scored (no scheduling delays at all)");
    return new WorkloadResult(w.label(), w.kind(), w.describe(), mean, sd, best, ArmSpec.varied(grid, best, o.arms()),
        mean[best], worst, mean[worst], n == 0 ? Double.NaN : def / n, modelBest, failed);
  }

  private static String describeData(Options o, List<Path> files) {
    StringBuilder s = new StringBuilder("replay on the simulated kernel of ");
    if (!files.isEmpty()) {
      s.append("traces ").append(o.traces().toAbsolutePath().normalize()).append(" [");
      for (int i = 0; i < files.size(); i++) s.append(i == 0 ? "" : ", ").append(files.get(i).getFileName());
      s.append(']');
    }
    if (!o.synthetic().isEmpty()) {
      s.append(files.isEmpty() ? "" : " and ").append("synthetic ").append(String.join(", ", o.synthetic())).append(" (")
          .append(o.syntheticCpus()).append(" CPUs, ").append(o.syntheticDurationNs() / 1_000_000).append(" ms)");
    }
    s.append("; seeds 1..").append(o.seeds()).append("; arms ").append(o.arms());
    if (o.search().bo()) s.append("; search ").append(o.search().name().toLowerCase(java.util.Locale.ROOT)).append(", budget ").append(o.budget());
    return s.toString();
  }

  private static String modelDescription(TribuoRewardModel.Settings s, List<String> names) {
    return "tribuo FMRegressionTrainer (factorisation machine, standardised inputs): epochs " + s.epochs() + ", learning rate "
        + s.learningRate() + ", factors " + s.factors() + ", seed " + s.seed() + "; features " + String.join(",", names);
  }
}
