package javaland.trace;

import java.util.Arrays;
import javaland.runtime.kernel.Exemption;

/**
 * What a recording kernel did with the slices of the policy's tasks (exempt tasks left out):
 * the slice each run started with, and for runs that ended still runnable (preempted, slice
 * over) how long they ran and what was left of the slice. A replay ends a slice at the first
 * tick after it is used up; these say whether the recorded kernel did the same (a run far longer
 * than its slice, or one ending with slice left, is something the simulator does not model).
 * Fed on one thread (the recorder's); allocates nothing per event.
 */
public final class SliceStats {
  private static final int MAX = 1 << 16;

  private final PidIndex pids = new PidIndex();
  // Per pid index: exempt or not; the run in progress: its start, its slice, whether it runs.
  private boolean[] exempt = new boolean[64];
  private long[] runStart = new long[64];
  private long[] runSlice = new long[64];
  private boolean[] running = new boolean[64];
  private long[] given = new long[1024];
  private long[] ran = new long[1024];
  private long[] left = new long[1024];
  private long[] overrun = new long[1024];
  private int nGiven;
  private int nPreempted;

  void task(int pid, Exemption e) {
    int i = index(pid); // before naming the array: index() may replace it
    exempt[i] = e.exempt();
  }

  private int index(int pid) {
    int i = pids.add(pid);
    if (i == exempt.length) {
      int n = i * 2;
      exempt = Arrays.copyOf(exempt, n);
      runStart = Arrays.copyOf(runStart, n);
      runSlice = Arrays.copyOf(runSlice, n);
      running = Arrays.copyOf(running, n);
    }
    return i;
  }

  void running(long nowNs, int pid, long sliceNs) {
    int i = index(pid);
    if (exempt[i]) return;
    runStart[i] = nowNs;
    runSlice[i] = sliceNs;
    running[i] = true;
    if (nGiven < MAX) given = add(given, nGiven++, sliceNs);
  }

  void stopping(long nowNs, int pid, boolean stillRunnable, long sliceLeftNs) {
    int i = pids.indexOf(pid);
    if (i < 0 || !running[i]) return;
    running[i] = false;
    if (!stillRunnable || nPreempted >= MAX) return;
    long length = nowNs - runStart[i];
    ran = add(ran, nPreempted, length);
    left = add(left, nPreempted, sliceLeftNs);
    overrun = add(overrun, nPreempted, length - runSlice[i]);
    nPreempted++;
  }

  private static long[] add(long[] a, int i, long v) {
    if (i == a.length) a = Arrays.copyOf(a, a.length * 2);
    a[i] = v;
    return a;
  }

  /** Runs of the policy's tasks seen starting. */
  public int runs() {
    return nGiven;
  }

  /** Of those, the ones that ended still runnable. */
  public int preempted() {
    return nPreempted;
  }

  /** Quantile {@code q} (0..1) of the slices runs started with, ns; 0 without runs. */
  public long givenNs(double q) {
    return quantile(given, nGiven, q);
  }

  /** Quantile of the preempted runs' lengths, ns. */
  public long preemptedRunNs(double q) {
    return quantile(ran, nPreempted, q);
  }

  /** Quantile of the slice left when a run was preempted, ns (0: used up). */
  public long leftNs(double q) {
    return quantile(left, nPreempted, q);
  }

  /** Quantile of how much longer than their slice preempted runs ran, ns (negative: cut short). */
  public long overrunNs(double q) {
    return quantile(overrun, nPreempted, q);
  }

  private static long quantile(long[] a, int n, double q) {
    if (n == 0) return 0;
    long[] s = Arrays.copyOf(a, n);
    Arrays.sort(s);
    return s[(int) Math.min(n - 1, Math.floor(q * n))];
  }

  /** One line for people: "slices p50 2.0 ms ...". */
  public String describe() {
    if (nGiven == 0) return "no runs of the policy's tasks";
    return String.format(java.util.Locale.ROOT,
        "%d runs, slice p10/p50/p90 %.2f/%.2f/%.2f ms; %d preempted: ran p50/p90 %.2f/%.2f ms,"
            + " beyond the slice p50/p90 %.2f/%.2f ms, slice left p50/p90 %.2f/%.2f ms",
        nGiven, givenNs(0.1) / 1e6, givenNs(0.5) / 1e6, givenNs(0.9) / 1e6, nPreempted, preemptedRunNs(0.5) / 1e6,
        preemptedRunNs(0.9) / 1e6, overrunNs(0.5) / 1e6, overrunNs(0.9) / 1e6, leftNs(0.5) / 1e6, leftNs(0.9) / 1e6);
  }
}
