package javaland.sdk;

/** What a policy may ask of the kernel while it decides. Every call is cheap and allocation-free. */
public interface KernelView {
  CpuTopology topology();

  /** CLOCK_MONOTONIC in nanoseconds: the clock of {@link WaitingTasks#enqueuedAtNs}. */
  long nowNs();

  /** Whether {@code cpu} is idle right now (a hint: it may change a moment later). */
  boolean cpuIdle(int cpu);

  /** Tasks queued to user space and not yet read: how far behind the policy is. */
  int backlog();
}
