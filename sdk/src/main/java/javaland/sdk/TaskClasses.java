package javaland.sdk;

/**
 * How the shipped policies honour the classes that rules give tasks (docs/rules.md), in one place
 * so that they agree; any policy may use them. Allocation-free.
 */
public final class TaskClasses {
  private TaskClasses() {}

  /**
   * How far to move task {@code i}'s deadline, in units of {@code unit} (a policy's longest
   * delay): latency-critical a whole unit earlier, interactive a quarter earlier, batch half a
   * unit later, background two units later (last), unclassified not at all; then the rule's
   * priority moves it up to half a unit more (priority 100 earlier, -100 later). The kernel
   * bounds every deadline, so no class starves another.
   */
  public static long deadlineShift(WaitingTasks tasks, int i, long unit) {
    long shift = switch (tasks.taskClass(i)) {
      case LATENCY_CRITICAL -> -unit;
      case INTERACTIVE -> -unit / 4;
      case BATCH -> unit / 2;
      case BACKGROUND -> 2 * unit;
      case NONE -> 0;
    };
    return shift - tasks.priority(i) * unit / 200;
  }

  /**
   * {@code base} moved by {@link #deadlineShift}, never below 0: deadlines are unsigned in the
   * kernel, where a "negative" one would sort last (only a clock near 0, as the simulated
   * kernel's at start, gets there).
   */
  public static long deadline(WaitingTasks tasks, int i, long base, long unit) {
    return Math.max(0, base + deadlineShift(tasks, i, unit));
  }

  /**
   * For a task with preferred CPUs: its previous CPU if preferred and idle, else the first idle
   * preferred CPU, else {@code fallback}. Preferred, not pinned: with none idle the task goes
   * where {@code fallback} says (affinity itself is the kernel's cpumask, e.g. taskset).
   */
  public static int preferredCpu(WaitingTasks tasks, int i, KernelView kernel, int fallback) {
    if (!tasks.hasPreferredCpus(i)) return fallback;
    int prev = tasks.prevCpu(i);
    if (tasks.prefersCpu(i, prev) && kernel.cpuIdle(prev)) return prev;
    int n = kernel.topology().nrCpus();
    for (int c = 0; c < n; c++) {
      if (tasks.prefersCpu(i, c) && kernel.cpuIdle(c)) return c;
    }
    return fallback;
  }

  /** {@link Decision#ANY_CPU} unless {@link #preferredCpu} finds an idle preferred CPU. */
  public static int preferredCpu(WaitingTasks tasks, int i, KernelView kernel) {
    return preferredCpu(tasks, i, kernel, Decision.ANY_CPU);
  }
}
