package javaland.runtime.kernel.sim;

import java.util.LinkedHashMap;
import java.util.Map;
import javaland.runtime.kernel.ExitInfo;
import javaland.runtime.kernel.KernelStats;
import org.HdrHistogram.Histogram;

/** Collects a run's measurements; recording allocates nothing (histograms grow rarely, if ever). */
final class SimRecorder {
  private final SimTasks tasks;
  private final int classes;
  private final Histogram delay = histogram();
  private final Histogram[] delayByClass;
  private final Histogram response = histogram();
  private final Histogram[] responseByClass;
  private final long[] activations;
  private final long[] misses;
  long contextSwitches;
  long migrations;
  long workNs;
  long busyNs;

  SimRecorder(SimTasks tasks) {
    this.tasks = tasks;
    classes = tasks.classNames.length;
    delayByClass = new Histogram[classes];
    responseByClass = new Histogram[classes];
    for (int c = 0; c < classes; c++) {
      delayByClass[c] = histogram();
      responseByClass[c] = histogram();
    }
    activations = new long[classes];
    misses = new long[classes];
  }

  private static Histogram histogram() {
    // Auto-resizing: starts small, covers any value; 3 significant digits.
    return new Histogram(3);
  }

  void delay(int t, long ns) {
    delay.recordValue(ns);
    delayByClass[tasks.classId[t]].recordValue(ns);
  }

  void response(int t, long ns) {
    response.recordValue(Math.max(0, ns));
    responseByClass[tasks.classId[t]].recordValue(Math.max(0, ns));
  }

  void activation(int t, long responseNs, boolean missed) {
    response(t, responseNs);
    activations[tasks.classId[t]]++;
    if (missed) misses[tasks.classId[t]]++;
  }

  SimMetrics snapshot(Workload w, int nrCpus, long now, long makespan, long events, KernelStats kernel, ExitInfo exit) {
    Map<String, SimMetrics.ClassMetrics> byClass = new LinkedHashMap<>();
    double fairSum = 0;
    int fairCount = 0;
    long allActivations = 0;
    long allMisses = 0;
    for (int c = 0; c < classes; c++) {
      int n = 0;
      long cpu = 0;
      for (int t = 0; t < tasks.n; t++) {
        if (tasks.classId[t] != c) continue;
        n++;
        cpu += tasks.cpuNs[t];
      }
      double[] fair = jainByWeight(c, now);
      fairSum += fair[0] * fair[1];
      fairCount += (int) fair[1];
      allActivations += activations[c];
      allMisses += misses[c];
      byClass.put(tasks.classNames[c], new SimMetrics.ClassMetrics(n, cpu, fair[0],
          SimMetrics.Latency.of(delayByClass[c]), SimMetrics.Latency.of(responseByClass[c]), activations[c], misses[c]));
    }
    double span = Math.max(1, makespan);
    return new SimMetrics(w.name(), w.seed(), nrCpus, tasks.n, events, makespan, workNs, busyNs,
        workNs / span, busyNs / (span * nrCpus), fairCount == 0 ? 1.0 : fairSum / fairCount,
        contextSwitches, migrations, SimMetrics.Latency.of(delay), SimMetrics.Latency.of(response),
        allActivations, allMisses, byClass, kernel, exit);
  }

  /**
   * Jain's index of CPU share (CPU time over lifetime) within each weight of class {@code c},
   * averaged over the weights by task count: {index, tasks counted}.
   */
  private double[] jainByWeight(int c, long now) {
    Map<Integer, double[]> sums = new LinkedHashMap<>(); // weight -> {sum, sum of squares, count}
    for (int t = 0; t < tasks.n; t++) {
      if (tasks.classId[t] != c || tasks.startNs[t] > now) continue;
      long end = tasks.endNs[t] >= 0 ? tasks.endNs[t] : now;
      long life = end - tasks.startNs[t];
      if (life <= 0) continue;
      double share = (double) tasks.cpuNs[t] / life;
      double[] s = sums.computeIfAbsent(tasks.weight[t], k -> new double[3]);
      s[0] += share;
      s[1] += share * share;
      s[2]++;
    }
    double weighted = 0;
    int count = 0;
    for (double[] s : sums.values()) {
      double j = s[1] == 0 ? 1.0 : s[0] * s[0] / (s[2] * s[1]);
      weighted += j * s[2];
      count += (int) s[2];
    }
    return new double[] {count == 0 ? 1.0 : weighted / count, count};
  }
}
