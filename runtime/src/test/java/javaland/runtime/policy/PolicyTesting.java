package javaland.runtime.policy;

import java.util.Map;
import javaland.sdk.Policy;

/** For tests: put parameter values into a policy as the dispatch loop does. */
public final class PolicyTesting {
  private PolicyTesting() {}

  /** {@code values} (some of the policy's parameters) over its defaults, checked and put in force. */
  public static void configure(Policy policy, Map<String, Double> values) {
    PolicySchema.configure(policy, policy.parameters(), PolicySchema.of(policy).parse(values));
  }
}
