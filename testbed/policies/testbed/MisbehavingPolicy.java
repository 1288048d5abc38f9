package testbed;

import javaland.sdk.KernelView;
import javaland.sdk.Policy;
import javaland.sdk.WaitingTasks;

/**
 * A policy that does everything wrong, for the smoke scenario's containment check on the real
 * kernel (guest/smoke.sh): slices of 1 ns and of a minute, CPUs that do not exist, deadlines at
 * the end of time and a minute ahead, a task in 50 left undecided and an exception every 20th
 * batch. The kernel half must correct and count each, and every task must still run.
 */
public final class MisbehavingPolicy implements Policy {
  private long batches;
  private long seen;

  @Override
  public void schedule(WaitingTasks tasks, KernelView kernel) {
    for (int i = 0; i < tasks.size(); i++) {
      long k = seen++;
      if (k % 50 == 49) continue;
      tasks.decide(i)
          .cpu(k % 2 == 0 ? 1_000_000 : -5)
          .sliceNs(k % 3 == 0 ? 1 : 60_000_000_000L)
          .deadline(k % 2 == 0 ? Long.MAX_VALUE : tasks.enqueuedAtNs(i) + 60_000_000_000L);
    }
    if (++batches % 20 == 0) throw new IllegalStateException("misbehaving: batch " + batches);
  }
}
