package javaland.models;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Validated parameter values: every name known, every value in range, defaults filled in. */
public record Parameters(Map<String, Double> values) {
  public Parameters {
    values = Map.copyOf(values);
  }

  /**
   * Checks {@code given} against {@code specs} and fills in defaults. Unknown names and values
   * out of range are errors that name the parameter; nothing is partially applied.
   */
  public static Parameters of(List<Parameter> specs, Map<String, Double> given) {
    Map<String, Parameter> byName = new LinkedHashMap<>();
    for (Parameter p : specs) byName.put(p.name(), p);
    Map<String, Double> out = new TreeMap<>();
    for (Parameter p : specs) out.put(p.name(), p.defaultValue());
    for (Map.Entry<String, Double> e : given.entrySet()) {
      Parameter p = byName.get(e.getKey());
      if (p == null) {
        throw new IllegalArgumentException("unknown parameter " + e.getKey() + "; known: "
            + String.join(", ", byName.keySet()));
      }
      p.check(e.getValue());
      out.put(p.name(), e.getValue());
    }
    return new Parameters(out);
  }

  public static Parameters defaults(List<Parameter> specs) {
    return of(specs, Map.of());
  }

  public double get(String name) {
    Double v = values.get(name);
    if (v == null) throw new IllegalArgumentException("no parameter " + name);
    return v;
  }

  /** A value given in microseconds, in nanoseconds. */
  public long micros(String name) {
    return Math.round(get(name) * 1_000);
  }
}
