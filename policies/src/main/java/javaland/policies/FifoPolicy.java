package javaland.policies;

import javaland.sdk.KernelView;
import javaland.sdk.Param;
import javaland.sdk.Policy;
import javaland.sdk.WaitingTasks;

/** The baseline: first queued, first run, one fixed slice, any CPU. */
public final class FifoPolicy implements Policy {
  private final Param.Time slice = Param.micros("slice_us", 50, 100_000, 5_000, "every task's slice")
      .explore(500, 1000, 2000, 5000, 20000);

  @Override
  public String description() {
    return "First queued, first run, one fixed slice, any CPU: the baseline.";
  }

  @Override
  public void schedule(WaitingTasks tasks, KernelView kernel) {
    for (int i = 0; i < tasks.size(); i++) tasks.decide(i).sliceNs(slice.ns());
  }
}
