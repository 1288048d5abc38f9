package javaland.learner.classes;

import javaland.api.SharedCommandNames;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javaland.api.TaskProfile;
import javaland.api.TaskProfiles;

/**
 * Proposes a class per process from two {@link TaskProfiles} (the runtime's {@code GET /tasks}
 * at the start and end of a window): the threads of a process (same tgid) are summed, and the
 * process is tested by {@link ClassifierConfig}'s thresholds, latency-critical first. A thread
 * absent from the earlier answer, or whose comm changed (exec, or a reused pid), counts from zero.
 * A process whose command name many unrelated processes share ({@link SharedCommandNames}:
 * {@code java}, {@code python3}, {@code sh}...) gets no proposal.
 */
public final class ClassProposer {
  private final ClassifierConfig config;
  private final int without;

  public ClassProposer(ClassifierConfig config) {
    this(config, 0);
  }

  public ClassProposer() {
    this(ClassifierConfig.DEFAULT);
  }

  private ClassProposer(ClassifierConfig config, int without) {
    this.config = config;
    this.without = without;
  }

  /**
   * The same, leaving out process {@code tgid}: the learner's own, whose class would go by its
   * command name to every process of that name (every {@code java} on the machine).
   */
  public ClassProposer withoutProcess(int tgid) {
    return new ClassProposer(config, tgid);
  }

  private static final class Sum {
    String comm = "";
    boolean leaderSeen;
    int weight = 100;
    int threads;
    long wakeups, involuntary, voluntary, runNs;
  }

  /** The proposals for the window from {@code before} to {@code after}, by tgid; none when the window is shorter than the config's minimum. */
  public List<ClassProposal> propose(TaskProfiles before, TaskProfiles after) {
    double windowS = (after.atNs() - before.atNs()) / 1e9;
    if (!(windowS >= config.minWindowS())) return List.of();
    Map<Integer, TaskProfile> earlier = new HashMap<>();
    for (TaskProfile t : before.tasks()) earlier.put(t.pid(), t);
    Map<Integer, Sum> byProcess = new LinkedHashMap<>();
    for (TaskProfile t : after.tasks()) {
      if (without != 0 && t.tgid() == without) continue;
      TaskProfile b = earlier.get(t.pid());
      if (b != null && !b.comm().equals(t.comm())) b = null;
      Sum s = byProcess.computeIfAbsent(t.tgid(), k -> new Sum());
      s.threads++;
      if (t.pid() == t.tgid() || !s.leaderSeen) {
        s.comm = t.comm();
        s.weight = t.weight();
        s.leaderSeen = t.pid() == t.tgid();
      }
      s.wakeups += t.wakeups() - (b == null ? 0 : b.wakeups());
      s.involuntary += t.involuntary() - (b == null ? 0 : b.involuntary());
      s.voluntary += t.voluntary() - (b == null ? 0 : b.voluntary());
      s.runNs += t.runNs() - (b == null ? 0 : b.runNs());
    }
    List<ClassProposal> out = new ArrayList<>();
    for (Map.Entry<Integer, Sum> e : byProcess.entrySet()) {
      // a class goes by command name: for a name many unrelated processes share, the runtime would refuse it
      if (SharedCommandNames.refusal(e.getValue().comm).isPresent()) continue;
      ClassProposal p = classify(e.getKey(), e.getValue(), windowS);
      if (p != null) out.add(p);
    }
    return out;
  }

  private ClassProposal classify(int tgid, Sum s, double windowS) {
    long ends = s.involuntary + s.voluntary;
    if (ends == 0) return null;
    double wakeupsPerS = s.wakeups / windowS;
    double runPerWakeupUs = s.wakeups == 0 ? Double.POSITIVE_INFINITY : s.runNs / 1e3 / s.wakeups;
    double share = s.runNs / 1e9 / windowS;
    double invol = (double) s.involuntary / ends;
    Map<String, Double> ev = new LinkedHashMap<>();
    ev.put("wakeups_per_s", wakeupsPerS);
    ev.put("run_per_wakeup_us", s.wakeups == 0 ? Double.NaN : runPerWakeupUs);
    ev.put("cpu_share", share);
    ev.put("involuntary_fraction", invol);
    ev.put("weight", (double) s.weight);
    ev.put("window_s", windowS);
    ev.put("threads", (double) s.threads);
    String figures = String.format("%.0f wakeups/s, %.0f us per wakeup, %.2f of a CPU, %.0f%% involuntary",
        wakeupsPerS, runPerWakeupUs, share, 100 * invol);
    ClassifierConfig c = config;
    if (wakeupsPerS >= c.minWakeupsPerS() && runPerWakeupUs <= c.latencyRunUs()
        && invol <= c.latencyInvoluntary() && share < c.latencyMaxShare())
      return new ClassProposal(tgid, s.comm, "latency-critical", ev, "short frequent bursts that block by themselves: " + figures);
    if (wakeupsPerS >= c.minWakeupsPerS() && runPerWakeupUs <= c.interactiveRunUs() && invol <= c.interactiveInvoluntary())
      return new ClassProposal(tgid, s.comm, "interactive", ev, "frequent bursts that mostly block by themselves: " + figures);
    if (share >= c.batchMinShare() && runPerWakeupUs >= c.batchRunUs() && invol >= c.batchInvoluntary()) {
      if (s.weight < 100)
        return new ClassProposal(tgid, s.comm, "background", ev, "CPU-bound and niced (weight " + s.weight + "): " + figures);
      return new ClassProposal(tgid, s.comm, "batch", ev, "CPU-bound, its bursts end by preemption: " + figures);
    }
    return null;
  }
}
