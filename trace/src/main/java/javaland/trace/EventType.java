package javaland.trace;

/**
 * The kinds of scheduling event a trace holds. {@link #code()} is the record tag in the binary
 * format (docs/trace-format.md), so these numbers never change once released; {@link #key()}
 * names the type in summaries and JSON.
 */
public enum EventType {
  /** sched_waking: a task is being woken (on the waker's CPU). */
  WAKING(0x10, "waking"),
  /** sched_wakeup: a task became runnable. */
  WAKEUP(0x11, "wakeup"),
  /** sched_wakeup_new: a freshly forked task became runnable for the first time. */
  WAKEUP_NEW(0x12, "wakeup_new"),
  /** sched_switch: a CPU stopped running one task (pid 0 is idle) and started another. */
  SWITCH(0x13, "switch"),
  /** sched_process_fork. */
  FORK(0x14, "fork"),
  /** sched_process_exit. */
  EXIT(0x15, "exit"),
  /** sched_migrate_task: a task moved from one CPU's run queue to another's. */
  MIGRATE(0x16, "migrate"),
  /** javaland: the kernel half queued the task to the Java policy (jl_queued_task). */
  QUEUED(0x20, "queued"),
  /** javaland: the policy's decision for the task was applied. */
  DECIDED(0x21, "decided"),
  /** javaland: the kernel half dispatched the task itself (rescue, ring full, congestion). */
  FALLBACK(0x22, "fallback"),
  /** Events the tracer dropped (a ring buffer overflowed); not a scheduling event. */
  LOST(0x30, "lost");

  private static final EventType[] BY_CODE = new EventType[128];

  static {
    for (EventType t : values()) BY_CODE[t.code] = t;
  }

  private final int code;
  private final String key;

  EventType(int code, String key) {
    this.code = code;
    this.key = key;
  }

  public int code() {
    return code;
  }

  public String key() {
    return key;
  }

  public boolean isWakeup() {
    return this == WAKING || this == WAKEUP || this == WAKEUP_NEW;
  }

  /** The type with this record tag, or null. */
  public static EventType ofCode(int code) {
    return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
  }
}
