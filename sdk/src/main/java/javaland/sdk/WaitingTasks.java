package javaland.sdk;

/**
 * The tasks waiting for a decision, read-only, indexed {@code 0 <= i < size()}. Reading allocates
 * nothing (except {@link #comm}); the columns are reused from batch to batch, so keep no index
 * past {@link Policy#schedule}'s return.
 */
public interface WaitingTasks {
  int size();

  int pid(int i);

  int tgid(int i);

  /** The CPU the task last ran on. */
  int prevCpu(int i);

  int nrCpusAllowed(int i);

  /** Scheduling weight, 1..10000; 100 is nice 0. */
  int weight(int i);

  /** Queued because it woke up, rather than because its slice ran out or it was preempted. */
  boolean wokeUp(int i);

  /** CLOCK_MONOTONIC ns when the kernel queued it (the clock of {@link KernelView#nowNs}). */
  long enqueuedAtNs(int i);

  /** CPU time the task used since it last woke up, in ns. */
  long execNs(int i);

  /** Its virtual time: what the policy last set, plus the CPU time charged since ({@code ns * 100 / weight}). */
  long vtime(int i);

  /** The command name; allocates, so keep it off the hot path (use {@link #commStartsWith}). */
  String comm(int i);

  /** Allocation-free prefix test on the command name. */
  boolean commStartsWith(int i, byte[] prefix);

  /** What the rules (or the learner) made of the task; {@link TaskClass#NONE} when nothing. */
  TaskClass taskClass(int i);

  /** The rule's priority, -100..100, 0 when none: higher runs earlier within its class. */
  int priority(int i);

  /** The rule's shortest slice in ns, 0 when none. */
  long sliceMinNs(int i);

  /** The rule's longest slice in ns, 0 when none. */
  long sliceMaxNs(int i);

  /** {@code sliceNs} clamped into the rule's slice bounds, where it has any. */
  default long clampSlice(int i, long sliceNs) {
    long s = sliceNs;
    long max = sliceMaxNs(i);
    long min = sliceMinNs(i);
    if (max > 0 && s > max) s = max;
    if (min > 0 && s < min) s = min;
    return s;
  }

  /** Whether the rule names preferred CPUs for the task. */
  boolean hasPreferredCpus(int i);

  /** Whether {@code cpu} is one of the task's preferred CPUs (true when it has none). */
  boolean prefersCpu(int i, int cpu);

  /**
   * Decides for task {@code i}: from now on it is dispatched when {@link Policy#schedule}
   * returns, with the defaults of {@link Decision} unless the returned decision changes them.
   * Deciding again for the same task starts over from the defaults. A task never decided is
   * dispatched by the kernel after its rescue delay ({@code kernel.rescue_ms}).
   */
  Decision decide(int i);
}
