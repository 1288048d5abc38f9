package javaland.telemetry.psi;

/**
 * One line of a pressure file: the share of wall time tasks were stalled, averaged by the kernel
 * over 10, 60 and 300 seconds (percentages, 0..100), and the cumulative stall time since boot (or
 * since the cgroup was created) in microseconds.
 */
public record PsiStall(double avg10, double avg60, double avg300, long totalUs) {
  public PsiStall {
    if (totalUs < 0) throw new IllegalArgumentException("total must be >= 0, got " + totalUs);
  }

  /** {@link #totalUs} in seconds. */
  public double totalSeconds() {
    return totalUs / 1e6;
  }
}
