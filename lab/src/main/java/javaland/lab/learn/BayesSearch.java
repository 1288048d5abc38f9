package javaland.lab.learn;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;
import javaland.lab.experiment.WorkloadSource;
import javaland.learner.model.BayesianOptimizer;
import javaland.learner.reward.Reward;
import javaland.sdk.Parameter;
import javaland.runtime.kernel.sim.SimConfig;

/**
 * {@code train --search bo}: Bayesian optimisation of one workload's mean reward over continuous
 * ranges of the parameters {@code --arms} varies ({@link BayesianOptimizer}: a Smile Gaussian
 * process and expected improvement). A parameter's range is the min..max of its {@code --arms}
 * values; one given a single value is held there. Values are rounded to whole numbers when the
 * parameter's {@code --arms} values all are (microseconds, switches). A range from a positive
 * minimum to more than 10 times it (a slice of 250..20000 µs) is searched on a log scale, where
 * the process's single length scale fits it: halving a slice matters alike at either end. One
 * evaluation is the
 * workload replayed under the point with every seed, scored as the grid's arms are (mean over
 * seeds), so BO's and the grid's rewards compare directly.
 */
public final class BayesSearch {
  /** One point tried: the varied parameters' values, the mean reward over seeds (NaN: none scored), the runs. */
  public record Point(Map<String, Double> values, double meanReward, SimWindow[] runs) {}

  /**
   * A workload's search.
   *
   * @param points in the order tried
   * @param best the best point's varied values; {@code bestReward} its mean reward
   * @param bestSoFar after each evaluation, the best mean reward so far
   */
  public record Result(String label, List<Point> points, Map<String, Double> best, double bestReward, double[] bestSoFar) {}

  /**
   * What is searched: the ranges (as parameters with narrowed min..max; in logs for those in
   * {@code logScale}), those rounded, and those held.
   */
  public record Space(List<Parameter> ranges, List<String> integral, List<String> logScale, Map<String, Double> fixed) {
    public Space {
      ranges = List.copyOf(ranges);
      integral = List.copyOf(integral);
      logScale = List.copyOf(logScale);
      fixed = Map.copyOf(fixed);
    }

    /** The optimiser's point (logs where searched so) as parameter values, rounded where integral. */
    Map<String, Double> values(Map<String, Double> point) {
      Map<String, Double> out = new TreeMap<>();
      for (Parameter p : ranges) {
        double v = point.get(p.name());
        if (logScale.contains(p.name())) v = Math.exp(v);
        if (integral.contains(p.name())) v = Math.rint(v);
        double lo = logScale.contains(p.name()) ? Math.exp(p.min()) : p.min();
        double hi = logScale.contains(p.name()) ? Math.exp(p.max()) : p.max();
        out.put(p.name(), Math.min(Math.rint(hi * 1e9) / 1e9, Math.max(Math.rint(lo * 1e9) / 1e9, v)));
      }
      return out;
    }

    /** Parameter values back in the optimiser's coordinates. */
    Map<String, Double> coordinates(Map<String, Double> values) {
      Map<String, Double> out = new TreeMap<>();
      for (Parameter p : ranges) {
        double v = values.get(p.name());
        v = logScale.contains(p.name()) ? Math.log(v) : v;
        out.put(p.name(), Math.min(p.max(), Math.max(p.min(), v)));
      }
      return out;
    }
  }

  private BayesSearch() {}

  /** The space of {@code arms} over {@code policy}'s schema; error if no parameter has two values. */
  public static Space space(String policy, Map<String, List<Double>> arms) {
    ArmSpec.grid(policy, arms); // names and values checked against the schema
    Map<String, Parameter> schema = new LinkedHashMap<>();
    for (Parameter p : ArmSpec.schema(policy)) schema.put(p.name(), p);
    List<Parameter> ranges = new ArrayList<>();
    List<String> integral = new ArrayList<>();
    List<String> logScale = new ArrayList<>();
    Map<String, Double> fixed = new TreeMap<>();
    for (Map.Entry<String, List<Double>> e : arms.entrySet()) {
      double lo = e.getValue().stream().mapToDouble(Double::doubleValue).min().orElseThrow();
      double hi = e.getValue().stream().mapToDouble(Double::doubleValue).max().orElseThrow();
      if (hi == lo) {
        fixed.put(e.getKey(), lo);
        continue;
      }
      Parameter p = schema.get(e.getKey());
      double def = Math.min(hi, Math.max(lo, p.defaultValue()));
      if (lo > 0 && hi > 10 * lo) {
        logScale.add(p.name());
        ranges.add(Parameter.of(p.name(), Math.log(lo), Math.log(hi), Math.log(def), "log " + p.unit(), p.meaning()));
      } else {
        ranges.add(Parameter.of(p.name(), lo, hi, def, p.unit(), p.meaning()));
      }
      if (e.getValue().stream().allMatch(v -> v == Math.rint(v))) integral.add(p.name());
    }
    if (ranges.isEmpty()) throw new IllegalArgumentException("--search bo: --arms gives no parameter two values, so there is no range to search");
    return new Space(ranges, integral, logScale, fixed);
  }

  /**
   * Searches one workload with {@code budget} evaluations; each runs the seeds on {@code pool}.
   * {@code finishedRun} is told about every run. Deterministic for a given seed.
   */
  public static Result search(WorkloadSource ws, Space space, String policy, int seeds, int budget, Reward reward, long seed,
      ExecutorService pool, IntConsumer finishedRun) throws Exception {
    if (budget < 2) throw new IllegalArgumentException("--budget must be at least 2, got " + budget);
    BayesianOptimizer bo = new BayesianOptimizer(space.ranges(), 0.2, 1e-3, Math.max(2, Math.min(5, budget / 3)), 2000, seed);
    List<Point> points = new ArrayList<>();
    double[] bestSoFar = new double[budget];
    int best = -1;
    for (int i = 0; i < budget; i++) {
      Map<String, Double> x = space.values(bo.suggest());
      Map<String, Double> params = new TreeMap<>(space.fixed());
      params.putAll(x);
      SimWindow[] runs = new SimWindow[seeds];
      List<Future<?>> fs = new ArrayList<>();
      for (int s = 0; s < seeds; s++) {
        int s0 = s;
        fs.add(pool.submit(() -> {
          try {
            runs[s0] = SimWindow.run(ws.workload(s0 + 1L), SimConfig.of(ws.topology()), policy, params, reward);
          } catch (Exception | Error e) {
            throw new IllegalStateException(ws.label() + " under " + params + ", seed " + (s0 + 1) + " failed: "
                + (e.getMessage() == null ? e.toString() : e.getMessage()), e);
          }
          finishedRun.accept(1);
          return null;
        }));
      }
      for (Future<?> f : fs) {
        try {
          f.get();
        } catch (ExecutionException e) {
          throw e.getCause() instanceof Exception ex ? ex : e;
        }
      }
      double sum = 0;
      int n = 0;
      for (SimWindow r : runs) {
        if (Double.isFinite(r.reward())) {
          sum += r.reward();
          n++;
        }
      }
      double mean = n == 0 ? Double.NaN : sum / n;
      points.add(new Point(x, mean, runs));
      if (Double.isFinite(mean)) {
        bo.observe(space.coordinates(x), mean); // a point no run could score teaches the process nothing
        if (best < 0 || mean > points.get(best).meanReward()) best = i;
      }
      bestSoFar[i] = best < 0 ? Double.NaN : points.get(best).meanReward();
    }
    if (best < 0) throw new IllegalStateException(ws.label() + ": no run of the Bayesian search could be scored (no scheduling delays at all)");
    return new Result(ws.label(), points, points.get(best).values(), points.get(best).meanReward(), bestSoFar);
  }
}
