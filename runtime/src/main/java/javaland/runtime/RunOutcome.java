package javaland.runtime;

import java.time.Duration;
import javaland.runtime.kernel.ExitInfo;
import javaland.runtime.kernel.KernelStats;
import javaland.runtime.loop.PolicyFaults;

/**
 * How a run of the scheduler ended. {@code exit} is null if the kernel never reported one (or
 * we never attached).
 */
public record RunOutcome(String reason, boolean attached, ExitInfo exit, KernelStats stats, long batches, long tasks,
    int largestBatch, long busyNs, long dispatcherCpuNs, long processCpuNs, Duration ran, Throwable failure,
    long[][] schedDelay, PolicyFaults policyFaults) {
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
