package javaland.learner.online;

import java.util.List;
import java.util.Map;
import javaland.learner.bandit.ArmGrid;
import javaland.learner.bandit.ArmSpecs;
import javaland.sdk.Parameter;

/**
 * The arm set of the online learner, from {@code --arms} specs ({@code NAME=V1,V2,...}, one per
 * parameter) or, when none are given, a default over the schema the runtime serves.
 */
public record Arms(ArmGrid grid, List<String> varied) {
  public Arms {
    varied = List.copyOf(varied);
  }

  public int size() {
    return grid.size();
  }

  /** What proposing {@code arm} sets: only the parameters the arms vary (the others keep their value). */
  public Map<String, Double> values(int arm) {
    Map<String, Double> all = grid.parameters(arm);
    Map<String, Double> out = new java.util.TreeMap<>();
    for (String n : varied) out.put(n, all.get(n));
    return out;
  }

  /** The arm whose varied parameters equal those in {@code values}, or -1 (the version in force is off the grid). */
  public int indexOf(Map<String, Double> values) {
    for (int a = 0; a < grid.size(); a++) {
      Map<String, Double> v = values(a);
      boolean same = true;
      for (String n : varied) same &= v.get(n).equals(values.get(n));
      if (same) return a;
    }
    return -1;
  }

  /**
   * A grid from specs like {@code slice_max_us=5000,20000,80000} ({@link ArmSpecs#parse}), or the
   * default one ({@link ArmSpecs#defaults}) when none are given. Bad syntax, an unknown name, a
   * value out of range or repeated is an error naming the spec; nothing is built.
   */
  public static Arms parse(List<Parameter> schema, List<String> specs) {
    Map<String, List<Double>> chosen = specs.isEmpty() ? ArmSpecs.defaults(schema) : ArmSpecs.parse(specs);
    try {
      return new Arms(ArmGrid.of(schema, chosen), List.copyOf(chosen.keySet()));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--arms: " + e.getMessage(), e);
    }
  }

  /** The default grid over {@code schema} ({@link ArmSpecs#defaults}). */
  public static Arms defaults(List<Parameter> schema) {
    return parse(schema, List.of());
  }
}
