package javaland.runtime;

import java.time.Duration;
import java.util.List;
import javaland.runtime.kernel.ExitInfo;
import javaland.runtime.kernel.KernelStats;
import javaland.runtime.kernel.ProgramCost;

/**
 * How a run of the scheduler ended. {@code exit} is null if the kernel never reported one (or
 * we never attached). {@code programs}: what the kernel half's BPF programs cost, read just before
 * detaching (empty without BPF run-time statistics).
 */
public record RunOutcome(String reason, boolean attached, ExitInfo exit, KernelStats stats, long batches, long tasks,
    int largestBatch, long busyNs, long dispatcherCpuNs, long processCpuNs, Duration ran, Throwable failure,
    long[][] schedDelay, List<ProgramCost> programs) {
  /**
   * Exit code for the CLI: 0 when we detached on purpose, the (simulated) workload finished or
   * we were stopped before attaching; 1 when the kernel threw us out or the policy failed.
   */
  public int exitCode() {
    if (failure != null) return 1;
    if (!attached) return 0;
    return exit != null && exit.isCleanEnd() ? 0 : 1;
  }
}
