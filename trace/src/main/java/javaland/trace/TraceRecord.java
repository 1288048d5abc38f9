package javaland.trace;

/**
 * One element of a trace's stream, in the order written: a task definition or an event. This is
 * the common currency of the recorder, the importers, the binary reader and writer, and replay:
 *
 * <pre>{@code
 * switch (record) {
 *   case TraceRecord.TaskInfo t -> tasks.put(t.pid(), t);
 *   case TraceRecord.Switch s -> ...;       // s.prevPid() leaves s.cpu(), s.nextPid() starts
 *   case TraceRecord.Wakeup w -> ...;       // w.type(): WAKING, WAKEUP or WAKEUP_NEW
 *   default -> { }
 * }
 * }</pre>
 *
 * <p>Times are ns on the trace's clock (see {@link TraceHeader#clock()}). A CPU of -1 means
 * unknown (the simulated kernel does not say where a task was queued from, for one). Pid 0 is
 * the idle task. A task is defined before the first event that names it, and again when its
 * comm or tgid becomes known or changes.
 */
public sealed interface TraceRecord {

  /** A task's identity. tgid -1: unknown; comm "": unknown; label: its class for per-class metrics, "" if none. */
  record TaskInfo(int pid, int tgid, String comm, String label) implements TraceRecord {
    public TaskInfo {
      if (pid < 0) throw new IllegalArgumentException("pid must be >= 0, got " + pid);
      if (tgid < -1) throw new IllegalArgumentException("tgid must be >= -1, got " + tgid);
      comm = comm == null ? "" : comm;
      label = label == null ? "" : label;
    }
  }

  /** Something that happened at a time, on a CPU. */
  sealed interface TraceEvent extends TraceRecord {
    long timeNs();

    int cpu();

    EventType type();
  }

  /** sched_waking, sched_wakeup or sched_wakeup_new: {@code pid} becomes runnable, to run on {@code targetCpu} (-1: unknown). */
  record Wakeup(EventType type, long timeNs, int cpu, int pid, int targetCpu) implements TraceEvent {
    public Wakeup {
      if (type == null || !type.isWakeup()) throw new IllegalArgumentException("not a wakeup type: " + type);
      checkCpu(cpu);
      checkPid(pid);
      checkCpu(targetCpu);
    }
  }

  /** sched_switch on {@code cpu}: {@code prevPid} leaves in {@code prevState}, {@code nextPid} runs (0 = idle). */
  record Switch(long timeNs, int cpu, int prevPid, TaskState prevState, int nextPid) implements TraceEvent {
    public Switch {
      checkCpu(cpu);
      checkPid(prevPid);
      checkPid(nextPid);
      if (prevState == null) throw new IllegalArgumentException("prevState is required");
    }

    @Override
    public EventType type() {
      return EventType.SWITCH;
    }
  }

  record Fork(long timeNs, int cpu, int parentPid, int childPid) implements TraceEvent {
    public Fork {
      checkCpu(cpu);
      checkPid(parentPid);
      checkPid(childPid);
    }

    @Override
    public EventType type() {
      return EventType.FORK;
    }
  }

  record Exit(long timeNs, int cpu, int pid) implements TraceEvent {
    public Exit {
      checkCpu(cpu);
      checkPid(pid);
    }

    @Override
    public EventType type() {
      return EventType.EXIT;
    }
  }

  /** sched_migrate_task: {@code pid} moves from {@code fromCpu}'s run queue to {@code toCpu}'s. */
  record Migrate(long timeNs, int cpu, int pid, int fromCpu, int toCpu) implements TraceEvent {
    public Migrate {
      checkCpu(cpu);
      checkPid(pid);
      checkCpu(fromCpu);
      checkCpu(toCpu);
    }

    @Override
    public EventType type() {
      return EventType.MIGRATE;
    }
  }

  /** javaland: queued to the policy with enqueue counter {@code seq}; {@code wokeUp} false: its slice ran out. */
  record Queued(long timeNs, int cpu, int pid, long seq, boolean wokeUp) implements TraceEvent {
    public Queued {
      checkCpu(cpu);
      checkPid(pid);
    }

    @Override
    public EventType type() {
      return EventType.QUEUED;
    }
  }

  /** javaland: the policy's decision was applied: {@code targetCpu} (-1: any CPU), slice, deadline (queue order). */
  record Decided(long timeNs, int cpu, int pid, long seq, int targetCpu, long sliceNs, long deadline) implements TraceEvent {
    public Decided {
      checkCpu(cpu);
      checkPid(pid);
      checkCpu(targetCpu);
    }

    @Override
    public EventType type() {
      return EventType.DECIDED;
    }
  }

  /** javaland: the kernel half dispatched {@code pid} itself. */
  record Fallback(long timeNs, int cpu, int pid, FallbackReason reason) implements TraceEvent {
    public Fallback {
      checkCpu(cpu);
      checkPid(pid);
      if (reason == null) throw new IllegalArgumentException("reason is required");
    }

    @Override
    public EventType type() {
      return EventType.FALLBACK;
    }
  }

  /** The tracer dropped {@code count} events here (0: it did not say how many). */
  record Lost(long timeNs, int cpu, long count) implements TraceEvent {
    public Lost {
      checkCpu(cpu);
      if (count < 0) throw new IllegalArgumentException("count must be >= 0, got " + count);
    }

    @Override
    public EventType type() {
      return EventType.LOST;
    }
  }

  private static void checkCpu(int cpu) {
    if (cpu < -1) throw new IllegalArgumentException("cpu must be >= -1 (unknown), got " + cpu);
  }

  private static void checkPid(int pid) {
    if (pid < 0) throw new IllegalArgumentException("pid must be >= 0, got " + pid);
  }
}
