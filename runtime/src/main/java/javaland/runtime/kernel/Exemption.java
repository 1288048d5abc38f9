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
  /** A kthread bound to one CPU (kworker/N, ksoftirqd/N): that CPU's local queue, next in line. */
  PERCPU_KTHREAD,
  /** kswapd, khugepaged: the priority queue, taken before any decided work by the next CPU. */
  RECLAIM_KTHREAD;

  public boolean exempt() {
    return this != NONE;
  }
}
