package javaland.models.registry;

import java.time.Instant;
import java.util.Map;

/**
 * One line of the audit log: a change of the parameters in force or of the canary's state.
 *
 * @param event {@code start}, {@code propose}, {@code commit}, {@code rollback} (asked for),
 *     {@code guard_revert} (a runtime guard fired), {@code timeout_revert} (no verdict in time),
 *     {@code swap} (another policy tried as a canary, its values recorded under its name);
 *     after the kernel unloaded the scheduler: {@code unload}, {@code unload_revert} (the candidate
 *     in force then), {@code restart} (attached again) or {@code give_up} (stays off)
 * @param policy the policy the versions are for
 * @param version the version in force after the event (the candidate, the restored copy, ...)
 * @param fromVersion the version in force before it (0 at start)
 * @param provenance who, why and the figures behind it
 * @param values the parameters in force after the event
 */
public record AuditEntry(Instant at, String event, String policy, long version, long fromVersion,
    Provenance provenance, Map<String, Double> values) {
  public AuditEntry {
    values = values == null ? Map.of() : Map.copyOf(values);
  }
}
