package javaland.runtime.api;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.OptionalLong;
import javaland.models.Parameter;
import javaland.models.canary.CanaryStatus;
import javaland.models.registry.PolicyVersion;
import javaland.models.registry.Provenance;
import javaland.runtime.control.PolicyControl;

/**
 * An in-memory PolicyControl that keeps the interface's promises (validate first, nothing
 * recorded on refusal; commit only while a canary runs; unknown versions throw) and counts calls,
 * so tests can assert that a refused request changed nothing.
 */
public final class FakePolicyControl implements PolicyControl {
  public static final List<Parameter> SCHEMA = List.of(
      new Parameter("slice_max_us", 100, 100_000, 20_000, "us", "longest slice"),
      new Parameter("kernel.rescue_ms", 1, 4_000, 100, "ms", "rescue after"));

  private final List<PolicyVersion> history = new ArrayList<>();
  private long lastKnownGood = 1;
  private CanaryStatus canary;
  public int changes;

  public FakePolicyControl() {
    Map<String, Double> defaults = new HashMap<>();
    SCHEMA.forEach(p -> defaults.put(p.name(), p.defaultValue()));
    history.add(new PolicyVersion(1, "deadline", defaults, Provenance.now("runtime", "defaults")));
    canary = new CanaryStatus(CanaryStatus.IDLE, 1, 1, "", 1_000);
  }

  @Override
  public synchronized List<Parameter> schema() {
    return SCHEMA;
  }

  @Override
  public synchronized PolicyVersion current() {
    return history.get(history.size() - 1);
  }

  @Override
  public synchronized CanaryStatus canary() {
    return canary;
  }

  @Override
  public synchronized CanaryStatus propose(Map<String, Double> values, Provenance why) {
    Map<String, Double> next = new HashMap<>(current().values());
    values.forEach((k, v) -> {
      Parameter p = SCHEMA.stream().filter(q -> q.name().equals(k)).findFirst()
          .orElseThrow(() -> new IllegalArgumentException("unknown parameter " + k));
      p.check(v);
      next.put(k, v);
    });
    PolicyVersion v = new PolicyVersion(history.size() + 1, "deadline", next, why);
    history.add(v);
    changes++;
    canary = new CanaryStatus(CanaryStatus.CANARY, v.version(), lastKnownGood, why.reason(), 2_000);
    return canary;
  }

  @Override
  public synchronized CanaryStatus commit(Provenance why) {
    if (!canary.state().equals(CanaryStatus.CANARY)) throw new IllegalStateException("no canary is running");
    lastKnownGood = canary.version();
    changes++;
    canary = new CanaryStatus(CanaryStatus.COMMITTED, canary.version(), lastKnownGood, why.reason(), 3_000);
    return canary;
  }

  @Override
  public synchronized List<PolicyVersion> history() {
    return List.copyOf(history);
  }

  @Override
  public synchronized PolicyVersion rollback(OptionalLong version, Provenance why) {
    long target = version.orElse(lastKnownGood);
    PolicyVersion old = history.stream().filter(v -> v.version() == target).findFirst()
        .orElseThrow(() -> new NoSuchElementException("no version " + target + " (have 1.." + history.size() + ")"));
    PolicyVersion v = new PolicyVersion(history.size() + 1, old.policy(), old.values(), why);
    history.add(v);
    changes++;
    canary = new CanaryStatus(CanaryStatus.ROLLED_BACK, v.version(), lastKnownGood, why.reason(), 4_000);
    return v;
  }
}
