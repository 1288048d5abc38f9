package testbed;

import javaland.sdk.KernelView;
import javaland.sdk.Policy;
import javaland.sdk.WaitingTasks;

/**
 * A policy with a rare bug, for the faults scenario's first harmful hot swap (guest/faults.sh): it
 * decides like FIFO but throws on every 100th batch before deciding it. The kernel half rescues
 * that batch's tasks, and the canary's guard (a well-behaved last-known-good has no faults, so one
 * is enough) must swap the last-known-good policy back within two windows.
 */
public final class ThrowingPolicy implements Policy {
  private long batches;

  @Override
  public String description() {
    return "throws on every 100th batch (testbed: the faults scenario's harmful swap)";
  }

  @Override
  public void schedule(WaitingTasks tasks, KernelView kernel) {
    if (++batches % 100 == 0) throw new IllegalStateException("throwing: batch " + batches);
    for (int i = 0; i < tasks.size(); i++) tasks.decide(i).sliceNs(3_000_000);
  }
}
