package javaland.runtime.kernel;

/**
 * Where a policy puts its decisions. A decision names the task (pid and the enqueue counter it
 * was queued with), a CPU or {@link #ANY_CPU}, a time slice, and an order key: within a queue,
 * the lowest deadline runs first. The kernel drops a decision whose counter is stale.
 */
public interface Decisions {
  int ANY_CPU = -1;

  /**
   * @param sliceNs time slice; 0 takes the kernel default
   * @param deadline order within the target queue, lower first
   * @param vtime the task's virtual time from now on (it comes back in the next batch, charged
   *     with the CPU time it used)
   */
  void dispatch(int pid, long seq, int cpu, long sliceNs, long deadline, long vtime);

  /** Decides for task {@code i} of {@code tasks}. */
  default void dispatch(TaskBatch tasks, int i, int cpu, long sliceNs, long deadline, long vtime) {
    dispatch(tasks.pid(i), tasks.seq(i), cpu, sliceNs, deadline, vtime);
  }
}
