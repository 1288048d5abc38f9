package javaland.models.params;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import javaland.sdk.Parameter;

/**
 * A complete, validated set of values for a {@link Schema}: every parameter present, every value
 * in range. Only {@link Schema} makes one, so holding one means it was checked; it is immutable
 * and flows unchanged from the edge through the canary and the registry to the dispatch loop.
 */
public final class ParameterSet {
  private final Schema schema;
  private final double[] values;

  ParameterSet(Schema schema, double[] values) {
    this.schema = schema;
    this.values = values;
  }

  public Schema schema() {
    return schema;
  }

  public double get(String name) {
    int i = schema.indexOf(name);
    if (i < 0) throw new IllegalArgumentException("no parameter " + name + " in " + schema);
    return values[i];
  }

  public double get(Parameter p) {
    return get(p.name());
  }

  /** Every value by name, sorted: the form the registry stores and the API shows. */
  public Map<String, Double> values() {
    Map<String, Double> m = new TreeMap<>();
    for (int i = 0; i < values.length; i++) m.put(schema.parameters().get(i).name(), values[i]);
    return java.util.Collections.unmodifiableMap(m);
  }

  /** The values that differ from the defaults, by name. */
  public Map<String, Double> changed() {
    Map<String, Double> m = new TreeMap<>();
    for (int i = 0; i < values.length; i++) {
      Parameter p = schema.parameters().get(i);
      if (values[i] != p.defaultValue()) m.put(p.name(), values[i]);
    }
    return java.util.Collections.unmodifiableMap(m);
  }

  /** This set with {@code change} applied (it was checked when it was made). */
  public ParameterSet with(ParameterChange change) {
    if (!change.schema().equals(schema)) throw new IllegalArgumentException("the change belongs to another schema");
    if (change.isEmpty()) return this;
    double[] v = values.clone();
    change.values().forEach((name, value) -> v[schema.indexOf(name)] = value);
    return new ParameterSet(schema, v);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ParameterSet p && p.schema.equals(schema) && Arrays.equals(p.values, values);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(values);
  }

  @Override
  public String toString() {
    return values().toString();
  }
}
