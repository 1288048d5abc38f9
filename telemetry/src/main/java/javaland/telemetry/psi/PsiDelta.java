package javaland.telemetry.psi;

import java.util.EnumMap;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * Stall time over a window, from two snapshots' {@code total} counters (see
 * {@link PsiSnapshot#since}). Unlike the kernel's avg10/60/300, the window is whatever the caller
 * chose: a scrape interval, one benchmark run, one canary period.
 */
public final class PsiDelta {
  private final String scope;
  private final long windowNs;
  private final Map<PsiResource, long[]> stallUs;

  PsiDelta(String scope, long windowNs, Map<PsiResource, long[]> stallUs) {
    this.scope = scope;
    this.windowNs = windowNs;
    this.stallUs = new EnumMap<>(PsiResource.class);
    stallUs.forEach((r, v) -> this.stallUs.put(r, v.clone()));
  }

  public String scope() {
    return scope;
  }

  public long windowNs() {
    return windowNs;
  }

  /** Microseconds stalled during the window; empty if either snapshot lacked the line. */
  public OptionalLong stallUs(PsiResource r, PsiKind kind) {
    long[] v = stallUs.get(r);
    if (v == null || v[kind.ordinal()] < 0) return OptionalLong.empty();
    return OptionalLong.of(v[kind.ordinal()]);
  }

  /**
   * The share of the window spent stalled, 0..1 (the kernel's avg fields are the same thing in
   * percent, smoothed). Empty if the line is missing or the window is empty.
   */
  public OptionalDouble stallRatio(PsiResource r, PsiKind kind) {
    OptionalLong us = stallUs(r, kind);
    if (us.isEmpty() || windowNs <= 0) return OptionalDouble.empty();
    return OptionalDouble.of(us.getAsLong() * 1000.0 / windowNs);
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder("PsiDelta[").append(scope).append(", ").append(windowNs / 1_000_000).append(" ms");
    stallUs.forEach((r, v) -> {
      for (PsiKind k : PsiKind.values()) {
        if (v[k.ordinal()] >= 0) b.append(", ").append(r.label()).append(' ').append(k.label()).append('=').append(v[k.ordinal()]).append("us");
      }
    });
    return b.append(']').toString();
  }
}
