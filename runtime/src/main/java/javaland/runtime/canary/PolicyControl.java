package javaland.runtime.canary;

import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import javaland.sdk.Parameter;
import javaland.models.canary.CanaryStatus;
import javaland.models.registry.PolicyVersion;
import javaland.models.registry.Provenance;
import javaland.models.params.ParameterChange;
import javaland.models.params.Schema;

/**
 * What the control plane (REST API, CLI) may do to the parameters in force. Implemented by the
 * runtime over the registry and the canary; every change is versioned and audited.
 */
public interface PolicyControl {
  /** The policy's and the kernel half's parameters, with ranges, defaults and units. */
  Schema schema();

  /** The version in force right now (the candidate while a canary runs). */
  PolicyVersion current();

  CanaryStatus canary();

  /**
   * Starts a canary with {@code change} (made by {@link #schema()}, so already checked) over the
   * values in force: names it does not give keep their current value. Throws
   * {@link IllegalStateException} when a canary is already running; nothing is applied then.
   */
  CanaryStatus propose(ParameterChange change, Provenance why);

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

  /** The policies {@link #swap} can put in force (the shipped ones and those of --policy-jar). */
  default List<String> policies() {
    return List.of(current().policy());
  }

  /**
   * Starts a canary of another policy, swapped in while the kernel half stays attached. Throws
   * {@link IllegalArgumentException} for a policy not installed, {@link IllegalStateException}
   * when a canary is running or the policy is already in force; nothing changes then.
   */
  default CanaryStatus swap(String policy, Provenance why) {
    throw new IllegalStateException("this runtime cannot swap policies");
  }
}
