package javaland.learner.bandit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javaland.sdk.Parameter;

/**
 * The discrete arms a bandit chooses between: the Cartesian product of chosen values per
 * parameter of a schema (parameters not listed stay at their default). Arm index ↔ parameter map,
 * both ways; the first parameter in schema order varies slowest.
 */
public final class ArmGrid {
  private final List<Parameter> specs;
  private final double[][] values; // per parameter, its chosen values
  private final int size;

  private ArmGrid(List<Parameter> specs, double[][] values) {
    this.specs = List.copyOf(specs);
    this.values = values;
    long n = 1;
    for (double[] v : values) n *= v.length;
    if (n > 100_000) throw new IllegalArgumentException("arm grid has " + n + " arms; at most 100000");
    this.size = (int) n;
  }

  /**
   * A grid over {@code specs} with the given values per parameter name. Every value is checked
   * against its parameter's range; an unknown name, an empty or duplicated value list is an error
   * naming the parameter, and nothing is built.
   */
  public static ArmGrid of(List<Parameter> specs, Map<String, List<Double>> chosen) {
    Map<String, Parameter> byName = new LinkedHashMap<>();
    for (Parameter p : specs) byName.put(p.name(), p);
    for (String name : chosen.keySet()) {
      if (!byName.containsKey(name)) {
        throw new IllegalArgumentException("arm grid: unknown parameter " + name + "; known: "
            + String.join(", ", byName.keySet()));
      }
    }
    double[][] values = new double[specs.size()][];
    for (int i = 0; i < specs.size(); i++) {
      Parameter p = specs.get(i);
      List<Double> given = chosen.get(p.name());
      if (given == null) {
        values[i] = new double[] {p.defaultValue()};
        continue;
      }
      if (given.isEmpty()) throw new IllegalArgumentException("arm grid: no values for parameter " + p.name());
      double[] v = new double[given.size()];
      for (int j = 0; j < v.length; j++) {
        Double x = given.get(j);
        if (x == null) throw new IllegalArgumentException("arm grid: parameter " + p.name() + " value " + j + " is null");
        try {
          p.check(x);
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("arm grid: " + e.getMessage(), e);
        }
        v[j] = x;
      }
      double[] sorted = v.clone();
      Arrays.sort(sorted);
      for (int j = 1; j < sorted.length; j++) {
        if (sorted[j] == sorted[j - 1]) {
          throw new IllegalArgumentException("arm grid: parameter " + p.name() + " lists " + sorted[j] + " twice");
        }
      }
      values[i] = v;
    }
    return new ArmGrid(specs, values);
  }

  /** {@code levels} evenly spaced values from min to max for each named parameter (levels ≥ 2). */
  public static ArmGrid evenly(List<Parameter> specs, Map<String, Integer> levels) {
    Map<String, List<Double>> chosen = new LinkedHashMap<>();
    for (Parameter p : specs) {
      Integer n = levels.get(p.name());
      if (n == null) continue;
      if (n < 2) throw new IllegalArgumentException("arm grid: parameter " + p.name() + " needs at least 2 levels, got " + n);
      List<Double> v = new ArrayList<>();
      for (int i = 0; i < n; i++) v.add(p.min() + (p.max() - p.min()) * i / (n - 1));
      chosen.put(p.name(), v);
    }
    for (String name : levels.keySet()) {
      if (!chosen.containsKey(name)) chosen.put(name, List.of()); // let of() name it as unknown
    }
    return of(specs, chosen);
  }

  public int size() {
    return size;
  }

  /** Parameter names in the order of {@link #vector}. */
  public List<String> names() {
    List<String> out = new ArrayList<>();
    for (Parameter p : specs) out.add(p.name());
    return Collections.unmodifiableList(out);
  }

  /** The parameter values of an arm, by name (every parameter of the schema). */
  public Map<String, Double> parameters(int arm) {
    Checks.arm(arm, size);
    Map<String, Double> out = new TreeMap<>();
    int rest = arm;
    for (int i = specs.size() - 1; i >= 0; i--) {
      out.put(specs.get(i).name(), values[i][rest % values[i].length]);
      rest /= values[i].length;
    }
    return out;
  }

  /** The parameter values of an arm in schema order (features for a reward model). */
  public double[] vector(int arm) {
    Map<String, Double> p = parameters(arm);
    double[] out = new double[specs.size()];
    for (int i = 0; i < out.length; i++) out[i] = p.get(specs.get(i).name());
    return out;
  }

  /** The arm with exactly these values (missing names at their default); error if not on the grid. */
  public int index(Map<String, Double> parameters) {
    for (String name : parameters.keySet()) {
      if (specs.stream().noneMatch(p -> p.name().equals(name))) {
        throw new IllegalArgumentException("unknown parameter " + name);
      }
    }
    int arm = 0;
    for (int i = 0; i < specs.size(); i++) {
      Parameter p = specs.get(i);
      double x = parameters.getOrDefault(p.name(), p.defaultValue());
      int j = 0;
      while (j < values[i].length && values[i][j] != x) j++;
      if (j == values[i].length) {
        throw new IllegalArgumentException("parameter " + p.name() + " = " + x + " is not on the grid "
            + Arrays.toString(values[i]));
      }
      arm = arm * values[i].length + j;
    }
    return arm;
  }
}
