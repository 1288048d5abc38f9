package javaland.telemetry.psi;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.Optional;

/**
 * The last few snapshots of one scope, to answer "how much stall over the last {@code w}" for
 * any {@code w} up to what is kept. Thread-safe.
 */
public final class PsiHistory {
  private final int capacity;
  private final Deque<PsiSnapshot> snapshots = new ArrayDeque<>();

  /** Keeps the newest {@code capacity} snapshots (e.g. 3600 at one per second: an hour). */
  public PsiHistory(int capacity) {
    if (capacity < 2) throw new IllegalArgumentException("a history needs room for 2 snapshots, got " + capacity);
    this.capacity = capacity;
  }

  public synchronized void add(PsiSnapshot s) {
    PsiSnapshot last = snapshots.peekLast();
    if (last != null) {
      if (!last.scope().equals(s.scope())) {
        throw new IllegalArgumentException("history of " + last.scope() + " given a snapshot of " + s.scope());
      }
      if (s.monotonicNs() < last.monotonicNs()) throw new IllegalArgumentException("snapshot older than the last one");
    }
    snapshots.addLast(s);
    while (snapshots.size() > capacity) snapshots.removeFirst();
  }

  public synchronized int size() {
    return snapshots.size();
  }

  /**
   * The delta from the newest snapshot taken at least {@code window} before the latest one, to
   * the latest; if none is that old, from the oldest kept (the delta's {@link
   * PsiDelta#windowNs()} says what window it really covers). Empty with fewer than 2 snapshots.
   */
  public synchronized Optional<PsiDelta> over(Duration window) {
    if (snapshots.size() < 2) return Optional.empty();
    PsiSnapshot latest = snapshots.peekLast();
    long cutoff = latest.monotonicNs() - window.toNanos();
    PsiSnapshot from = snapshots.peekFirst();
    Iterator<PsiSnapshot> it = snapshots.descendingIterator();
    it.next(); // latest
    while (it.hasNext()) {
      PsiSnapshot s = it.next();
      if (s.monotonicNs() <= cutoff) {
        from = s;
        break;
      }
    }
    return Optional.of(latest.since(from));
  }
}
