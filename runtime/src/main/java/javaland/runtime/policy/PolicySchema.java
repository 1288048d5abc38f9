package javaland.runtime.policy;

import java.util.List;
import javaland.models.params.ParameterSet;
import javaland.models.params.Schema;
import javaland.runtime.kernel.KernelKnob;
import javaland.sdk.Param;
import javaland.sdk.Parameter;
import javaland.sdk.Policy;

/** The parameters a scheduler running a policy understands, and how values reach the policy. */
public final class PolicySchema {
  private PolicySchema() {}

  /** The policy's parameters, then the kernel half's ({@link KernelKnob}). */
  public static Schema of(Policy policy) {
    List<Parameter> own = policy.parameters().stream().map(Param::spec).toList();
    return Schema.of(own, KernelKnob.PARAMETERS);
  }

  /**
   * Puts {@code values} (a set of {@link #of}'s schema) into the policy's parameter fields and
   * tells it so. Between batches only, on the thread that runs {@link Policy#schedule}.
   */
  public static void configure(Policy policy, List<Param> params, ParameterSet values) {
    for (Param p : params) p.set(values.get(p.name()));
    policy.configured();
  }
}
