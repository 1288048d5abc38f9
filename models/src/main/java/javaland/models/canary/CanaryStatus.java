package javaland.models.canary;

/**
 * Where the runtime's canary stands.
 *
 * @param state {@code idle} (the last-known-good version is in force), {@code canary} (a
 *     candidate is being tried), {@code committed} or {@code rolled_back} (the last canary's end)
 * @param version the candidate's version (or the version in force when idle)
 * @param baselineVersion the last-known-good version the candidate is judged against
 * @param reason why it is in this state ("p99 delay 4.1 ms > bound 2.0 ms", "learner verdict")
 * @param sinceEpochMs when it entered this state
 */
public record CanaryStatus(String state, long version, long baselineVersion, String reason, long sinceEpochMs) {
  public static final String IDLE = "idle";
  public static final String CANARY = "canary";
  public static final String COMMITTED = "committed";
  public static final String ROLLED_BACK = "rolled_back";
  /** Every state, in the order of {@code javaland_canary_state}'s numbers (0 idle ... 3 rolled back). */
  public static final java.util.List<String> STATES = java.util.List.of(IDLE, CANARY, COMMITTED, ROLLED_BACK);
}
