package javaland.trace;

/** Why the kernel half dispatched a task without the policy's decision. Codes are stored in traces. */
public enum FallbackReason {
  /** It waited for a decision longer than kernel.rescue_ms. */
  RESCUED(0),
  /** The ring to Java (or the pending queue) was full. */
  RING_FULL(1),
  /** The backlog for Java was over kernel.congestion_kb. */
  CONGESTED(2),
  OTHER(15);

  private final int code;

  FallbackReason(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }

  /** The reason with this code; unknown codes are OTHER, so newer writers stay readable. */
  public static FallbackReason ofCode(int code) {
    for (FallbackReason r : values()) if (r.code == code) return r;
    return OTHER;
  }
}
