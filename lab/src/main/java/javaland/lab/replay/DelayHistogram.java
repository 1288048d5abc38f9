package javaland.lab.replay;

import java.util.ArrayList;
import java.util.List;
import javaland.runtime.kernel.Exemption;
import javaland.runtime.kernel.SchedEventListener;
import javaland.runtime.kernel.sim.SimKernel;
import org.HdrHistogram.Histogram;

/**
 * Records the scheduling delays of a simulated run (runnable, or stopped still runnable, to
 * running, as {@link javaland.runtime.kernel.sim.SimMetrics#schedDelay()} counts them) into a
 * histogram, for delay CDFs: pass it as {@link Replay.Options#withListener}. It forwards every
 * event to {@code next} (a SchedEventRecorder, say), if given. Not thread-safe: one per run.
 */
public final class DelayHistogram implements SchedEventListener {
  private final SchedEventListener next;
  private final Histogram histogram = new Histogram(3);
  private long[] since = new long[64];

  public DelayHistogram() {
    this(null);
  }

  public DelayHistogram(SchedEventListener next) {
    this.next = next == null ? SchedEventListener.NONE : next;
  }

  /** The delays so far, in ns (3 significant digits). */
  public Histogram histogram() {
    return histogram;
  }

  /** Points of the CDF: {delay in us, fraction of delays at most that}, one per distinct recorded value. */
  public List<double[]> cdfMicros() {
    List<double[]> out = new ArrayList<>();
    long total = histogram.getTotalCount();
    if (total == 0) return out;
    long seen = 0;
    for (var v : histogram.recordedValues()) {
      seen += v.getCountAtValueIteratedTo();
      out.add(new double[] {histogram.highestEquivalentValue(v.getValueIteratedTo()) / 1e3, (double) seen / total});
    }
    return out;
  }

  private void mark(int pid, long nowNs) {
    int t = pid - SimKernel.PID_BASE;
    if (t < 0) return;
    if (t >= since.length) since = java.util.Arrays.copyOf(since, Math.max(t + 1, since.length * 2));
    since[t] = nowNs;
  }

  @Override
  public void task(int pid, int tgid, String comm, int weight, Exemption exempt) {
    next.task(pid, tgid, comm, weight, exempt);
  }

  @Override
  public void runnable(long nowNs, int cpu, int pid, int wakerPid, boolean wokeUp) {
    mark(pid, nowNs);
    next.runnable(nowNs, cpu, pid, wakerPid, wokeUp);
  }

  @Override
  public void running(long nowNs, int cpu, int pid, long sliceNs) {
    int t = pid - SimKernel.PID_BASE;
    if (t >= 0 && t < since.length) histogram.recordValue(Math.max(0, nowNs - since[t]));
    next.running(nowNs, cpu, pid, sliceNs);
  }

  @Override
  public void stopping(long nowNs, int cpu, int pid, boolean stillRunnable, boolean dead, long sliceLeftNs) {
    if (stillRunnable) mark(pid, nowNs); // its slice ran out, or it was preempted: runnable again from now
    next.stopping(nowNs, cpu, pid, stillRunnable, dead, sliceLeftNs);
  }

  @Override
  public void lost(long nowNs, long count) {
    next.lost(nowNs, count);
  }
}
