package javaland.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code PUT /parameters} (schema Proposal): the values to change (names not given keep theirs),
 * why, and where from; {@code reason} and {@code origin} may be null.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Proposal(Map<String, Double> values, String reason, Origin origin) {
  public Proposal {
    values = values == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(values));
  }
}
