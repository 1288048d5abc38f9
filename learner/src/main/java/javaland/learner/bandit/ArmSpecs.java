package javaland.learner.bandit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javaland.sdk.Parameter;

/**
 * The one way arms are written, {@code NAME=V1,V2,...} once per parameter ({@code --arms} of
 * {@code train} and {@code learn}), and the one default grid. Values are checked against the
 * schema when the grid is built ({@link ArmGrid#of}).
 */
public final class ArmSpecs {
  private ArmSpecs() {}

  /**
   * The values per parameter of {@code specs}, in the order given. A spec without '=', a value
   * that is not a number or a name given twice is an error naming the spec; nothing is returned.
   */
  public static Map<String, List<Double>> parse(List<String> specs) {
    if (specs.isEmpty()) throw new IllegalArgumentException("--arms: no arms given; write --arms NAME=V1,V2 once per parameter");
    Map<String, List<Double>> chosen = new LinkedHashMap<>();
    for (String spec : specs) {
      int eq = spec.indexOf('=');
      if (eq <= 0 || eq == spec.strip().length() - 1 || spec.strip().endsWith("=")) {
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
    return chosen;
  }

  /**
   * The default grid over {@code schema}: every parameter that declares values worth exploring
   * ({@link Parameter#explore}), the policy's and the kernel half's; when none does (the REST API
   * lists no such values), the policy's first two parameters at a quarter of, at and four times
   * their default, within range (9 arms for the deadline policy). The kernel half's extremes can
   * make the whole machine worse, so they are explored only where declared.
   */
  public static Map<String, List<Double>> defaults(List<Parameter> schema) {
    Map<String, List<Double>> chosen = new LinkedHashMap<>();
    for (Parameter p : schema) if (!p.explore().isEmpty()) chosen.put(p.name(), p.explore());
    if (chosen.isEmpty()) {
      for (Parameter p : schema) {
        if (p.name().startsWith("kernel.") || chosen.size() == 2) continue;
        List<Double> v = p.exploreOrDerived();
        if (v.size() > 1) chosen.put(p.name(), v);
      }
    }
    if (chosen.isEmpty()) {
      throw new IllegalArgumentException("the policy has no parameter to learn over; give --arms NAME=V1,V2,...");
    }
    return chosen;
  }
}
