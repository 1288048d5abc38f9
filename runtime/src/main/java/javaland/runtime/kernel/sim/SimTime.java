package javaland.runtime.kernel.sim;

/**
 * Arithmetic on the virtual clock as BPF does it on its u64 nanoseconds: sums that saturate
 * instead of wrapping, clamp_deadline's bounds on a policy's deadline and wake_deadline's on a wakeup rule's.
 */
final class SimTime {
  /** A time that never comes (and an infinite slice). */
  static final long NEVER = Long.MAX_VALUE;
  /** clamp_deadline's upper bound: at most this long after the enqueue. */
  static final long MAX_LATENESS_NS = 1_000_000_000L;

  private SimTime() {}

  /** {@code a + b}, or {@link #NEVER} when that overflows. */
  static long satAdd(long a, long b) {
    long r = a + b;
    return ((a ^ r) & (b ^ r)) < 0 ? NEVER : r;
  }

  /** clamp_deadline: within [enqueued - rescue_ns, enqueued + 1 s], as unsigned numbers in BPF. */
  static long clampDeadline(long deadline, long enqNs, long rescueNs) {
    long lo = enqNs > rescueNs ? enqNs - rescueNs : 0;
    long hi = enqNs + MAX_LATENESS_NS;
    if (Long.compareUnsigned(deadline, lo) < 0) return lo;
    if (Long.compareUnsigned(deadline, hi) > 0) return hi;
    return deadline;
  }

  /** wake_deadline: {@code now} plus a wakeup rule's offset, within [-rescue_ns, +1 s] of it. */
  static long wakeDeadline(long offset, long now, long rescueNs) {
    if (offset >= 0) return now + Math.min(offset, MAX_LATENESS_NS);
    long lead = offset == Long.MIN_VALUE ? rescueNs : Math.min(-offset, rescueNs);
    return now > lead ? now - lead : 0;
  }
}
