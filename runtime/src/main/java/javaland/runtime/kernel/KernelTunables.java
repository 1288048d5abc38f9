package javaland.runtime.kernel;

/**
 * Knobs the kernel half applies without asking Java: a policy pushes them down so the fast
 * paths in BPF follow it.
 *
 * @param sliceNs slice for tasks the kernel dispatches itself, and for decisions that leave it 0
 * @param rescueNs how long a task may wait for a decision before the kernel dispatches it
 * @param idleFastpath whether a wakeup that finds an idle CPU is dispatched at once, in the kernel
 * @param congestionBytes ring backlog above which tasks bypass user space (0: never)
 * @param wakeupPreempt whether a woken task preempts a running task with a later deadline
 */
public record KernelTunables(long sliceNs, long rescueNs, boolean idleFastpath, int congestionBytes,
    boolean wakeupPreempt) {
  public static final KernelTunables DEFAULTS = new KernelTunables(5_000_000L, 100_000_000L, true, 0, true);

  public KernelTunables(long sliceNs, long rescueNs, boolean idleFastpath, int congestionBytes) {
    this(sliceNs, rescueNs, idleFastpath, congestionBytes, true);
  }

  public KernelTunables {
    if (sliceNs < 50_000 || sliceNs > 1_000_000_000L) {
      throw new IllegalArgumentException("sliceNs must be within 50us..1s, got " + sliceNs);
    }
    if (rescueNs < 1_000_000 || rescueNs > 4_000_000_000L) {
      throw new IllegalArgumentException("rescueNs must be within 1ms..4s (the kernel's watchdog is 5s), got " + rescueNs);
    }
    if (congestionBytes < 0) throw new IllegalArgumentException("congestionBytes must be >= 0");
  }
}
