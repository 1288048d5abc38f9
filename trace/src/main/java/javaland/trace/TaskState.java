package javaland.trace;

/**
 * The state a task was left in when it was switched out (sched_switch's prev_state), reduced to
 * what a replay needs: runnable (still wants the CPU) or blocked, and why. Codes are stored in
 * the binary format and never change.
 */
public enum TaskState {
  RUNNING(0, "R"),
  /** Runnable and preempted ("R+" in ftrace): it goes straight back to the run queue. */
  PREEMPTED(1, "R+"),
  SLEEPING(2, "S"),
  /** Uninterruptible sleep, usually I/O. */
  DISK(3, "D"),
  STOPPED(4, "T"),
  TRACED(5, "t"),
  DEAD(6, "X"),
  ZOMBIE(7, "Z"),
  PARKED(8, "P"),
  IDLE(9, "I"),
  /** The source did not say (perf sched timehist without --state, for one). */
  UNKNOWN(15, "?");

  private static final TaskState[] BY_CODE = new TaskState[16];

  static {
    for (TaskState s : values()) BY_CODE[s.code] = s;
  }

  private final int code;
  private final String letters;

  TaskState(int code, String letters) {
    this.code = code;
    this.letters = letters;
  }

  public int code() {
    return code;
  }

  /** As ftrace prints it. */
  public String letters() {
    return letters;
  }

  /** Still wants a CPU after being switched out. */
  public boolean runnable() {
    return this == RUNNING || this == PREEMPTED;
  }

  public static TaskState ofCode(int code) {
    return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
  }

  /**
   * Parses a prev_state as ftrace ("R", "R+", "S", "D|K", "I"), trace-cmd's plugin ("S|W", "x")
   * or a raw number ("1", "0x402") print it; null if it is none of these. Combined states take the
   * first letter, which is the strongest reason the task left the CPU.
   */
  public static TaskState parse(String s) {
    if (s == null || s.isEmpty()) return null;
    char c = s.charAt(0);
    if (c >= '0' && c <= '9') return parseNumber(s);
    TaskState base = switch (c) {
      case 'R' -> RUNNING;
      case 'S' -> SLEEPING;
      case 'D' -> DISK;
      case 'T' -> STOPPED;
      case 't' -> TRACED;
      case 'X', 'x' -> DEAD;
      case 'Z' -> ZOMBIE;
      case 'P' -> PARKED;
      // trace-cmd's plugin prints bit 7 as 'W' (TASK_WAKING once); since 4.14 that bit is TASK_REPORT_IDLE.
      case 'I', 'W' -> IDLE;
      case 'K', 'N', '?' -> UNKNOWN;
      default -> null;
    };
    if (base == null) return null;
    for (int i = 1; i < s.length(); i++) {
      char k = s.charAt(i);
      if (k == '+') return base == RUNNING ? PREEMPTED : base;
      if (k != '|' && !Character.isLetter(k)) return null;
    }
    return base;
  }

  /** A raw prev_state: bit 0 S, 1 D, 2 T, 3 t, 4 X, 5 Z, 6 P, 7 I; 0 is R; a higher bit alone is R+. */
  private static TaskState parseNumber(String s) {
    long v;
    try {
      v = s.startsWith("0x") || s.startsWith("0X") ? Long.parseLong(s.substring(2), 16) : Long.parseLong(s);
    } catch (NumberFormatException e) {
      return null;
    }
    if (v < 0) return null;
    TaskState[] bits = {SLEEPING, DISK, STOPPED, TRACED, DEAD, ZOMBIE, PARKED, IDLE};
    for (int i = 0; i < bits.length; i++) if ((v & (1L << i)) != 0) return bits[i];
    return v == 0 ? RUNNING : PREEMPTED;
  }
}
