package javaland.runtime.restart;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import javaland.runtime.kernel.ExitInfo;

/**
 * Restart with memory: what to do each time the kernel unloads the scheduler. Up to {@code limit}
 * unloads within {@code window} are each followed by a new attach after a backoff that doubles
 * with every unload already in the window; the {@code limit}-th within the window ends the run,
 * which then stays off (a crash loop helps nobody: the default scheduler is the safe place). The
 * values themselves are {@code run}'s options (their defaults are declared there, once).
 *
 * <p>Counts every event for {@code javaland_restarts_total{event}}. Thread-safe.
 */
public final class Restarts {
  /** Events of {@code javaland_restarts_total}: the kernel unloaded us, we attached again, we gave up. */
  public static final String UNLOAD = "unload";
  public static final String RESTART = "restart";
  public static final String GIVE_UP = "give_up";
  public static final List<String> EVENTS = List.of(UNLOAD, RESTART, GIVE_UP);

  /**
   * @param limit unloads within {@code window} after which the run stays off; 1 never restarts
   * @param window how far back unloads count
   * @param backoff the wait before the first restart of a window; doubled for each unload already in it
   */
  public record Policy(int limit, Duration window, Duration backoff) {
    public Policy {
      Objects.requireNonNull(window, "window");
      Objects.requireNonNull(backoff, "backoff");
      if (limit < 1) throw new IllegalArgumentException("--unload-limit must be >= 1, got " + limit);
      if (window.isNegative() || window.isZero()) throw new IllegalArgumentException("--unload-window must be positive, got " + window);
      if (backoff.isNegative()) throw new IllegalArgumentException("--restart-backoff must be >= 0, got " + backoff);
    }
  }

  /** What follows an unload: attach again after {@code backoff}, or stay off ({@code giveUp}), and why. */
  public record Verdict(boolean giveUp, Duration backoff, int inWindow, String why) {}

  /** Never restarts and counts nothing: a scheduler nobody supervises. */
  public static final Restarts OFF = new Restarts(new Policy(1, Duration.ofDays(1), Duration.ZERO));

  private final Policy policy;
  private final Deque<Long> unloadsNs = new ArrayDeque<>();
  private final AtomicLong unloads = new AtomicLong();
  private final AtomicLong restarts = new AtomicLong();
  private final AtomicLong gaveUp = new AtomicLong();
  private volatile String gaveUpWhy;

  public Restarts(Policy policy) {
    this.policy = Objects.requireNonNull(policy, "policy");
  }

  public Policy policy() {
    return policy;
  }

  /** Records an unload at {@code nowNs} (monotonic) and says what follows. */
  public synchronized Verdict unloaded(long nowNs, String cause) {
    unloads.incrementAndGet();
    long windowNs = policy.window().toNanos();
    while (!unloadsNs.isEmpty() && nowNs - unloadsNs.peekFirst() >= windowNs) unloadsNs.removeFirst();
    unloadsNs.addLast(nowNs);
    int n = unloadsNs.size();
    if (n >= policy.limit()) {
      String why = n + " unload" + (n == 1 ? "" : "s") + " within " + fmt(policy.window()) + " (--unload-limit "
          + policy.limit() + "), the last: " + cause + "; staying off, the machine is on the default scheduler";
      gaveUp.incrementAndGet();
      gaveUpWhy = why;
      return new Verdict(true, Duration.ZERO, n, why);
    }
    Duration wait = policy.backoff().multipliedBy(1L << Math.min(n - 1, 20));
    return new Verdict(false, wait, n, "unload " + n + " of at most " + (policy.limit() - 1) + " restarted within "
        + fmt(policy.window()) + " (" + cause + "); attaching again in " + fmt(wait) + " with last-known-good values");
  }

  /** A new attach after an unload succeeded. */
  public void restarted() {
    restarts.incrementAndGet();
  }

  /** How many of {@code event} (one of {@link #EVENTS}) so far. */
  public long count(String event) {
    return switch (event) {
      case UNLOAD -> unloads.get();
      case RESTART -> restarts.get();
      case GIVE_UP -> gaveUp.get();
      default -> throw new IllegalArgumentException("unknown restart event " + event + "; known: " + EVENTS);
    };
  }

  /** Why the run stays off, or null while it has not given up. */
  public String gaveUpWhy() {
    return gaveUpWhy;
  }

  /** One sentence on an unload's cause, from the kernel's exit information. */
  public static String cause(ExitInfo exit) {
    return exit == null ? "no exit information" : exit.toString();
  }

  static String fmt(Duration d) {
    long ms = d.toMillis();
    if (ms % 60_000 == 0 && ms > 0) return ms / 60_000 + " min";
    return ms % 1000 == 0 ? ms / 1000 + " s" : ms / 1000.0 + " s";
  }
}
