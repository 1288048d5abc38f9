package javaland.policies;

import javaland.sdk.KernelView;
import javaland.sdk.Param;
import javaland.sdk.Policy;
import javaland.sdk.TaskClasses;
import javaland.sdk.WaitingTasks;

/**
 * A whole scheduler in one small class (see docs/write-your-own-scheduler.md).
 *
 * <p>Keep a task on the CPU it last ran on when that CPU is idle (its cache is warm); otherwise
 * put it in the shared queue. Order by how much CPU the task used since it woke up, so short
 * interactive bursts overtake CPU hogs. Give hogs longer slices, fewer switches. Classes from
 * the rules move the deadline and bound the slice (TaskClasses, docs/rules.md).
 */
public final class ExamplePolicy implements Policy {
  private final Param.Time slice = Param.micros("slice_us", 100, 100_000, 3_000, "slice of a task that just woke up")
      .explore(500, 3000, 10000);
  private final Param.Time hogSlice = Param.micros("hog_slice_us", 100, 100_000, 10_000, "slice of a task that used its slice up")
      .explore(1000, 10000);

  @Override
  public String description() {
    return "A small example policy: warm CPUs first, short bursts before hogs.";
  }

  @Override
  public void schedule(WaitingTasks tasks, KernelView kernel) {
    for (int i = 0; i < tasks.size(); i++) {
      int prev = tasks.prevCpu(i);
      int cpu = kernel.cpuIdle(prev) && tasks.prefersCpu(i, prev) ? prev : TaskClasses.preferredCpu(tasks, i, kernel);
      long deadline = TaskClasses.deadline(tasks, i, tasks.enqueuedAtNs(i) + tasks.execNs(i), 5_000_000);
      long taskSlice = tasks.clampSlice(i, tasks.wokeUp(i) ? slice.ns() : hogSlice.ns());
      tasks.decide(i).cpu(cpu).sliceNs(taskSlice).deadline(deadline);
    }
  }
}
