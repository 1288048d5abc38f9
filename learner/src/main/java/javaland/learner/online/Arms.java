package javaland.learner.online;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import javaland.learner.bandit.ArmGrid;
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
   * A grid from specs like {@code slice_max_us=5000,20000,80000}. Bad syntax, an unknown name, a
   * value out of range or repeated is an error naming the spec; nothing is built.
   */
  public static Arms parse(List<Parameter> schema, List<String> specs) {
    if (specs.isEmpty()) return defaults(schema);
    Map<String, List<Double>> chosen = new LinkedHashMap<>();
    for (String spec : specs) {
      int eq = spec.indexOf('=');
      if (eq <= 0 || eq == spec.length() - 1) {
        throw new IllegalArgumentException("--arms " + spec + ": expected NAME=V1,V2,... (e.g. slice_max_us=5000,20000)");
      }
      String name = spec.substring(0, eq).strip();
      if (chosen.containsKey(name)) throw new IllegalArgumentException("--arms: parameter " + name + " given twice");
      List<Double> values = new ArrayList<>();
      for (String v : spec.substring(eq + 1).split(",")) {
        try {
          values.add(Double.parseDouble(v.strip()));
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("--arms " + spec + ": '" + v.strip() + "' is not a number");
        }
      }
      chosen.put(name, values);
    }
    try {
      return new Arms(ArmGrid.of(schema, chosen), List.copyOf(chosen.keySet()));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--arms: " + e.getMessage(), e);
    }
  }

  /**
   * The default: the policy's first two parameters (not the kernel half's, whose extremes can
   * make the whole machine worse) at a quarter of, at, and four times their default, within range;
   * 9 arms for the deadline policy.
   */
  public static Arms defaults(List<Parameter> schema) {
    Map<String, List<Double>> chosen = new LinkedHashMap<>();
    for (Parameter p : schema) {
      if (p.name().startsWith("kernel.") || chosen.size() == 2) continue;
      TreeSet<Double> v = new TreeSet<>();
      for (double f : new double[] {0.25, 1, 4}) v.add(Math.max(p.min(), Math.min(p.max(), Math.rint(p.defaultValue() * f))));
      if (v.size() > 1) chosen.put(p.name(), new ArrayList<>(v));
    }
    if (chosen.isEmpty()) {
      throw new IllegalArgumentException("the policy has no parameter to learn over; give --arms NAME=V1,V2,...");
    }
    return new Arms(ArmGrid.of(schema, chosen), List.copyOf(chosen.keySet()));
  }
}
