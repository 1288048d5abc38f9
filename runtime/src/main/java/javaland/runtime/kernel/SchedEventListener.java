package javaland.runtime.kernel;

/**
 * Receives a kernel's scheduling events, in the order the kernel emitted them: the one event
 * interface of both kernels, so that one recorder ({@code javaland.trace.SchedEventRecorder},
 * {@code ./javaland run --record}) and any other observer works on either.
 *
 * <ul>
 *   <li>The BPF kernel's events are those bpf/javaland.bpf.c writes into its {@code sched_events}
 *       ring (bpf/intf.h, {@code JL_EV_*}), read by {@code bpf.SchedEventReader} on its own
 *       thread, never the dispatch thread: a slow listener delays only the reader, and the kernel
 *       drops (and counts) what its ring cannot hold.
 *   <li>The simulated kernel ({@code sim.SimKernel#setListener}) emits the same events at the
 *       same points of its model, on the simulating thread (the dispatch thread: keep the
 *       listener cheap); where each is, see {@code sim.SimEvents}.
 * </ul>
 *
 * <p>Times are the kernel's clock in ns ({@code CLOCK_MONOTONIC} on the BPF kernel, virtual ns
 * on the simulated one); {@code cpu} is where the event happened. Every method does nothing by
 * default, so an observer implements the events it needs.
 */
public interface SchedEventListener {
  /** A listener that ignores every event. */
  SchedEventListener NONE = new SchedEventListener() {};

  /** Both listeners, {@code a} first, each event; a null one is left out. */
  static SchedEventListener both(SchedEventListener a, SchedEventListener b) {
    if (a == null) return b;
    if (b == null) return a;
    return new SchedEventListener() {
      @Override
      public void task(int pid, int tgid, String comm, int weight, Exemption exempt) {
        a.task(pid, tgid, comm, weight, exempt);
        b.task(pid, tgid, comm, weight, exempt);
      }

      @Override
      public void runnable(long nowNs, int cpu, int pid, int wakerPid, boolean wokeUp) {
        a.runnable(nowNs, cpu, pid, wakerPid, wokeUp);
        b.runnable(nowNs, cpu, pid, wakerPid, wokeUp);
      }

      @Override
      public void running(long nowNs, int cpu, int pid, long sliceNs) {
        a.running(nowNs, cpu, pid, sliceNs);
        b.running(nowNs, cpu, pid, sliceNs);
      }

      @Override
      public void stopping(long nowNs, int cpu, int pid, boolean stillRunnable, boolean dead, long sliceLeftNs) {
        a.stopping(nowNs, cpu, pid, stillRunnable, dead, sliceLeftNs);
        b.stopping(nowNs, cpu, pid, stillRunnable, dead, sliceLeftNs);
      }

      @Override
      public void lost(long nowNs, long count) {
        a.lost(nowNs, count);
        b.lost(nowNs, count);
      }
    };
  }

  /**
   * What is known of {@code pid} ({@code ops.enable}, JL_EV_ENABLE): before its first event, and
   * again when its tgid, comm (exec), weight or exemption changed. {@code weight} is 1..10000,
   * 100 for nice 0. {@code exempt}: whether and how the kernel half dispatches it itself, never
   * asking the policy (the scheduler's own threads, per-CPU kthreads, reclaim kthreads; the
   * branch of {@code dispatch_exempt()} that takes it, JL_EVF_EXEMPT_*), as far as its last
   * event said.
   */
  default void task(int pid, int tgid, String comm, int weight, Exemption exempt) {}

  /**
   * {@code pid} became runnable ({@code ops.runnable}, JL_EV_RUNNABLE): it woke up
   * ({@code wokeUp}, SCX_ENQ_WAKEUP), or is new or was put back. {@code wakerPid} ran on
   * {@code cpu} when it happened: the waker, or the task an interrupt's wakeup interrupted (0: the
   * CPU was idle). A task whose slice ran out, or that was
   * preempted, is not runnable anew: it only stops still runnable.
   */
  default void runnable(long nowNs, int cpu, int pid, int wakerPid, boolean wokeUp) {}

  /**
   * {@code pid} starts running on {@code cpu} ({@code ops.running}, JL_EV_RUNNING) with a slice
   * of {@code sliceNs} (us precision, at most about 36 minutes).
   */
  default void running(long nowNs, int cpu, int pid, long sliceNs) {}

  /**
   * {@code pid} stops running on {@code cpu} ({@code ops.stopping}, JL_EV_STOPPING):
   * {@code stillRunnable} when preempted or its slice ran out, {@code dead} on its final
   * switch-out; otherwise it blocked. {@code sliceLeftNs}: what the kernel had not yet charged of
   * its slice (us precision, at most about 18 minutes).
   */
  default void stopping(long nowNs, int cpu, int pid, boolean stillRunnable, boolean dead, long sliceLeftNs) {}

  /** The kernel dropped {@code count} events since the last call (its ring was full; the simulated kernel drops none). */
  default void lost(long nowNs, long count) {}
}
