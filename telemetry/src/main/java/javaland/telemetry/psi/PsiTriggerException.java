package javaland.telemetry.psi;

import java.io.IOException;

/** A PSI trigger could not be set up or waited on; {@link #errno()} is the kernel's reason (0 if none). */
public final class PsiTriggerException extends IOException {
  private static final long serialVersionUID = 1L;
  static final int EPERM = 1;
  static final int EACCES = 13;
  static final int EROFS = 30;

  private final int errno;

  PsiTriggerException(String message, int errno) {
    super(message);
    this.errno = errno;
  }

  public int errno() {
    return errno;
  }

  /** True when the process lacks the privilege (EPERM, EACCES, or a read-only /proc). */
  public boolean notPermitted() {
    return errno == EPERM || errno == EACCES || errno == EROFS;
  }
}
