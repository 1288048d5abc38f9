package javaland.runtime.policy;

import java.util.Map;
import javaland.models.params.ParameterSet;
import javaland.runtime.kernel.KernelParams;
import javaland.sdk.Policy;

/**
 * A fresh policy with a checked set of values in force, and the kernel half's part of the same
 * set: what a simulated run needs (replay, experiments, training) to start.
 */
public record ConfiguredPolicy(Policy policy, ParameterSet values) {
  /**
   * Policy {@code name} from the installed catalog with {@code given} (policy and {@code kernel.*}
   * parameters) over its defaults. Throws naming the unknown policy, or every unknown parameter
   * and value out of range.
   */
  public static ConfiguredPolicy of(String name, Map<String, Double> given) {
    Policy p = PolicyCatalog.installed().create(name);
    ParameterSet values = PolicySchema.of(p).parse(given);
    PolicySchema.configure(p, p.parameters(), values);
    return new ConfiguredPolicy(p, values);
  }

  public KernelParams kernel() {
    return KernelParams.of(values);
  }
}
