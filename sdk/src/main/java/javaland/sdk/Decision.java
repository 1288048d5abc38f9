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
}
