package javaland.runtime.control;

import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import javaland.models.Parameter;
import javaland.models.canary.CanaryStatus;
import javaland.models.registry.PolicyVersion;
import javaland.models.registry.Provenance;

/**
 * What the control plane (REST API, CLI) may do to the parameters in force. Implemented by the
 * runtime over the registry and the canary; every change is versioned and audited.
 */
public interface PolicyControl {
  /** The policy's and the kernel half's parameters, with ranges, defaults and units. */
  List<Parameter> schema();

  /** The version in force right now (the candidate while a canary runs). */
  PolicyVersion current();

  CanaryStatus canary();

  /**
   * Validates {@code values} (a partial map: names not given keep their current value) and starts
   * a canary with them. Throws {@link IllegalArgumentException} naming the first bad parameter,
   * with nothing applied or recorded.
   */
  CanaryStatus propose(Map<String, Double> values, Provenance why);

  /**
   * Ends the running canary by keeping the candidate: it becomes last-known-good. Throws
   * {@link IllegalStateException} when no canary runs.
   */
  CanaryStatus commit(Provenance why);

  /** Every version, oldest first. */
  List<PolicyVersion> history();

  /**
   * Puts {@code version} (or, when empty, the last-known-good one) back in force at once, as a
   * new version. Throws {@link java.util.NoSuchElementException} for an unknown version.
   */
  PolicyVersion rollback(OptionalLong version, Provenance why);
}
