package javaland.lab.learn;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javaland.learner.bandit.ArmGrid;
import javaland.sdk.Parameter;
import javaland.runtime.Scheduler;
import javaland.runtime.policy.PolicyCatalog;
import javaland.runtime.policy.PolicySchema;

/**
 * The arms explored offline, written as {@code NAME=V1,V2,...;NAME=...} (e.g.
 * {@code slice_max_us=500,2000,20000;kernel.idle_fastpath=0,1}): the Cartesian product over the
 * named parameters of a policy, every other parameter at its default. Names and values are checked
 * against the policy's schema and the kernel's parameters ({@link ArmGrid#of}).
 */
public final class ArmSpec {
  private ArmSpec() {}

  /** The full schema the arms live in: the policy's parameters, then the kernel half's. */
  public static List<Parameter> schema(String policy) {
    return PolicySchema.of(PolicyCatalog.installed().create(policy)).parameters();
  }

  /** A modest default grid per shipped policy (10 arms or fewer), chosen where the simulator shows differences. */
  public static Map<String, List<Double>> defaults(String policy) {
    Map<String, List<Double>> m = new LinkedHashMap<>();
    switch (policy) {
      case "deadline" -> m.put("slice_max_us", List.of(500.0, 1000.0, 2000.0, 5000.0, 20000.0));
      case "fifo" -> m.put("slice_us", List.of(500.0, 1000.0, 2000.0, 5000.0, 20000.0));
      case "example" -> {
        m.put("slice_us", List.of(500.0, 3000.0, 10000.0));
        m.put("hog_slice_us", List.of(1000.0, 10000.0));
      }
      default -> {
        Parameter first = schema(policy).get(0);
        m.put(first.name(), List.of(first.min(), first.defaultValue(), first.max()));
      }
    }
    if (!policy.equals("example")) m.put("kernel.idle_fastpath", List.of(0.0, 1.0));
    return m;
  }

  /**
   * Parses {@code NAME=V1,V2;NAME=...}; throws IllegalArgumentException naming the part that is
   * wrong (a missing '=', a value that is not a number, a name given twice).
   */
  public static Map<String, List<Double>> parse(String text) {
    Map<String, List<Double>> out = new LinkedHashMap<>();
    if (text == null || text.isBlank()) throw new IllegalArgumentException("--arms is empty; write NAME=V1,V2;NAME=V1,V2");
    for (String part : text.split(";")) {
      if (part.isBlank()) continue;
      int eq = part.indexOf('=');
      if (eq <= 0) throw new IllegalArgumentException("--arms: '" + part.trim() + "' is not NAME=V1,V2,...");
      String name = part.substring(0, eq).trim();
      List<Double> values = new ArrayList<>();
      for (String v : part.substring(eq + 1).split(",")) {
        try {
          values.add(Double.parseDouble(v.trim()));
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("--arms: " + name + ": '" + v.trim() + "' is not a number");
        }
      }
      if (out.put(name, values) != null) throw new IllegalArgumentException("--arms: " + name + " is given twice");
    }
    if (out.isEmpty()) throw new IllegalArgumentException("--arms is empty; write NAME=V1,V2;NAME=V1,V2");
    return out;
  }

  /** The grid of {@code chosen} over {@code policy}'s schema; errors name the parameter. */
  public static ArmGrid grid(String policy, Map<String, List<Double>> chosen) {
    return ArmGrid.of(schema(policy), chosen);
  }

  /** "slice_max_us=500,kernel.idle_fastpath=0": the values of an arm that differ across the grid. */
  public static String label(ArmGrid grid, int arm, Map<String, List<Double>> chosen) {
    Map<String, Double> p = grid.parameters(arm);
    StringBuilder s = new StringBuilder();
    for (String name : chosen.keySet()) {
      if (!s.isEmpty()) s.append(',');
      s.append(name).append('=').append(number(p.get(name)));
    }
    return s.isEmpty() ? "defaults" : s.toString();
  }

  /** The arm's values that the grid varies (the rest are defaults), in grid order. */
  public static Map<String, Double> varied(ArmGrid grid, int arm, Map<String, List<Double>> chosen) {
    Map<String, Double> p = grid.parameters(arm);
    Map<String, Double> out = new LinkedHashMap<>();
    for (String name : chosen.keySet()) out.put(name, p.get(name));
    return out;
  }

  static String number(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e15) return Long.toString((long) v);
    return Double.toString(v);
  }
}
