package javaland.telemetry.psi;

import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The pressure files of one scope (the system, or one cgroup) read at one instant.
 *
 * @param scope "system" or the cgroup's path, e.g. "/system.slice/javaland.service"
 * @param monotonicNs {@link System#nanoTime()} when read: windows are measured with it
 * @param records the resources that could be read
 * @param unavailable the resources whose file is missing or unreadable (never an error)
 */
public record PsiSnapshot(String scope, long monotonicNs, Map<PsiResource, PsiRecord> records,
    Set<PsiResource> unavailable) {
  public PsiSnapshot {
    records = Collections.unmodifiableMap(records.isEmpty()
        ? new EnumMap<>(PsiResource.class) : new EnumMap<>(records));
    unavailable = Collections.unmodifiableSet(unavailable.isEmpty()
        ? EnumSet.noneOf(PsiResource.class) : EnumSet.copyOf(unavailable));
  }

  public Optional<PsiRecord> record(PsiResource r) {
    return Optional.ofNullable(records.get(r));
  }

  public Optional<PsiStall> stall(PsiResource r, PsiKind kind) {
    PsiRecord rec = records.get(r);
    return rec == null ? Optional.empty() : rec.stall(kind);
  }

  /**
   * What happened between {@code earlier} and this snapshot, from the {@code total} counters.
   * A line present in only one of them is left out. A total that went down (the cgroup was
   * removed and created again) counts as a reset: the delta is the new total.
   */
  public PsiDelta since(PsiSnapshot earlier) {
    if (!earlier.scope.equals(scope)) {
      throw new IllegalArgumentException("snapshots of different scopes: " + earlier.scope + " and " + scope);
    }
    long window = monotonicNs - earlier.monotonicNs;
    if (window < 0) throw new IllegalArgumentException("'earlier' was taken " + (-window) + " ns after this snapshot");
    Map<PsiResource, long[]> stalls = new EnumMap<>(PsiResource.class);
    for (PsiResource r : PsiResource.values()) {
      long[] us = {-1, -1};
      boolean any = false;
      for (PsiKind k : PsiKind.values()) {
        Optional<PsiStall> now = stall(r, k);
        Optional<PsiStall> then = earlier.stall(r, k);
        if (now.isPresent() && then.isPresent()) {
          long d = now.get().totalUs() - then.get().totalUs();
          us[k.ordinal()] = d >= 0 ? d : now.get().totalUs();
          any = true;
        }
      }
      if (any) stalls.put(r, us);
    }
    return new PsiDelta(scope, window, stalls);
  }
}
