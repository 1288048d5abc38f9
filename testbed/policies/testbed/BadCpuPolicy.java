package testbed;

import javaland.sdk.KernelView;
import javaland.sdk.Policy;
import javaland.sdk.WaitingTasks;

/**
 * A policy that decides every task, each for a CPU it may not use (one past the machine's last),
 * for the faults scenario's second harmful hot swap (guest/faults.sh). The kernel half sends each
 * such decision to the shared queue and counts it ({@code bounced}); the canary's guard counts
 * those as the policy's faults and must swap the last-known-good policy back within two windows.
 */
public final class BadCpuPolicy implements Policy {
  @Override
  public String description() {
    return "every decision for a CPU the task may not use (testbed: the faults scenario's harmful swap)";
  }

  @Override
  public void schedule(WaitingTasks tasks, KernelView kernel) {
    int outside = kernel.topology().nrCpus();
    for (int i = 0; i < tasks.size(); i++) tasks.decide(i).cpu(outside).sliceNs(3_000_000);
  }
}
