package javaland.telemetry.metrics;

import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A value read at most once per {@code maxAgeNs}: a scrape asks each meter separately, and the
 * sources (kernel counters, pressure files, the recorder's interval swap) are best read once.
 * A source that throws keeps the last good value (or {@code initial}); the first failure of
 * each kind is reported to {@code warnings}: a scrape never fails because a source did.
 */
final class Cached<T> implements Supplier<T> {
  private final String what;
  private final Supplier<T> source;
  private final long maxAgeNs;
  private final Consumer<String> warnings;
  private T value;
  private long readAtNs;
  private boolean read;
  private Class<?> lastFailure;

  Cached(String what, Supplier<T> source, long maxAgeNs, T initial, Consumer<String> warnings) {
    this.what = what;
    this.source = source;
    this.maxAgeNs = maxAgeNs;
    this.value = initial;
    this.warnings = warnings;
  }

  @Override
  public synchronized T get() {
    long now = System.nanoTime();
    if (read && now - readAtNs < maxAgeNs) return value;
    try {
      T v = source.get();
      if (v != null) value = v;
      lastFailure = null;
    } catch (RuntimeException e) {
      if (lastFailure != e.getClass()) warnings.accept("reading " + what + " for metrics failed: " + e);
      lastFailure = e.getClass();
    }
    readAtNs = now;
    read = true;
    return value;
  }
}
