package javaland.sdk;

/**
 * The decision for one waiting task, from {@link WaitingTasks#decide}: where it runs, for how long
 * and in which order. Each setter names what it sets; what is not set keeps its default: any
 * CPU, the kernel's slice, due when it was queued, its virtual time unchanged. The task and its
 * enqueue generation come from the queued task itself, so a decision cannot name a task that is
 * not waiting, nor an enqueue that is over (the kernel would drop it as stale).
 *
 * <p>One object serves every task of a batch: it is valid until the next {@code decide} call.
 */
public interface Decision {
  /** "Any CPU": the shared queue, which every CPU consumes in deadline order. */
  int ANY_CPU = -1;

  /** Run on {@code cpu}'s own queue, or {@link #ANY_CPU}. A CPU the task may not use sends it to the shared queue. */
  Decision cpu(int cpu);

  /** Time slice in ns; 0 takes the kernel's ({@code kernel.slice_us}). */
  Decision sliceNs(long sliceNs);

  /** Order within the target queue, lower first (CLOCK_MONOTONIC ns; the kernel bounds it). */
  Decision deadline(long deadline);

  /** The task's virtual time from now on; it comes back in the next batch, charged with the CPU time it used. */
  Decision vtime(long vtime);

  /**
   * The rule for this task's wakeups from now on, until its next decision: a wakeup that finds no
   * idle CPU is placed by the kernel itself, without waiting for the policy, with slice {@code
   * sliceNs} and a deadline {@code deadlineOffsetNs} after the wakeup (negative: before it; the
   * kernel bounds it to [-kernel.rescue_ms, +1 s]), and may preempt a CPU running a task with a
   * later deadline (kernel.wakeup_preempt), as a decision of the policy would. The kernel keeps
   * to the rule only while the task stays a short-burst one: once it ran longer than
   * {@code kernel.wake_burst_us} between a wakeup and its sleep, its next wakeup comes to the policy
   * again, which sets the next rule. Without a call (or with {@code sliceNs} 0) every wakeup of the
   * task comes to the policy, as before.
   *
   * <p>This is how a policy keeps wakeup latency low under load: the round trip to Java is paid only
   * by the decisions that can wait (slice expiries, new tasks, tasks it has not given a rule).
   */
  Decision wakeup(long sliceNs, long deadlineOffsetNs);
}
