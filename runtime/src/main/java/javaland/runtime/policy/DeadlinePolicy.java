package javaland.runtime.policy;

import javaland.models.Parameter;
import javaland.models.Parameters;
import java.util.List;
import javaland.runtime.kernel.Decisions;
import javaland.runtime.kernel.KernelView;
import javaland.runtime.kernel.TaskBatch;

/**
 * The default policy: virtual time for fairness, a wall-clock deadline for bounded waiting.
 *
 * <pre>
 *   vtime    = max(task.vtime, vclock - slice_lag)          sleep credit is bounded
 *   vclock   = max(vclock, vtime)
 *   lateness = (vtime - (vclock - slice_lag)) + min(exec_since_wakeup, exec_cap) * 100 / weight
 *   deadline = enqueued_at + min(lateness, max_delay)
 *   slice    = clamp(slice_max / (others_waiting + 1) * weight / 100, slice_min, slice_max)
 * </pre>
 *
 * The kernel charges {@code vtime += ran_ns * 100 / weight} whenever a task stops, so tasks that
 * used more than others, or ran long since they woke up, queue behind the ones that sleep a lot.
 * Deadlines are on the kernel's clock (CLOCK_MONOTONIC ns) and never further than
 * {@code max_delay} past the enqueue: a stream of fresh wakeups can delay a CPU hog but not
 * starve it, whatever the virtual times say. Every task goes to the shared queue, which the
 * kernel keeps ordered by deadline.
 *
 * <p>Classes from the rules (docs/rules.md, {@link TaskClasses}): a latency-critical task's
 * deadline is {@code max_delay} earlier (so it preempts what runs, with kernel.wakeup_preempt) and
 * counts only a quarter of its lateness; interactive a quarter of {@code max_delay} earlier; batch
 * half of it later; background two {@code max_delay} later. Long slices for batch work come from
 * the rule's slice_us: a longer slice by class alone would make everything else wait for the next
 * slice end, since the policy runs when CPUs run short of decided work. The rule's priority shifts the deadline further, its slice bounds clamp
 * the slice, and an idle preferred CPU is taken directly.
 */
public final class DeadlinePolicy implements Policy {
  private static final List<Parameter> PARAMETERS = List.of(
      new Parameter("slice_max_us", 100, 100_000, 20_000, "us", "longest slice, given when nothing else waits"),
      new Parameter("slice_min_us", 50, 20_000, 1_000, "us", "shortest slice, however many tasks wait"),
      new Parameter("slice_lag_us", 0, 1_000_000, 20_000, "us", "most virtual time a sleeper may gain"),
      new Parameter("exec_cap_us", 0, 10_000_000, 20_000, "us", "most run time since wakeup that delays a task"),
      new Parameter("max_delay_us", 100, 2_000_000, 50_000, "us", "latest a deadline may be, after the enqueue"));

  private long sliceMax;
  private long sliceMin;
  private long sliceLag;
  private long execCap;
  private long maxDelay;
  private long vclock;

  public DeadlinePolicy() {
    configure(Parameters.defaults(PARAMETERS));
  }

  @Override
  public List<Parameter> parameters() {
    return PARAMETERS;
  }

  @Override
  public void configure(Parameters p) {
    sliceMax = p.micros("slice_max_us");
    sliceMin = Math.min(p.micros("slice_min_us"), sliceMax);
    sliceLag = p.micros("slice_lag_us");
    execCap = p.micros("exec_cap_us");
    maxDelay = p.micros("max_delay_us");
  }

  @Override
  public void schedule(TaskBatch tasks, Decisions out, KernelView kernel) {
    int n = tasks.size();
    long waiting = n - 1L + kernel.backlog(); // the others, not counting the task itself
    for (int i = 0; i < n; i++) {
      long weight = Math.max(1, tasks.weight(i));
      long vtime = Math.max(tasks.vtime(i), vclock - sliceLag);
      vclock = Math.max(vclock, vtime);
      long lateness = vtime - (vclock - sliceLag) + Math.min(tasks.execNs(i), execCap) * 100 / weight;
      long late = Math.min(lateness, maxDelay);
      if (tasks.taskClass(i) == TaskBatch.CLASS_LATENCY_CRITICAL) late /= 4;
      long deadline = TaskClasses.deadline(tasks, i, tasks.enqueuedAtNs(i) + late, maxDelay);
      long slice = Math.clamp(sliceMax / (waiting + 1) * weight / 100, sliceMin, sliceMax);
      slice = tasks.clampSlice(i, slice);
      out.dispatch(tasks, i, TaskClasses.preferredCpu(tasks, i, kernel), slice, deadline, vtime);
    }
  }
}
