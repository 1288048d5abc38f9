package javaland.runtime.canary;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import javaland.sdk.Parameter;
import javaland.models.canary.CanaryStatus;
import javaland.models.registry.AuditEntry;
import javaland.models.registry.PolicyVersion;
import javaland.models.registry.Provenance;
import javaland.models.registry.Registry;
import javaland.models.telemetry.TelemetrySnapshot;
import javaland.models.telemetry.TelemetryWindow;
import javaland.models.params.ParameterChange;
import javaland.models.params.ParameterException;
import javaland.models.params.ParameterSet;
import javaland.models.params.Schema;

/**
 * The runtime's side of safe rollback: every parameter change goes through here. A proposal is
 * validated, recorded in the {@link Registry} as a new version and applied at once as a
 * <em>canary</em>; every window the {@link Guards} judge it against the last-known-good version's
 * recent windows and revert by themselves when one trips, or when nobody commits it within the
 * timeout (the learner died). Every transition writes one audit line.
 *
 * <p>Runs on its own daemon thread ("javaland-canary"), never on the dispatch thread: applying a
 * version only hands it to the dispatch loop through its atomic reference. Public methods are
 * synchronized with the judging, so a commit and a guard's revert never interleave.
 */
public final class Canary implements PolicyControl, AutoCloseable {
  /** Puts a version's values in force (the dispatch loop picks them up between batches). */
  public interface Applier {
    void apply(PolicyVersion v, ParameterSet values);
  }

  /** A version and its values, checked against today's schema. */
  public record Served(PolicyVersion version, ParameterSet values) {}

  private final Registry registry;
  private final java.util.Set<String> served = new java.util.concurrent.CopyOnWriteArraySet<>();
  private volatile Schema schema;
  private volatile Supplier<List<String>> installed = List::of;
  private volatile java.util.function.Function<String, Schema> schemaOf;
  private final Applier applier;
  private final Supplier<TelemetrySnapshot> sampler;
  private final GuardBounds bounds;
  private final LongSupplier clockNs;
  private final Consumer<String> log;
  private final Guards guards;
  private final Map<String, AtomicLong> rollbacks = new ConcurrentHashMap<>();
  private ScheduledExecutorService timer;

  private Served current;
  private Served lastKnownGood;
  private volatile CanaryStatus status;
  private long canaryStartNs;
  private int canaryWindows;
  private TelemetrySnapshot last;
  private volatile LongSupplier policyFaults = () -> 0;
  private volatile java.util.function.BooleanSupplier overrunningNow = () -> false;
  private long lastFaults;
  private volatile TelemetryWindow lastWindow;
  private boolean paused;

  /**
   * @param current the version in force now (served or recorded at start, {@link #startVersion});
   *     it is last-known-good
   * @param schema what the versions' values must fit (the policy's and the kernel half's parameters)
   */
  public Canary(Registry registry, Served current, Schema schema, Applier applier, Supplier<TelemetrySnapshot> sampler,
      GuardBounds bounds, LongSupplier clockNs, Consumer<String> log) {
    this.registry = registry;
    this.served.add(current.version().policy());
    this.schema = schema;
    this.applier = applier;
    this.sampler = sampler;
    this.bounds = bounds;
    this.clockNs = clockNs;
    this.log = log;
    this.guards = new Guards(bounds);
    this.current = current;
    this.lastKnownGood = current;
    for (String r : Guards.REASONS) rollbacks.put(r, new AtomicLong());
    long v = current.version().version();
    this.status = new CanaryStatus(CanaryStatus.IDLE, v, v, "started", System.currentTimeMillis());
  }

  /**
   * At start: serves {@code policy}'s last-known-good version from {@code registry} when there
   * is one and {@code settings} is empty; otherwise records a new version from the last-known-good
   * (or the defaults) with {@code settings} over it, and marks it last-known-good. A stored
   * version is checked against {@code schema} here, where it enters (one that no longer fits is
   * said and replaced by the defaults). Writes the audit line; {@code say} gets one sentence on
   * what was served.
   */
  public static Served startVersion(Registry registry, String policy, Schema schema, ParameterChange settings,
      Consumer<String> say) {
    Optional<PolicyVersion> lkg = registry.lastKnownGood(policy);
    ParameterSet base = schema.defaults();
    if (lkg.isPresent()) {
      try {
        base = schema.parse(lkg.get().values());
      } catch (ParameterException e) {
        say.accept("last-known-good version " + lkg.get().version() + " of " + policy + " no longer validates ("
            + e.getMessage() + "); starting from the defaults");
        lkg = Optional.empty();
      }
    }
    if (lkg.isPresent() && settings.isEmpty() && base.values().equals(lkg.get().values())) {
      say.accept("serving last-known-good version " + lkg.get().version() + " of " + policy + " from the registry "
          + registry.directory() + " (" + lkg.get().provenance().author() + ": " + lkg.get().provenance().reason() + ")");
      audit(registry, "start", lkg.get(), 0, Provenance.now("runtime", "served last-known-good at start"));
      return new Served(lkg.get(), base);
    }
    ParameterSet full = base.with(settings);
    String reason = lkg.isPresent() ? "--set over last-known-good version " + lkg.get().version() + " at start"
        : settings.isEmpty() ? "defaults at start (no last-known-good in the registry)" : "--set values at start";
    Provenance why = Provenance.now("runtime", reason);
    PolicyVersion v = registry.record(policy, full.values(), why);
    registry.markLastKnownGood(v, why);
    audit(registry, "start", v, lkg.map(PolicyVersion::version).orElse(0L), why);
    say.accept("recorded version " + v.version() + " of " + policy + " (" + reason + ") in the registry " + registry.directory());
    return new Served(v, full);
  }

  /**
   * Starts judging a window every {@link GuardBounds#window()} on the canary's own thread. With
   * a fixed delay, not a fixed rate: at a fixed rate the windows the thread missed while it could
   * not run (the faults scenario's memory pressure) came back to back once it could, and a swap
   * reverted 360 ms after it counted as the sixth window of its canary.
   */
  public synchronized void start() {
    if (timer != null) return;
    timer = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().name("javaland-canary").daemon(true).unstarted(r));
    long ms = bounds.window().toMillis();
    timer.scheduleWithFixedDelay(() -> {
      try {
        tick();
      } catch (RuntimeException e) {
        log.accept("canary: a window could not be judged: " + e); // the next window tries again
      }
    }, ms, ms, TimeUnit.MILLISECONDS);
  }

  @Override
  public synchronized void close() {
    if (timer != null) timer.shutdownNow();
  }

  // ------------------------------------------------------------------ PolicyControl

  @Override
  public Schema schema() {
    return schema;
  }

  @Override
  public synchronized PolicyVersion current() {
    return current.version();
  }

  /** The values in force now (the candidate's while a canary runs). */
  public synchronized ParameterSet currentValues() {
    return current.values();
  }

  public synchronized PolicyVersion lastKnownGood() {
    return lastKnownGood.version();
  }

  @Override
  public CanaryStatus canary() {
    return status;
  }

  @Override
  public synchronized CanaryStatus propose(ParameterChange change, Provenance why) {
    if (CanaryStatus.CANARY.equals(status.state())) {
      throw new IllegalStateException("a canary of version " + current.version().version() + " is running; commit or roll it back first");
    }
    ParameterSet full = current.values().with(change);
    PolicyVersion from = current.version();
    PolicyVersion v = registry.record(from.policy(), full.values(), why);
    applier.apply(v, full);
    current = new Served(v, full);
    canaryStartNs = clockNs.getAsLong();
    canaryWindows = 0;
    guards.startCandidate();
    last = sampler.get(); // the first judged window starts with the candidate in force
    audit(registry, "propose", v, from.version(), why);
    // the status, read without the lock, is published last: whoever sees it also finds the audit line
    long baseline = lastKnownGood.version().version();
    status = new CanaryStatus(CanaryStatus.CANARY, v.version(), baseline, why.reason(), System.currentTimeMillis());
    log.accept("canary: version " + v.version() + " proposed by " + why.author() + " (" + why.reason() + "), judged against "
        + baseline);
    return status;
  }

  @Override
  public synchronized CanaryStatus commit(Provenance why) {
    if (!CanaryStatus.CANARY.equals(status.state())) {
      throw new IllegalStateException("no canary is running (state " + status.state() + ")");
    }
    PolicyVersion v = current.version();
    registry.markLastKnownGood(v, why);
    lastKnownGood = current;
    guards.clearBaseline(); // the baseline is now the committed version's own windows
    audit(registry, "commit", v, v.version(), why);
    status = new CanaryStatus(CanaryStatus.COMMITTED, v.version(), v.version(), why.reason(), System.currentTimeMillis());
    log.accept("canary: version " + v.version() + " committed by " + why.author() + " (" + why.reason() + ")");
    return status;
  }

  /** Every version of the policies this canary has had in force, oldest first. */
  @Override
  public List<PolicyVersion> history() {
    return served.stream().flatMap(p -> registry.history(p).stream())
        .sorted(java.util.Comparator.comparingLong(PolicyVersion::version)).toList();
  }

  /** The audit log's entries for the policies this canary has had in force, oldest first: every start, proposal, commit and rollback. */
  public List<AuditEntry> audit() {
    return registry.audit().entries().stream().filter(e -> served.contains(e.policy())).toList();
  }

  // ------------------------------------------------------------------ hot swap

  /**
   * Lets {@link #swap} put other policies in force: {@code installed} names them, {@code schemaOf}
   * gives a name's schema (its parameters, then the kernel half's) or throws
   * IllegalArgumentException for a name it does not know.
   */
  public void swapsWith(Supplier<List<String>> installed, java.util.function.Function<String, Schema> schemaOf) {
    this.installed = java.util.Objects.requireNonNull(installed);
    this.schemaOf = java.util.Objects.requireNonNull(schemaOf);
  }

  @Override
  public List<String> policies() {
    return installed.get();
  }

  /**
   * Starts a canary of policy {@code name}: its last-known-good values (or its defaults), with the
   * kernel half's knobs of the values in force (only the policy changes), recorded as a version of
   * {@code name} and judged against the baseline of the policy in force now, like a parameter
   * change; a guard reverts to that policy, a commit makes {@code name} last-known-good.
   */
  @Override
  public synchronized CanaryStatus swap(String name, Provenance why) {
    java.util.function.Function<String, Schema> of = schemaOf;
    if (of == null) throw new IllegalStateException("this runtime cannot swap policies");
    if (CanaryStatus.CANARY.equals(status.state())) {
      throw new IllegalStateException("a canary of version " + current.version().version() + " is running; commit or roll it back first");
    }
    PolicyVersion from = current.version();
    if (from.policy().equals(name)) throw new IllegalStateException("policy " + name + " is already in force");
    Schema next = of.apply(name); // an unknown name: IllegalArgumentException, nothing changed
    ParameterSet base = next.defaults();
    Optional<PolicyVersion> lkg = registry.lastKnownGood(name);
    if (lkg.isPresent()) {
      try {
        base = next.parse(lkg.get().values());
      } catch (ParameterException e) {
        log.accept("canary: last-known-good version " + lkg.get().version() + " of " + name + " no longer validates ("
            + e.getMessage() + "); swapping to its defaults");
      }
    }
    Map<String, Double> knobs = new LinkedHashMap<>();
    for (Parameter p : next.parameters()) {
      if (p.name().startsWith("kernel.") && current.values().schema().find(p.name()).isPresent()) {
        knobs.put(p.name(), current.values().get(p.name()));
      }
    }
    ParameterSet full = base.with(next.change(knobs));
    PolicyVersion v = registry.record(name, full.values(), why);
    served.add(name);
    applier.apply(v, full);
    current = new Served(v, full);
    schema = next;
    canaryStartNs = clockNs.getAsLong();
    canaryWindows = 0;
    guards.startCandidate();
    last = sampler.get();
    audit(registry, "swap", v, from.version(), why);
    long baseline = lastKnownGood.version().version();
    status = new CanaryStatus(CanaryStatus.CANARY, v.version(), baseline, why.reason(), System.currentTimeMillis());
    log.accept("canary: policy " + name + " (version " + v.version() + ") swapped in by " + why.author() + " (" + why.reason()
        + "), judged against " + from.policy() + " version " + baseline);
    return status;
  }

  @Override
  public synchronized PolicyVersion rollback(OptionalLong version, Provenance why) {
    Served target;
    if (version.isPresent()) {
      PolicyVersion v = registry.version(version.getAsLong()).orElseThrow(() -> new NoSuchElementException(
          "no version " + version.getAsLong() + " in the registry " + registry.directory() + " (or its file is damaged)"));
      String inForce = current.version().policy();
      if (!v.policy().equals(inForce)) {
        throw new IllegalArgumentException("version " + v.version() + " is for policy " + v.policy() + ", not " + inForce
            + " (a policy is changed by a swap)");
      }
      // an old version may not fit today's schema: it is checked here, where it comes back in
      target = new Served(v, schema.parse(v.values()));
    } else {
      target = lastKnownGood;
    }
    return restore(target, Guards.REQUESTED, "rollback", why);
  }

  // ------------------------------------------------------------------ judging

  /**
   * The dispatch loop's contained policy faults so far (monotonic), and whether it is stuck in the
   * policy right now past its budget (a batch that may never return to be counted: a window that
   * ends so counts it as one more). A candidate's window with more faults than the baseline's habit
   * is reverted (reason {@code policy_fault}). Without it, none are seen.
   */
  public void watchPolicyFaults(LongSupplier faultsSoFar, java.util.function.BooleanSupplier overrunning) {
    policyFaults = java.util.Objects.requireNonNull(faultsSoFar);
    overrunningNow = java.util.Objects.requireNonNull(overrunning);
  }

  /**
   * While no kernel is attached (between an unload and the restart) no window is judged: the
   * counters of a dead kernel and of its successor do not make one window.
   */
  public synchronized void pauseWindows() {
    paused = true;
    last = null;
  }

  /** After a new attach: the next window starts now, with the new kernel's counters. */
  public synchronized void resumeWindows() {
    paused = false;
    last = null;
    lastFaults = policyFaults.getAsLong();
  }

  /**
   * The kernel unloaded the scheduler: a candidate in force is reverted to last-known-good (the
   * restart must never bring it back), reason {@code exit}. Returns whether one was.
   */
  public synchronized boolean revertAfterUnload(String cause) {
    if (!CanaryStatus.CANARY.equals(status.state())) return false;
    Provenance why = new Provenance(Instant.now(), "runtime-restart", "", "", "the kernel unloaded the scheduler with version "
        + current.version().version() + " in force (" + cause + ")", Map.of());
    restore(lastKnownGood, Guards.EXIT, "unload_revert", why);
    return true;
  }

  /** One audit line about the version in force (an unload, a restart, giving up), with {@code reason}. */
  public synchronized void note(String event, String reason, Map<String, Double> figures) {
    audit(registry, event, current.version(), current.version().version(),
        new Provenance(Instant.now(), "runtime-restart", "", "", reason, figures));
  }

  /** Closes one window and judges it; the timer calls this, tests may call it directly. */
  public synchronized Optional<TelemetryWindow> tick() {
    if (paused) return Optional.empty();
    TelemetrySnapshot now = sampler.get();
    TelemetrySnapshot before = last;
    last = now;
    long faultsNow = policyFaults.getAsLong();
    long windowFaults = faultsNow - lastFaults;
    lastFaults = faultsNow;
    if (before == null || now.monotonicNs() <= before.monotonicNs()) return Optional.empty();
    TelemetryWindow w = TelemetryWindow.between(before, now);
    lastWindow = w;
    if (CanaryStatus.CANARY.equals(status.state())) {
      canaryWindows++;
      // A window the version changed in is judged only when the kernel exited in it. The policy's
      // own faults go first: the plainest evidence, and the fallbacks or delays they cause would
      // otherwise name the revert.
      Optional<Guards.Verdict> v;
      if (!w.versionChanged()) {
        long faults = windowFaults + (overrunningNow.getAsBoolean() ? 1 : 0);
        v = guards.judgeFaults(faults, w.seconds()).or(() -> guards.judge(w));
      } else {
        v = w.exited() ? guards.judge(w) : Optional.empty();
      }
      if (v.isEmpty() && clockNs.getAsLong() - canaryStartNs >= bounds.timeout().toNanos()) {
        v = Optional.of(new Guards.Verdict(Guards.TIMEOUT, "no verdict within " + bounds.timeout().toSeconds()
            + " s (the learner may have died)", Map.of("timeout_s", (double) bounds.timeout().toSeconds())));
      }
      if (v.isPresent()) {
        Guards.Verdict verdict = v.get();
        Map<String, Double> figures = new LinkedHashMap<>(verdict.figures());
        figures.put("windows", (double) canaryWindows);
        figures.put("baseline_windows", (double) guards.baselineSize());
        Provenance why = new Provenance(Instant.now(), "runtime-guard", "window of " + Guards.fmt(w.seconds())
            + " s, version " + w.policyVersion(), "", verdict.message(), figures);
        restore(lastKnownGood, verdict.reason(), verdict.reason().equals(Guards.TIMEOUT) ? "timeout_revert" : "guard_revert", why);
      }
    } else if (!w.versionChanged() && !w.exited()) {
      guards.addBaseline(w, windowFaults);
    }
    return Optional.of(w);
  }

  /** The last window judged (null before the first). */
  public TelemetryWindow lastWindow() {
    return lastWindow;
  }

  /** Rollbacks so far with {@code reason} (one of the tags of {@code javaland_rollbacks_total}). */
  public long rollbacks(String reason) {
    AtomicLong n = rollbacks.get(reason);
    return n == null ? 0 : n.get();
  }

  public static List<String> rollbackReasons() {
    return Guards.REASONS;
  }

  /** {@code javaland_canary_state}: 0 idle, 1 canary, 2 committed, 3 rolled back. */
  public int stateCode() {
    return Math.max(0, CanaryStatus.STATES.indexOf(status.state()));
  }

  /** Puts {@code target}'s values back in force as a new version, which becomes last-known-good. */
  private PolicyVersion restore(Served target, String reason, String event, Provenance why) {
    PolicyVersion from = current.version();
    String sentence = (event.equals("rollback") ? "rollback to version " : "revert to last-known-good version ")
        + target.version().version() + ": " + why.reason();
    Provenance p = new Provenance(why.at(), why.author(), why.data(), why.model(), sentence, why.figures(), why.artifact());
    PolicyVersion v = registry.record(target.version().policy(), target.values().values(), p);
    applier.apply(v, target.values());
    schema = target.values().schema();
    registry.markLastKnownGood(v, p);
    current = new Served(v, target.values());
    lastKnownGood = current;
    rollbacks.get(reason).incrementAndGet();
    audit(registry, event, v, from.version(), p);
    status = new CanaryStatus(CanaryStatus.ROLLED_BACK, v.version(), v.version(), sentence, System.currentTimeMillis());
    log.accept("canary: " + event + " from version " + from.version() + " to " + v.version() + " (" + sentence + ")");
    return v;
  }

  private static void audit(Registry r, String event, PolicyVersion v, long from, Provenance why) {
    r.audit().append(new AuditEntry(Instant.now(), event, v.policy(), v.version(), from, why, v.values()));
  }
}
