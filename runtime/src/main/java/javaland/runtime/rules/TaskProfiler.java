package javaland.runtime.rules;

import java.util.ArrayList;
import java.util.List;
import javaland.api.TaskProfile;
import javaland.api.TaskProfiles;
import javaland.runtime.kernel.Exemption;
import javaland.runtime.kernel.SchedEventListener;

/**
 * Per-task counters from the kernel's scheduling events (wakeups, bursts, voluntary and
 * involuntary switches, CPU time, weight), the evidence the learner classifies processes by
 * ({@code javaland.learner.classes}). On the simulated kernel the events arrive on the dispatch
 * thread, so an event allocates nothing: a fixed open-addressing table of primitive columns. A
 * task the table has no room for is counted in {@code dropped}, never merged into another one.
 * Exempt tasks (the scheduler's own threads, per-CPU kthreads) are not profiled: no rule applies
 * to them.
 */
public final class TaskProfiler implements SchedEventListener {
  private static final int EMPTY = 0;
  private final int mask;
  private final int[] pid;
  private final int[] tgid;
  private final int[] weight;
  private final String[] comm;
  private final long[] wakeups;
  private final long[] bursts;
  private final long[] involuntary;
  private final long[] voluntary;
  private final long[] runNs;
  private final long[] runningSince;
  private int used;
  private long dropped;
  private long lastNs;

  /** A table for up to {@code capacity} tasks (rounded up to a power of two, half of it filled at most). */
  public TaskProfiler(int capacity) {
    if (capacity < 1) throw new IllegalArgumentException("profiler capacity must be >= 1, got " + capacity);
    int size = Integer.highestOneBit(Math.max(2, capacity * 2 - 1)) << 1;
    mask = size - 1;
    pid = new int[size];
    tgid = new int[size];
    weight = new int[size];
    comm = new String[size];
    wakeups = new long[size];
    bursts = new long[size];
    involuntary = new long[size];
    voluntary = new long[size];
    runNs = new long[size];
    runningSince = new long[size];
  }

  public TaskProfiler() {
    this(8192);
  }

  /** The slot of {@code p}, made if {@code create}; -1 when absent (or the table is full). */
  private int slot(int p, boolean create) {
    if (p == EMPTY) return -1;
    int i = (p * 0x9E3779B9) >>> 7 & mask;
    while (true) {
      if (pid[i] == p) return i;
      if (pid[i] == EMPTY) {
        if (!create) return -1;
        if (used >= (mask + 1) / 2) {
          dropped++;
          return -1;
        }
        used++;
        pid[i] = p;
        tgid[i] = p;
        weight[i] = 100;
        comm[i] = "";
        runningSince[i] = -1;
        return i;
      }
      i = (i + 1) & mask;
    }
  }

  @Override
  public synchronized void task(int p, int tg, String c, int w, Exemption exempt) {
    if (exempt != null && exempt != Exemption.NONE) return;
    int i = slot(p, true);
    if (i < 0) return;
    tgid[i] = tg;
    comm[i] = c;
    weight[i] = w;
  }

  @Override
  public synchronized void runnable(long nowNs, int cpu, int p, int wakerPid, boolean wokeUp) {
    lastNs = Math.max(lastNs, nowNs);
    if (!wokeUp) return;
    int i = slot(p, false);
    if (i >= 0) wakeups[i]++;
  }

  @Override
  public synchronized void running(long nowNs, int cpu, int p, long sliceNs) {
    lastNs = Math.max(lastNs, nowNs);
    int i = slot(p, false);
    if (i >= 0) runningSince[i] = nowNs;
  }

  @Override
  public synchronized void stopping(long nowNs, int cpu, int p, boolean stillRunnable, boolean dead, long sliceLeftNs) {
    lastNs = Math.max(lastNs, nowNs);
    int i = slot(p, false);
    if (i < 0 || runningSince[i] < 0) return;
    runNs[i] += Math.max(0, nowNs - runningSince[i]);
    runningSince[i] = -1;
    bursts[i]++;
    if (stillRunnable) involuntary[i]++;
    else voluntary[i]++;
  }

  /** Every profiled task at the latest event's time; allocates, so call it off the dispatch thread. */
  public synchronized TaskProfiles snapshot(int cpus) {
    List<TaskProfile> out = new ArrayList<>(used);
    for (int i = 0; i <= mask; i++) {
      if (pid[i] == EMPTY) continue;
      out.add(new TaskProfile(pid[i], tgid[i], comm[i], weight[i], wakeups[i], bursts[i], involuntary[i], voluntary[i], runNs[i]));
    }
    out.sort((a, b) -> Integer.compare(a.pid(), b.pid()));
    return new TaskProfiles(lastNs, cpus, dropped, out);
  }
}
