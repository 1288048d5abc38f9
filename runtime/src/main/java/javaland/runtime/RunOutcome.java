package javaland.runtime;

import java.time.Duration;
import java.util.List;
import javaland.runtime.kernel.ExitInfo;
import javaland.runtime.kernel.KernelStats;
import javaland.runtime.kernel.ProgramCost;
import javaland.runtime.loop.PolicyFaults;
import javaland.runtime.loop.RoundTripStages;

/**
 * How a run of the scheduler ended. {@code exit} is null if the kernel never reported one (or
 * we never attached). {@code programs}: what the kernel half's BPF programs cost, read just before
 * detaching (empty without BPF run-time statistics). {@code stages}: where the round trips Java
 * decided went, up to the decision written. {@code gaveUp}: the kernel unloaded the
 * scheduler once too often within the restart window ({@code Restarts}), and it stays off.
 */
public record RunOutcome(String reason, boolean attached, ExitInfo exit, KernelStats stats, long batches, long tasks,
    int largestBatch, long busyNs, long dispatcherCpuNs, long processCpuNs, Duration ran, Throwable failure,
    long[][] schedDelay, List<ProgramCost> programs, PolicyFaults policyFaults, RoundTripStages.Snapshot stages, boolean gaveUp) {
  /** Exit code: the run ended as asked (detached on purpose, workload done, stopped before attaching). */
  public static final int DONE = 0;
  /** Exit code: the run failed (the dispatch loop died of a JVM error, or the scheduler could not be started). */
  public static final int FAILED = 1;
  /** Exit code: the kernel unloaded the scheduler (a stall, an error, sysrq-S); 2 is the CLI's usage error. */
  public static final int UNLOADED = 3;
  /** Exit code: the kernel unloaded the scheduler too often within {@code --unload-window}; the run gave up restarting. */
  public static final int GAVE_UP = 4;

  /** The same outcome, marked as the end of a run that gave up restarting. */
  public RunOutcome givenUp(String why) {
    return new RunOutcome(why, attached, exit, stats, batches, tasks, largestBatch, busyNs, dispatcherCpuNs, processCpuNs, ran,
        failure, schedDelay, programs, policyFaults, stages, true);
  }

  /** Exit code for the CLI (docs/operations.md#exit-codes). */
  public int exitCode() {
    if (failure != null) return FAILED;
    if (gaveUp) return GAVE_UP;
    if (!attached) return DONE;
    return exit != null && exit.isCleanEnd() ? DONE : UNLOADED;
  }
}
