package javaland.api;

/**
 * What the kernel half saw of one task since the runtime started (schema TaskProfile): cumulative
 * counters, so two answers make a window, as {@code GET /stats} does for the whole machine.
 * {@code bursts} is the number of times it ran (running to stopping); {@code involuntary} the
 * bursts that ended still runnable (slice used up or preempted), {@code voluntary} those that
 * ended because it blocked; {@code runNs} the CPU time of all its bursts; {@code weight} 1..10000,
 * 100 for nice 0.
 */
public record TaskProfile(int pid, int tgid, String comm, int weight, long wakeups, long bursts,
    long involuntary, long voluntary, long runNs) {
  public TaskProfile {
    comm = comm == null ? "" : comm;
  }
}
