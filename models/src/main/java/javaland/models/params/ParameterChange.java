package javaland.models.params;

import java.util.Map;
import java.util.TreeMap;

/**
 * Some parameters of a {@link Schema} with new values, each checked against its declaration:
 * what a proposal, a {@code --set} or an arm changes. Only {@link Schema#change} makes one;
 * applying it ({@link ParameterSet#with}) checks nothing more.
 */
public final class ParameterChange {
  private final Schema schema;
  private final Map<String, Double> values;

  ParameterChange(Schema schema, Map<String, Double> values) {
    this.schema = schema;
    this.values = java.util.Collections.unmodifiableMap(new TreeMap<>(values));
  }

  public Schema schema() {
    return schema;
  }

  /** The new values by name, sorted. */
  public Map<String, Double> values() {
    return values;
  }

  public boolean isEmpty() {
    return values.isEmpty();
  }

  @Override
  public String toString() {
    return values.toString();
  }
}
