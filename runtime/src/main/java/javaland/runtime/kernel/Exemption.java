package javaland.runtime.kernel;

/**
 * Which tasks the kernel half dispatches itself, never asking the policy, and how: the branches
 * of {@code dispatch_exempt()} in javaland.bpf.c. The simulated kernel places them the same way,
 * so that a replayed trace's JVM threads and kthreads take the CPUs they took when recorded.
 */
public enum Exemption {
  /** The policy decides. */
  NONE,
  /** One of the scheduler's own JVM threads (JIT, GC, Vert.x): the shared queue, one slice late. */
  JVM_THREAD,
  /** The dispatch thread: woken, it takes its CPU at once (SCX_ENQ_PREEMPT); else the priority queue. */
  DISPATCHER,
  /** A kthread bound to one CPU (kworker/N, ksoftirqd/N): that CPU's local queue. */
  PERCPU_KTHREAD,
  /** kswapd, khugepaged: the priority queue, taken before any decided work by the next CPU. */
  RECLAIM_KTHREAD,
  /** Any other kthread (kworker/u*, kcompactd, the sched_ext watchdog's kworker): see below. */
  KTHREAD;

  /*
   * Every kthread that wakes up (per-CPU, reclaim, any other) goes to the head of its CPU's local
   * queue, and no wakeup preempts that CPU before it runs (bpf/kthreads.h). Put back, the kinds
   * differ: a per-CPU kthread at the tail of its CPU's local queue, a reclaim kthread in the
   * priority queue, any other in the shared queue one slice late, as the JVM's threads.
   */

  public boolean exempt() {
    return this != NONE;
  }
}
