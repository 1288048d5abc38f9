package javaland.policies;

import javaland.sdk.KernelView;
import javaland.sdk.Param;
import javaland.sdk.Policy;
import javaland.sdk.TaskClass;
import javaland.sdk.TaskClasses;
import javaland.sdk.WaitingTasks;

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
 * slice end, since the policy runs when CPUs run short of decided work. The rule's priority shifts
 * the deadline further, its slice bounds clamp the slice, and an idle preferred CPU is taken directly.
 *
 * <p>Wakeups: every decision also pushes down the rule for the task's next wakeups ({@code
 * Decision.wakeup}): the same slice, due {@code wake_late} after the wakeup, moved by class as
 * above. The kernel then places a short-burst task's wakeup itself, preempting a CPU that runs a
 * later deadline (a task decided here is due up to {@code max_delay} after its enqueue), instead
 * of waiting for a round trip; a task that ran longer than {@code kernel.wake_burst_us} before
 * sleeping comes back here first, as does every slice that runs out.
 */
public final class DeadlinePolicy implements Policy {
  private final Param.Time sliceMax = Param.micros("slice_max_us", 100, 100_000, 20_000, "longest slice, given when nothing else waits")
      .explore(500, 1000, 2000, 5000, 20000);
  private final Param.Time sliceMin = Param.micros("slice_min_us", 50, 20_000, 1_000, "shortest slice, however many tasks wait");
  private final Param.Time sliceLag = Param.micros("slice_lag_us", 0, 1_000_000, 20_000, "most virtual time a sleeper may gain");
  private final Param.Time execCap = Param.micros("exec_cap_us", 0, 10_000_000, 20_000, "most run time since wakeup that delays a task");
  private final Param.Time maxDelay = Param.micros("max_delay_us", 100, 2_000_000, 50_000, "latest a deadline may be, after the enqueue");
  private final Param.Time wakeLate = Param.micros("wake_late_us", 0, 1_000_000, 0,
      "deadline, after the wakeup, of the wakeups the kernel places itself (before class shifts)");

  private long vclock;

  @Override
  public String description() {
    return "Virtual-time fairness with a bounded wall-clock deadline (the default).";
  }

  @Override
  public void schedule(WaitingTasks tasks, KernelView kernel) {
    long max = sliceMax.ns();
    long min = Math.min(sliceMin.ns(), max);
    long lag = sliceLag.ns();
    long cap = execCap.ns();
    long delay = maxDelay.ns();
    long wake = Math.min(wakeLate.ns(), delay);
    int n = tasks.size();
    long waiting = n - 1L + kernel.backlog(); // the others, not counting the task itself
    for (int i = 0; i < n; i++) {
      long weight = Math.max(1, tasks.weight(i));
      long vtime = Math.max(tasks.vtime(i), vclock - lag);
      vclock = Math.max(vclock, vtime);
      long lateness = vtime - (vclock - lag) + Math.min(tasks.execNs(i), cap) * 100 / weight;
      long late = Math.min(lateness, delay);
      if (tasks.taskClass(i) == TaskClass.LATENCY_CRITICAL) late /= 4;
      long deadline = TaskClasses.deadline(tasks, i, tasks.enqueuedAtNs(i) + late, delay);
      long slice = tasks.clampSlice(i, Math.clamp(max / (waiting + 1) * weight / 100, min, max));
      // The task's next wakeups, placed by the kernel: due wake_late after the wakeup, shifted by
      // class. Not its virtual-time lateness of now: the rule outlives this decision (a short-burst
      // task may not come back for minutes), and a lag of now would be stale by then; the first
      // decision of every task, at vclock 0, would have pinned it at slice_lag.
      tasks.decide(i).cpu(TaskClasses.preferredCpu(tasks, i, kernel)).sliceNs(slice).deadline(deadline).vtime(vtime)
          .wakeup(slice, wake + TaskClasses.deadlineShift(tasks, i, delay));
    }
  }
}
