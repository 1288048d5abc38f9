package testbed;

import javaland.sdk.KernelView;
import javaland.sdk.Policy;
import javaland.sdk.WaitingTasks;

/**
 * A policy with a bug on its only path, for the faults scenario's harmful hot swap
 * (guest/faults.sh): it throws on every batch before deciding anything. The kernel half rescues
 * every task meanwhile, and the canary's guard must swap the last-known-good policy back within
 * two windows. MisbehavingPolicy, whose faults come one task or batch in tens, is not plain enough
 * for that under TCG: a baseline window with a slow batch in it already outweighs them.
 */
public final class ThrowingPolicy implements Policy {
  private long batches;

  @Override
  public String description() {
    return "throws on every batch (testbed: the faults scenario's harmful swap)";
  }

  @Override
  public void schedule(WaitingTasks tasks, KernelView kernel) {
    throw new IllegalStateException("throwing: batch " + ++batches);
  }
}
