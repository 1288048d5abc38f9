package javaland.telemetry.metrics;

/**
 * The dispatch counters by path, monotonic since attach, as the runtime reads them from the
 * kernel half (the values of {@code javaland_dispatches_total{path=...}}). The paths are meant
 * to be disjoint, so that the sum over every path but {@code cancelled} is all dispatches:
 *
 * @param user decided by Java and applied as decided (bounced ones excluded)
 * @param kernel dispatched by BPF alone: idle fast path, exempt threads, latency-critical wakeups,
 *     full or congested ring (fallbacks and wakeup rules excluded)
 * @param cancelled Java's decision arrived stale and was dropped (the task was dispatched by
 *     another path, so this is not a dispatch of its own)
 * @param fallback Java did not decide within the rescue time; BPF dispatched the task
 * @param bounced decided by Java for a CPU the task may not use; sent to the shared queue
 * @param rule BPF placed the task alone by the rule the policy's last decision for it pushed down: a
 *     wakeup, a yield, or its return after a preemption before its slice ran out
 */
public record DispatchCounts(long user, long kernel, long cancelled, long fallback, long bounced, long rule) {
  public static final DispatchCounts ZERO = new DispatchCounts(0, 0, 0, 0, 0, 0);

  /** The {@code path} tag values, in the order of the components. */
  public enum Path {
    USER("user"), KERNEL("kernel"), CANCELLED("cancelled"), FALLBACK("fallback"), BOUNCED("bounced"), RULE("rule");

    private final String tag;

    Path(String tag) {
      this.tag = tag;
    }

    public String tag() {
      return tag;
    }
  }

  public long get(Path p) {
    return switch (p) {
      case USER -> user;
      case KERNEL -> kernel;
      case CANCELLED -> cancelled;
      case FALLBACK -> fallback;
      case BOUNCED -> bounced;
      case RULE -> rule;
    };
  }
}
