package javaland.lab.replay;

import java.util.ArrayList;
import java.util.List;
import javaland.runtime.kernel.sim.SimKernel;
import org.HdrHistogram.Histogram;

/**
 * Records the scheduling delays of a simulated run (runnable to running, as
 * {@link javaland.runtime.kernel.sim.SimMetrics#schedDelay()} counts them) into a histogram, for
 * delay CDFs: pass it as {@link Replay.Options#withObserver}. It forwards every callback to
 * {@code next} (a TraceRecorder, say), if given. Not thread-safe: one per run.
 */
public final class DelayHistogram implements SimKernel.Observer {
  private final SimKernel.Observer next;
  private final Histogram histogram = new Histogram(3);
  private long[] since = new long[64];

  public DelayHistogram() {
    this(null);
  }

  public DelayHistogram(SimKernel.Observer next) {
    this.next = next == null ? new SimKernel.Observer() {} : next;
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
  public void runnable(long nowNs, int pid, int cpu, boolean wokeUp) {
    mark(pid, nowNs);
    next.runnable(nowNs, pid, cpu, wokeUp);
  }

  @Override
  public void queued(long nowNs, int pid, long seq, boolean wokeUp) {
    if (!wokeUp) mark(pid, nowNs); // its slice ran out: runnable again from now
    next.queued(nowNs, pid, seq, wokeUp);
  }

  @Override
  public void decided(long nowNs, int pid, long seq, int cpu, long sliceNs, long deadline) {
    next.decided(nowNs, pid, seq, cpu, sliceNs, deadline);
  }

  @Override
  public void fallback(long nowNs, int pid, int reason) {
    if (reason != 0) mark(pid, nowNs); // ring full or congested: queued now (a rescue was queued earlier)
    next.fallback(nowNs, pid, reason);
  }

  @Override
  public void running(long nowNs, int cpu, int pid) {
    int t = pid - SimKernel.PID_BASE;
    if (t >= 0 && t < since.length) histogram.recordValue(Math.max(0, nowNs - since[t]));
    next.running(nowNs, cpu, pid);
  }

  @Override
  public void stopping(long nowNs, int cpu, int pid, long ranNs) {
    next.stopping(nowNs, cpu, pid, ranNs);
  }

  @Override
  public void exited(long nowNs, int pid) {
    next.exited(nowNs, pid);
  }
}
