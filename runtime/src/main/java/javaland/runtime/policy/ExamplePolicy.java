package javaland.runtime.policy;

import javaland.models.Parameter;
import javaland.models.Parameters;
import java.util.List;
import javaland.runtime.kernel.Decisions;
import javaland.runtime.kernel.KernelView;
import javaland.runtime.kernel.TaskBatch;

/**
 * A whole scheduler in one small class (see docs/write-your-own-scheduler.md).
 *
 * <p>Keep a task on the CPU it last ran on when that CPU is idle (its cache is warm); otherwise
 * put it in the shared queue. Order by how much CPU the task used since it woke up, so short
 * interactive bursts overtake CPU hogs. Give hogs longer slices, fewer switches. Classes from
 * the rules move the deadline and bound the slice (TaskClasses, docs/rules.md).
 */
public final class ExamplePolicy implements Policy {
  private static final List<Parameter> PARAMETERS = List.of(
      new Parameter("slice_us", 100, 100_000, 3_000, "us", "slice of a task that just woke up"),
      new Parameter("hog_slice_us", 100, 100_000, 10_000, "us", "slice of a task that used its slice up"));

  private long slice;
  private long hogSlice;

  public ExamplePolicy() {
    configure(Parameters.defaults(PARAMETERS));
  }

  @Override
  public List<Parameter> parameters() {
    return PARAMETERS;
  }

  @Override
  public void configure(Parameters p) {
    slice = p.micros("slice_us");
    hogSlice = p.micros("hog_slice_us");
  }

  @Override
  public void schedule(TaskBatch tasks, Decisions out, KernelView kernel) {
    for (int i = 0; i < tasks.size(); i++) {
      int prev = tasks.prevCpu(i);
      int cpu = kernel.cpuIdle(prev) && tasks.prefersCpu(i, prev) ? prev : TaskClasses.preferredCpu(tasks, i, kernel);
      long deadline = TaskClasses.deadline(tasks, i, tasks.enqueuedAtNs(i) + tasks.execNs(i), 5_000_000);
      long taskSlice = tasks.clampSlice(i, tasks.wokeUp(i) ? slice : hogSlice);
      out.dispatch(tasks, i, cpu, taskSlice, deadline, tasks.vtime(i));
    }
  }
}
