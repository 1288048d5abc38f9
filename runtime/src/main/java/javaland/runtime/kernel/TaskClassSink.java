package javaland.runtime.kernel;

/**
 * Where the rules' verdicts go down to the kernel half, so that it can act on a task's class
 * without asking Java (bpf/README.md: a latency-critical task that wakes up is placed by BPF).
 * Called by the classifier's resolver thread only, never by the dispatch thread: a call may
 * make a system call.
 */
public interface TaskClassSink {
  /** A kernel that keeps no classes. */
  TaskClassSink NONE = new TaskClassSink() {
    @Override
    public boolean put(int pid, long startTicks, byte taskClass, long sliceMinNs, long sliceMaxNs) {
      return true;
    }

    @Override
    public void remove(int pid) {}
  };

  /**
   * Task {@code pid}, started at {@code startTicks} (/proc/PID/stat's starttime, which tells a
   * reused pid apart), is of {@code taskClass} ({@code TaskBatch.CLASS_*}) with these slice
   * bounds (0: none). Returns false when the kernel could not take it (its table is full).
   */
  boolean put(int pid, long startTicks, byte taskClass, long sliceMinNs, long sliceMaxNs);

  /** Task {@code pid} has no class any more (no rule matches, or it is gone). */
  void remove(int pid);
}
