package javaland.runtime.kernel;

/**
 * Receives a kernel's scheduling events, in the order the kernel recorded them, for a trace
 * ({@code ./javaland run --record}). Called on the event reader's own thread, never on the
 * dispatch thread: a slow listener delays only the reader, and the kernel drops (and counts)
 * what its ring cannot hold.
 *
 * <p>Times are the kernel's clock in ns ({@code CLOCK_MONOTONIC} on the BPF kernel); {@code cpu}
 * is where the event happened.
 */
public interface SchedEventListener {
  /**
   * What is known of {@code pid}: before its first event, and again when its tgid, comm (exec),
   * weight or exemption changed. {@code weight} is 1..10000, 100 for nice 0. {@code exempt}: whether
   * and how the kernel half dispatches it itself, never asking the policy (the scheduler's own
   * threads, per-CPU kthreads, reclaim kthreads), as far as its last event said.
   */
  void task(int pid, int tgid, String comm, int weight, Exemption exempt);

  /**
   * {@code pid} became runnable: it woke up ({@code wokeUp}), or is new or was put back.
   * {@code wakerPid} ran on {@code cpu} when it happened (0: the CPU was idle, or an interrupt).
   */
  void runnable(long nowNs, int cpu, int pid, int wakerPid, boolean wokeUp);

  /** {@code pid} starts running on {@code cpu} with a slice of {@code sliceNs} (us precision). */
  void running(long nowNs, int cpu, int pid, long sliceNs);

  /**
   * {@code pid} stops running on {@code cpu}: {@code stillRunnable} when preempted or its slice
   * ran out, {@code dead} on its final switch-out; otherwise it blocked. {@code sliceLeftNs}: what
   * the kernel had not yet charged of its slice (us precision, at most about 18 minutes).
   */
  void stopping(long nowNs, int cpu, int pid, boolean stillRunnable, boolean dead, long sliceLeftNs);

  /** The kernel dropped {@code count} events since the last call (its ring was full). */
  void lost(long nowNs, long count);
}
