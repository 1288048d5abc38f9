package javaland.models.params;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javaland.models.FieldError;
import javaland.sdk.Parameter;

/**
 * The parameters one scheduler understands (its policy's, then the kernel half's), and the one
 * place where values from outside become a {@link ParameterSet}: every edge (command line, API
 * body, registry file, experiment spec, learner arms) parses here, once.
 */
public final class Schema {
  private final List<Parameter> parameters;
  private final Map<String, Integer> index = new LinkedHashMap<>();

  private Schema(List<Parameter> parameters) {
    this.parameters = List.copyOf(parameters);
    for (int i = 0; i < this.parameters.size(); i++) {
      if (index.put(this.parameters.get(i).name(), i) != null) {
        throw new IllegalArgumentException("parameter " + this.parameters.get(i).name() + " is declared twice");
      }
    }
  }

  public static Schema of(List<Parameter> parameters) {
    return new Schema(parameters);
  }

  /** {@code first}'s parameters, then {@code second}'s; a name in both is an error. */
  public static Schema of(List<Parameter> first, List<Parameter> second) {
    List<Parameter> all = new ArrayList<>(first);
    all.addAll(second);
    return new Schema(all);
  }

  public List<Parameter> parameters() {
    return parameters;
  }

  public int size() {
    return parameters.size();
  }

  public Optional<Parameter> find(String name) {
    Integer i = index.get(name);
    return i == null ? Optional.empty() : Optional.of(parameters.get(i));
  }

  /** Position of {@code name} in {@link #parameters()}, or -1. */
  public int indexOf(String name) {
    Integer i = index.get(name);
    return i == null ? -1 : i;
  }

  public ParameterSet defaults() {
    double[] v = new double[parameters.size()];
    for (int i = 0; i < v.length; i++) v[i] = parameters.get(i).defaultValue();
    return new ParameterSet(this, v);
  }

  /**
   * Checks {@code given} (some of this schema's parameters) once: throws {@link
   * ParameterException} listing every unknown name and every value out of range, in name order.
   */
  public ParameterChange change(Map<String, Double> given) {
    List<FieldError> errors = new ArrayList<>();
    for (Map.Entry<String, Double> e : new java.util.TreeMap<>(given).entrySet()) {
      Integer i = index.get(e.getKey());
      if (i == null) {
        errors.add(new FieldError(e.getKey(), 0, "unknown parameter " + e.getKey() + "; known: "
            + String.join(", ", index.keySet())));
        continue;
      }
      String why = parameters.get(i).problem(e.getValue() == null ? Double.NaN : e.getValue());
      if (why != null) errors.add(new FieldError(e.getKey(), 0, why));
    }
    if (!errors.isEmpty()) throw new ParameterException(errors);
    return new ParameterChange(this, given);
  }

  /** {@code given} over the defaults: a complete set (a registry version, a spec's values). */
  public ParameterSet parse(Map<String, Double> given) {
    return defaults().with(change(given));
  }

  /** {@code given} over {@code base}: a name not given keeps its value in {@code base}. */
  public ParameterSet over(ParameterSet base, Map<String, Double> given) {
    return base.with(change(given));
  }

  /** The names and values of {@code values} with each value parsed as a number; errors name the key. */
  public static Map<String, Double> numbers(Map<String, String> values) {
    Map<String, Double> out = new LinkedHashMap<>();
    List<FieldError> errors = new ArrayList<>();
    values.forEach((k, v) -> {
      try {
        out.put(k, switch (v.strip()) {
          case "true", "on" -> 1.0;
          case "false", "off" -> 0.0;
          default -> Double.parseDouble(v.strip());
        });
      } catch (NumberFormatException e) {
        errors.add(new FieldError(k, 0, "parameter " + k + " = '" + v + "' is not a number"));
      }
    });
    if (!errors.isEmpty()) throw new ParameterException(errors);
    return out;
  }

  /** Schemas of the same declarations are equal: values of one fit the other. */
  @Override
  public boolean equals(Object o) {
    return o instanceof Schema s && s.parameters.equals(parameters);
  }

  @Override
  public int hashCode() {
    return parameters.hashCode();
  }

  @Override
  public String toString() {
    return "Schema" + index.keySet();
  }
}
