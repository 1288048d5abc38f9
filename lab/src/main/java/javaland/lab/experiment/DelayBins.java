package javaland.lab.experiment;

import java.util.Arrays;
import javaland.runtime.kernel.SchedEventListener;
import javaland.runtime.kernel.sim.SimKernel;
import javaland.runtime.kernel.sim.Workload;
import org.HdrHistogram.Histogram;

/**
 * A scheduling-delay distribution in log-spaced bins, small enough to keep for every run and
 * merge across seeds (for the CDF plots). Bin 0 holds delays up to {@link #FLOOR_NS} (the idle
 * fast path gives many zeros); then {@link #PER_DECADE} bins per decade up to 100 s, the last bin
 * taking everything above.
 */
public final class DelayBins {
  public static final long FLOOR_NS = 1_000;
  public static final int PER_DECADE = 20;
  public static final int DECADES = 8;
  public static final int BINS = 1 + PER_DECADE * DECADES + 1;

  private DelayBins() {}

  /** Upper edge of bin {@code i} in ns (the last bin's is its lower edge: it takes everything above). */
  public static double upperNs(int i) {
    if (i == 0) return FLOOR_NS;
    return FLOOR_NS * Math.pow(10, Math.min(i, BINS - 2) / (double) PER_DECADE);
  }

  static int binOf(long ns) {
    if (ns <= FLOOR_NS) return 0;
    int i = (int) Math.ceil(Math.log10((double) ns / FLOOR_NS) * PER_DECADE - 1e-9);
    return Math.clamp(i, 1, BINS - 1);
  }

  static long[] of(Histogram h) {
    long[] bins = new long[BINS];
    for (var v : h.recordedValues()) bins[binOf(v.getValueIteratedTo())] += v.getCountAtValueIteratedTo();
    return bins;
  }

  static long[] merge(Iterable<long[]> all) {
    long[] out = new long[BINS];
    for (long[] b : all) for (int i = 0; i < BINS; i++) out[i] += b[i];
    return out;
  }

  /** Cumulative fractions, one per bin (all zero if there were no delays). */
  public static double[] cdf(long[] bins) {
    long total = Arrays.stream(bins).sum();
    double[] out = new double[bins.length];
    long run = 0;
    for (int i = 0; i < bins.length; i++) {
      run += bins[i];
      out[i] = total == 0 ? 0 : (double) run / total;
    }
    return out;
  }

  /**
   * Records each task's scheduling delay from the kernel's events, the way the simulator measures
   * it: runnable since a wakeup or a fork, or since it stopped still runnable (its slice ran out,
   * it was preempted), until it runs. Cheap: an array store per event and a histogram add per run.
   */
  static final class Recorder implements SchedEventListener {
    private final long[] since;
    final Histogram delays = new Histogram(2);

    Recorder(Workload w) {
      since = new long[w.tasks().size()];
    }

    @Override
    public void runnable(long nowNs, int cpu, int pid, int wakerPid, boolean wokeUp) {
      since[pid - SimKernel.PID_BASE] = nowNs;
    }

    @Override
    public void stopping(long nowNs, int cpu, int pid, boolean stillRunnable, boolean dead, long sliceLeftNs) {
      if (stillRunnable) since[pid - SimKernel.PID_BASE] = nowNs;
    }

    @Override
    public void running(long nowNs, int cpu, int pid, long sliceNs) {
      delays.recordValue(Math.max(0, nowNs - since[pid - SimKernel.PID_BASE]));
    }
  }
}
