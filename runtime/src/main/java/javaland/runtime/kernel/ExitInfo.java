package javaland.runtime.kernel;

/** Why the kernel unloaded the scheduler: sched_ext's exit kind, code, reason and message. */
public record ExitInfo(long kind, long exitCode, String reason, String message) {
  public static final long UNREG = 64;
  public static final long UNREG_BPF = 65;
  public static final long UNREG_KERN = 66;
  public static final long SYSRQ = 67;
  public static final long ERROR = 1024;
  public static final long ERROR_BPF = 1025;
  public static final long ERROR_STALL = 1026;

  public static final long DONE = 1;

  /** Unloaded because user space asked (our detach): the normal way to stop. */
  public boolean byUserSpace() {
    return kind == UNREG;
  }

  /** A normal end: our detach, or (simulated kernel) the workload finished. */
  public boolean isCleanEnd() {
    return kind == UNREG || kind == DONE;
  }

  public boolean isError() {
    return kind >= ERROR;
  }

  public String kindName() {
    return switch ((int) kind) {
      case 0 -> "none";
      case 1 -> "done";
      case 64 -> "unregistered";
      case 65 -> "unregistered by BPF";
      case 66 -> "unregistered by the kernel";
      case 67 -> "SysRq-S";
      case 1024 -> "error";
      case 1025 -> "BPF error";
      case 1026 -> "runnable task stall";
      default -> "kind " + kind;
    };
  }

  @Override
  public String toString() {
    return kindName() + " (" + kind + "): " + reason + (message.isEmpty() ? "" : ": " + message);
  }
}
