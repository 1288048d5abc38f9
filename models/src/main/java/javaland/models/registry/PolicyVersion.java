package javaland.models.registry;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One version of the parameters in force: the policy they are for, every value (policy and
 * "kernel." ones), and where they came from. Versions are numbered from 1 and never reused.
 */
public record PolicyVersion(long version, String policy, Map<String, Double> values, Provenance provenance) {
  public PolicyVersion {
    if (version < 1) throw new IllegalArgumentException("version must be >= 1, got " + version);
    Objects.requireNonNull(policy, "policy");
    values = java.util.Collections.unmodifiableMap(new TreeMap<>(values));
    Objects.requireNonNull(provenance, "provenance");
  }
}
