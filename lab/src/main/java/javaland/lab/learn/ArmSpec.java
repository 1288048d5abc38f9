package javaland.lab.learn;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javaland.learner.bandit.ArmGrid;
import javaland.learner.bandit.ArmSpecs;
import javaland.sdk.Parameter;
import javaland.runtime.Scheduler;
import javaland.runtime.policy.PolicyCatalog;
import javaland.runtime.policy.PolicySchema;

/**
 * The arms explored offline, written as {@code train} and {@code learn} write them, one
 * {@code NAME=V1,V2,...} per parameter ({@link ArmSpecs}): the Cartesian product over the named
 * parameters of a policy, every other parameter at its default. Names and values are checked
 * against the policy's schema and the kernel's parameters ({@link ArmGrid#of}).
 */
public final class ArmSpec {
  private ArmSpec() {}

  /** The full schema the arms live in: the policy's parameters, then the kernel half's. */
  public static List<Parameter> schema(String policy) {
    return PolicySchema.of(PolicyCatalog.installed().create(policy)).parameters();
  }

  /** The default grid over {@code policy}'s schema ({@link ArmSpecs#defaults}: what its parameters declare). */
  public static Map<String, List<Double>> defaults(String policy) {
    return ArmSpecs.defaults(schema(policy));
  }

  /** {@code --arms NAME=V1,V2} specs, one per parameter ({@link ArmSpecs#parse}). */
  public static Map<String, List<Double>> parse(List<String> specs) {
    return ArmSpecs.parse(specs);
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
