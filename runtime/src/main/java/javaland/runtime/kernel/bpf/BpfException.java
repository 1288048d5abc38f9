package javaland.runtime.kernel.bpf;

import java.util.List;

/** A libbpf or syscall failure, with the errno and the log lines libbpf printed for it. */
public final class BpfException extends RuntimeException {
  private final int error;
  private final List<String> libbpfLog;

  public BpfException(String what, int negativeErrno, String errnoText) {
    this(what, negativeErrno, errnoText, List.of());
  }

  public BpfException(String what, int negativeErrno, String errnoText, List<String> libbpfLog) {
    super(what + " failed: " + errnoText + " (errno " + -negativeErrno + ")"
        + (libbpfLog.isEmpty() ? "" : "\nlibbpf said:\n  " + String.join("\n  ", libbpfLog)));
    this.error = negativeErrno;
    this.libbpfLog = List.copyOf(libbpfLog);
  }

  /** The negative errno, as libbpf returns it. */
  public int error() {
    return error;
  }

  public List<String> libbpfLog() {
    return libbpfLog;
  }
}
