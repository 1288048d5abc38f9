package javaland.runtime.kernel.sim;

import javaland.runtime.kernel.KernelParams;
import javaland.sdk.CpuTopology;

/**
 * The simulated machine and the costs of the user-space round trip, all in virtual ns.
 *
 * @param topology CPUs, SMT siblings and LLCs
 * @param params the kernel half's knobs at start (the dispatch loop may change them with tune())
 * @param wakeLatencyNs from the kernel waking the sleeping dispatch thread to it reading the ring
 * @param roundTripNs from poll() returning a batch to the kernel applying its decisions, fixed part
 * @param decideNsPerTask added to the round trip per task in the batch; the dispatch thread is
 *     busy for this long per task before it can read the next batch
 * @param switchCostNs CPU time a context switch costs (busy, but no work done)
 * @param ringCapacity records the task ring holds (the BPF ring: 1 MiB of 88-byte records)
 * @param watchdogNs how long a runnable task may wait before the scheduler is kicked out
 * @param horizonNs virtual time at which the run stops, finished or not (Long.MAX_VALUE: never)
 * @param pace 0 runs as fast as possible; s > 0 keeps virtual time from running ahead of
 *     wall-clock time multiplied by s (1 = real time, for a live demo)
 * @param tickNs the kernel's tick (1 s / CONFIG_HZ): sched_ext takes a CPU from a task whose slice
 *     ran out only at a tick, so a slice ends at the first tick boundary (multiples of tickNs of
 *     virtual time) at or after it runs out; 0: slices end to the ns
 */
public record SimConfig(
    CpuTopology topology,
    KernelParams params,
    long wakeLatencyNs,
    long roundTripNs,
    long decideNsPerTask,
    long switchCostNs,
    int ringCapacity,
    long watchdogNs,
    long horizonNs,
    double pace,
    long tickNs) {

  public static final long DEFAULT_WAKE_LATENCY_NS = 5_000;
  public static final long DEFAULT_ROUND_TRIP_NS = 20_000;
  public static final long DEFAULT_DECIDE_NS_PER_TASK = 250;
  public static final int DEFAULT_RING_CAPACITY = (1 << 20) / 88;
  public static final long DEFAULT_WATCHDOG_NS = 5_000_000_000L;

  public SimConfig {
    if (topology == null || params == null) throw new IllegalArgumentException("topology and params are required");
    if (wakeLatencyNs < 0 || roundTripNs < 0 || decideNsPerTask < 0 || switchCostNs < 0) {
      throw new IllegalArgumentException("costs must be >= 0");
    }
    if (ringCapacity < 1) throw new IllegalArgumentException("ringCapacity must be >= 1");
    if (watchdogNs < 1) throw new IllegalArgumentException("watchdogNs must be > 0");
    if (horizonNs < 0) throw new IllegalArgumentException("horizonNs must be >= 0");
    if (!(pace >= 0) || Double.isInfinite(pace)) throw new IllegalArgumentException("pace must be a finite number >= 0");
    if (tickNs < 0) throw new IllegalArgumentException("tickNs must be >= 0, got " + tickNs);
  }

  public static SimConfig of(int nrCpus) {
    return of(CpuTopology.flat(nrCpus));
  }

  public static SimConfig of(CpuTopology topology) {
    return new SimConfig(topology, KernelParams.defaults(), DEFAULT_WAKE_LATENCY_NS, DEFAULT_ROUND_TRIP_NS,
        DEFAULT_DECIDE_NS_PER_TASK, 0, DEFAULT_RING_CAPACITY, DEFAULT_WATCHDOG_NS, Long.MAX_VALUE, 0, 0);
  }

  /**
   * {@code llcs} cache domains of {@code coresPerLlc} cores of {@code threadsPerCore} SMT threads;
   * siblings get adjacent CPU numbers. Ids are each group's lowest CPU, as {@code SysfsTopology} reads them.
   */
  public static CpuTopology topology(int llcs, int coresPerLlc, int threadsPerCore) {
    if (llcs < 1 || coresPerLlc < 1 || threadsPerCore < 1) throw new IllegalArgumentException("counts must be >= 1");
    int nr = llcs * coresPerLlc * threadsPerCore;
    int[] core = new int[nr];
    int[] llc = new int[nr];
    for (int cpu = 0; cpu < nr; cpu++) {
      core[cpu] = cpu - cpu % threadsPerCore;
      int perLlc = coresPerLlc * threadsPerCore;
      llc[cpu] = cpu - cpu % perLlc;
    }
    return new CpuTopology(nr, core, llc);
  }

  public SimConfig withParams(KernelParams t) {
    return new SimConfig(topology, t, wakeLatencyNs, roundTripNs, decideNsPerTask, switchCostNs, ringCapacity, watchdogNs, horizonNs, pace, tickNs);
  }

  public SimConfig withRoundTrip(long roundTripNs, long decideNsPerTask) {
    return new SimConfig(topology, params, wakeLatencyNs, roundTripNs, decideNsPerTask, switchCostNs, ringCapacity, watchdogNs, horizonNs, pace, tickNs);
  }

  public SimConfig withWakeLatency(long ns) {
    return new SimConfig(topology, params, ns, roundTripNs, decideNsPerTask, switchCostNs, ringCapacity, watchdogNs, horizonNs, pace, tickNs);
  }

  public SimConfig withSwitchCost(long ns) {
    return new SimConfig(topology, params, wakeLatencyNs, roundTripNs, decideNsPerTask, ns, ringCapacity, watchdogNs, horizonNs, pace, tickNs);
  }

  public SimConfig withRingCapacity(int records) {
    return new SimConfig(topology, params, wakeLatencyNs, roundTripNs, decideNsPerTask, switchCostNs, records, watchdogNs, horizonNs, pace, tickNs);
  }

  public SimConfig withWatchdog(long ns) {
    return new SimConfig(topology, params, wakeLatencyNs, roundTripNs, decideNsPerTask, switchCostNs, ringCapacity, ns, horizonNs, pace, tickNs);
  }

  public SimConfig withHorizon(long ns) {
    return new SimConfig(topology, params, wakeLatencyNs, roundTripNs, decideNsPerTask, switchCostNs, ringCapacity, watchdogNs, ns, pace, tickNs);
  }

  /** Paced: virtual time runs at most {@code speed} times as fast as wall-clock time. */
  public SimConfig paced(double speed) {
    if (!(speed > 0)) throw new IllegalArgumentException("speed must be > 0");
    return new SimConfig(topology, params, wakeLatencyNs, roundTripNs, decideNsPerTask, switchCostNs, ringCapacity, watchdogNs, horizonNs, speed, tickNs);
  }

  /** The first tick at or after {@code t}: where the kernel notices a slice ran out (t itself when tickNs is 0). */
  long atTick(long t) {
    if (tickNs == 0 || t == SimTime.NEVER) return t;
    long r = t % tickNs;
    return r == 0 ? t : SimTime.satAdd(t, tickNs - r);
  }

  /** Slices end at the first tick boundary after they run out (see {@code tickNs}); 0: exactly. */
  public SimConfig withTick(long ns) {
    return new SimConfig(topology, params, wakeLatencyNs, roundTripNs, decideNsPerTask, switchCostNs, ringCapacity, watchdogNs, horizonNs, pace, ns);
  }
}
