package javaland.runtime;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import javaland.models.json.JsonCodec;
import javaland.models.params.ParameterChange;
import javaland.models.params.ParameterSet;
import javaland.models.params.Schema;
import javaland.models.registry.PolicyVersion;
import javaland.models.registry.Registry;
import javaland.models.telemetry.TelemetrySnapshot;
import javaland.runtime.canary.Canary;
import javaland.runtime.canary.GuardBounds;
import javaland.runtime.canary.PolicyControl;
import javaland.runtime.kernel.Kernel;
import javaland.runtime.kernel.KernelParams;
import javaland.runtime.kernel.KernelStats;
import javaland.runtime.kernel.LatencyBuckets;
import javaland.runtime.kernel.ProgramCost;
import javaland.runtime.loop.DispatchLoop;
import javaland.runtime.loop.PolicyFaults;
import javaland.runtime.policy.PolicyCatalog;
import javaland.runtime.policy.PolicySchema;
import javaland.runtime.restart.Restarts;
import javaland.runtime.rules.FileRuleStore;
import javaland.runtime.rules.ForwardingRuleStore;
import javaland.runtime.rules.LearnedClassStore;
import javaland.runtime.rules.TaskProfiler;
import javaland.runtime.rules.RuleStore;
import javaland.runtime.rules.TaskClassifier;
import javaland.sdk.Policy;
import javaland.telemetry.metrics.DispatchRecorder;
import javaland.telemetry.psi.PsiKind;
import javaland.telemetry.psi.PsiReader;
import javaland.telemetry.psi.PsiResource;
import javaland.telemetry.psi.PsiSnapshot;

/**
 * A scheduler: a policy with its values (and, with a registry, the canary that versions them),
 * the classification rules, and once attached, a kernel driven by the dispatch loop. It is the
 * composition of those parts and nothing else: the control plane (HTTP, metrics) is built on top
 * of it ({@code javaland.runtime.control.ControlPlane}), so a scheduler can attach first and
 * serve later. {@link #create} opens the registry; {@link #attach} hands the kernel's tasks to the
 * policy; {@link #stop} detaches and reports why it ended.
 */
public final class Scheduler {
  /**
   * What a scheduler is made of.
   *
   * @param policyName the name the registry keeps its versions under
   * @param settings values given at start ({@code --set}), checked against the policy's schema
   * @param canary the registry and the guards; null runs without versions, canary or API
   * @param rules the classification rules (a file, watched); null keeps them in memory
   * @param log where the scheduler says what it does (one sentence a line)
   */
  public record Options(String policyName, Policy policy, ParameterChange settings, CanaryOptions canary,
      FileRuleStore rules, int batchCapacity, Consumer<String> log) {
    public Options {
      Objects.requireNonNull(policyName, "policyName");
      Objects.requireNonNull(policy, "policy");
      Objects.requireNonNull(settings, "settings");
      Objects.requireNonNull(log, "log");
      if (batchCapacity < 1) throw new IllegalArgumentException("batchCapacity must be >= 1, got " + batchCapacity);
      if (!settings.schema().equals(PolicySchema.of(policy))) {
        throw new IllegalArgumentException("the settings were checked against another schema than policy " + policyName + "'s");
      }
    }

    /** {@code policy} under its own name, at its defaults: no registry, rules in memory, batches of 512. */
    public static Options of(Policy policy) {
      return new Options(policy.name(), policy, PolicySchema.of(policy).change(Map.of()), null, null, 512,
          javaland.telemetry.log.Log.named("scheduler").at(javaland.telemetry.log.Log.Level.INFO));
    }

    public Options withSettings(ParameterChange s) {
      return new Options(policyName, policy, s, canary, rules, batchCapacity, log);
    }

    public Options withSettings(Map<String, Double> values) {
      return withSettings(PolicySchema.of(policy).change(values));
    }

    public Options withCanary(CanaryOptions c) {
      return new Options(policyName, policy, settings, c, rules, batchCapacity, log);
    }

    public Options withRules(FileRuleStore r) {
      return new Options(policyName, policy, settings, canary, r, batchCapacity, log);
    }

    public Options withLog(Consumer<String> l) {
      return new Options(policyName, policy, settings, canary, rules, batchCapacity, l);
    }
  }

  /**
   * Where versions are kept and how the canary judges them: the registry directory (see
   * {@link Registry}) and the guards' bounds.
   */
  public record CanaryOptions(Path registryDir, GuardBounds bounds) {
    public CanaryOptions {
      Objects.requireNonNull(registryDir, "registryDir");
      Objects.requireNonNull(bounds, "bounds");
    }
  }

  private static final KernelStats NO_STATS = new KernelStats(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

  private final Options options;
  private volatile Schema schema;
  // The policy in force, and every policy swapped in so far (a revert swaps back to the same object).
  private volatile Policy policy;
  private volatile String policyName;
  private final Map<String, Policy> policies = new java.util.concurrent.ConcurrentHashMap<>();
  private volatile java.util.function.Supplier<List<String>> policyNames = () -> PolicyCatalog.installed().names();
  private volatile java.util.function.Function<String, Policy> policyMaker = n -> PolicyCatalog.installed().create(n);
  private volatile ParameterSet settings;
  private final DispatchRecorder recorder = new DispatchRecorder(DispatchLoop.TASK_CLASSES);
  private final AtomicLong policyVersion = new AtomicLong(1);
  private final long startedNs = System.nanoTime();
  private final Canary canary;
  private final String startNote;
  private final PsiReader systemPsi = PsiReader.system();
  private final FileRuleStore rules;
  private final RuleStore ruleView;
  private final LearnedClassStore learned;
  private final TaskProfiler profiler = new TaskProfiler();
  private volatile javaland.runtime.rules.ProcTaskProfiler procProfiler; // null: the events' profiler
  private volatile Kernel kernel;
  private volatile DispatchLoop loop;
  private volatile TaskClassifier classifier;
  private volatile String stopReason = "stopped";
  private volatile boolean stopAsked;
  private volatile Restarts restarts = Restarts.OFF;
  private volatile RunOutcome unloaded; // the outcome of the attach the kernel ended, until the next one

  private Scheduler(Options o) {
    this.options = o;
    this.schema = o.settings().schema();
    this.policy = o.policy();
    this.policyName = o.policyName();
    policies.put(o.policyName(), o.policy());
    this.rules = o.rules() != null ? o.rules() : FileRuleStore.inMemory(
        javaland.telemetry.log.Log.named("rules").at(javaland.telemetry.log.Log.Level.INFO));
    this.ruleView = new ForwardingRuleStore(() -> rules);
    this.learned = o.canary() == null ? LearnedClassStore.inMemory(o.log())
        : LearnedClassStore.open(o.canary().registryDir(), o.log());
    if (o.canary() == null) {
      this.settings = schema.defaults().with(o.settings());
      this.canary = null;
      this.startNote = null;
    } else {
      Registry registry = Registry.open(o.canary().registryDir(),
          javaland.telemetry.log.Log.named("registry").at(javaland.telemetry.log.Log.Level.WARN));
      StringBuilder note = new StringBuilder();
      Canary.Served start = Canary.startVersion(registry, o.policyName(), schema, o.settings(), note::append);
      this.settings = start.values();
      policyVersion.set(start.version().version());
      this.startNote = note.toString();
      this.canary = new Canary(registry, start, schema, this::apply, this::snapshot, o.canary().bounds(), System::nanoTime,
          o.log());
      canary.swapsWith(() -> policyNames.get(), this::schemaOf);
    }
  }

  /** The schema of policy {@code name}, made (once) for a swap; IllegalArgumentException if unknown. */
  private Schema schemaOf(String name) {
    return PolicySchema.of(policies.computeIfAbsent(name, n -> policyMaker.apply(n)));
  }

  /**
   * Where a hot swap ({@link PolicyControl#swap}) finds policies: {@code names} lists them,
   * {@code maker} makes one by name (IllegalArgumentException when unknown). Default: the installed
   * catalog, the shipped policies and those of --policy-jar.
   */
  public void swapsFrom(java.util.function.Supplier<List<String>> names, java.util.function.Function<String, Policy> maker) {
    policyNames = Objects.requireNonNull(names);
    policyMaker = Objects.requireNonNull(maker);
  }

  /**
   * A scheduler of {@code options}, not attached: with a registry, the version served is its
   * last-known-good for this policy (when no settings are given) or a new one recorded from the
   * defaults and the settings; see {@link #startNote()}.
   */
  public static Scheduler create(Options options) {
    return new Scheduler(options);
  }

  /** Hands {@code k}'s tasks to the policy: puts the values in force and starts the loop. */
  public synchronized void attach(Kernel k) {
    if (kernel != null) throw new IllegalStateException("already attached");
    unloaded = null;
    DispatchLoop l = new DispatchLoop(k, policy, settings, options.batchCapacity(), recorder);
    FileRuleStore r = rules; // classified before the policy runs
    // The learned classes below the person's rules: a person's rule that matches always wins.
    classifier = new TaskClassifier(() -> learned.below(r.current()), k::taskInfo, k.taskClasses()).start();
    l.classifyWith(classifier);
    kernel = k;
    loop = l;
    l.start();
    if (canary != null) {
      // the loop's faults, and the decisions the kernel bounced: a CPU the task may not use
      canary.watchPolicyFaults(() -> l.faults().total() + k.stats().bounced(), l::overrunningNow);
      canary.start();
    }
  }

  /** {@link #create} then {@link #attach}. */
  public static Scheduler start(Kernel kernel, Options options) {
    Scheduler s = create(options);
    s.attach(kernel);
    return s;
  }

  /** The canary's applier: the version's values go to the loop (or to attach), its number to the gauge. */
  private synchronized void apply(PolicyVersion v, ParameterSet values) {
    if (!v.policy().equals(policyName)) { // a hot swap, or its revert: the kernel half stays attached
      Policy next = policies.get(v.policy());
      if (next == null) throw new IllegalStateException("policy " + v.policy() + " was never made for a swap");
      options.log().accept("policy " + v.policy() + " in force from the next batch (was " + policyName + "), version " + v.version());
      policy = next;
      policyName = v.policy();
      schema = values.schema();
    }
    settings = values; // what a later attach (a restart) starts from
    DispatchLoop l = loop;
    if (l != null) l.update(policy, values);
    policyVersion.set(v.version());
  }

  /** Attaches a new kernel with these knobs (a restart's); throws when it cannot. */
  @FunctionalInterface
  public interface KernelAttacher {
    Kernel attach(KernelParams params);
  }

  /** Restart with memory from now on: what {@link #restartAfterUnload} does after each unload. */
  public void superviseWith(Restarts r) {
    restarts = Objects.requireNonNull(r);
  }

  /** The unloads and restarts so far ({@link Restarts#OFF} when not supervised). */
  public Restarts restarts() {
    return restarts;
  }

  /**
   * After the loop ended: when the kernel unloaded us (not our own detach, not a failed policy, no
   * stop asked for), frees that kernel, reverts a canary in force to last-known-good, waits the
   * backoff of {@link #superviseWith} (ended early by {@code stop}), and attaches a kernel made by
   * {@code attacher} with the last-known-good values; an attach that fails counts as one more
   * unload. Every step is a log line and an audit line. Returns true once attached again, false
   * when the run ends here (see {@link Restarts#gaveUpWhy()}).
   */
  public boolean restartAfterUnload(KernelAttacher attacher, java.util.concurrent.CountDownLatch stop)
      throws InterruptedException {
    DispatchLoop l = loop;
    Kernel k = kernel;
    if (l == null || k == null || !l.ended() || l.failure() != null || stopAsked) return false;
    Optional<javaland.runtime.kernel.ExitInfo> exit = k.exitInfo();
    if (exit.isEmpty() || exit.get().isCleanEnd()) return false;
    String cause = Restarts.cause(exit.get());
    if (canary != null) canary.pauseWindows();
    synchronized (this) {
      unloaded = stopAttached();
      kernel = null;
      loop = null;
      classifier = null;
    }
    while (true) {
      Restarts.Verdict v = restarts.unloaded(System.nanoTime(), cause);
      note(Restarts.UNLOAD, "the kernel unloaded the scheduler: " + cause, v.inWindow());
      if (canary != null && canary.revertAfterUnload(cause)) settings = canary.currentValues();
      if (v.giveUp()) {
        note(Restarts.GIVE_UP, v.why(), v.inWindow());
        return false;
      }
      if (stop.await(v.backoff().toMillis(), TimeUnit.MILLISECONDS) || stopAsked) return false;
      Kernel next;
      try {
        next = attacher.attach(kernelParams());
      } catch (RuntimeException e) {
        cause = "the restart's attach failed: " + e.getMessage();
        continue;
      }
      attach(next);
      if (canary != null) canary.resumeWindows();
      restarts.restarted();
      note(Restarts.RESTART, "attached again to " + next.describe() + " with version " + policyVersion.get(), v.inWindow());
      return true;
    }
  }

  private void note(String event, String sentence, int inWindow) {
    options.log().accept((event.equals(Restarts.UNLOAD) ? "" : event.replace('_', ' ') + ": ") + sentence);
    if (canary != null) canary.note(event, sentence, Map.of("unloads_in_window", (double) inWindow));
  }

  /** The policy in force (another than at start after a hot swap). */
  public String policyName() {
    return policyName;
  }

  /** What this scheduler's parameter values must fit: its policy's parameters, then the kernel half's. */
  public Schema schema() {
    return schema;
  }

  /** The kernel half's knobs of the values in force: what a kernel is attached with. */
  public synchronized KernelParams kernelParams() {
    return loop == null ? KernelParams.of(settings) : kernel.params();
  }

  /** The version number in force (1 without a registry). */
  public long policyVersion() {
    return policyVersion.get();
  }

  /** The batch counters the dispatch loop records. */
  public DispatchRecorder recorder() {
    return recorder;
  }

  /** The control over versions, canary and rollback (for the REST API); empty without a registry. */
  public Optional<PolicyControl> policyControl() {
    return Optional.ofNullable(canary);
  }

  /** The canary itself (state, rollback counts, audit); null without a registry. */
  public Canary canary() {
    return canary;
  }

  /** What the registry served or recorded at start (one sentence), or null without a registry. */
  public String startNote() {
    return startNote;
  }

  /**
   * The classification rules in force, editable while running (the REST API's); never null. Edits
   * always reach the store in force.
   */
  public RuleStore ruleStore() {
    return ruleView;
  }

  /** The classes the learner assigned, below the person's rules (the REST API's); never null. */
  public LearnedClassStore learnedClasses() {
    return learned;
  }

  /**
   * Per-task counters from the kernel's events, the learner's evidence: it sees what reaches it,
   * so a kernel's event listener must include it ({@code SimKernel.setListener}).
   */
  public TaskProfiler taskProfiler() {
    return profiler;
  }

  /**
   * Serve the per-task counters from /proc instead of the kernel's events: for the real kernel
   * when its event ring is off, which would otherwise leave them empty.
   */
  public void profileFromProc(javaland.runtime.rules.ProcTaskProfiler p) {
    procProfiler = p;
  }

  /** What {@link #taskProfiler()} (or /proc, {@link #profileFromProc}) saw, on this kernel's CPU count (0 before attach). */
  public javaland.api.TaskProfiles taskProfiles() {
    Kernel k = kernel;
    int cpus = k == null ? 0 : k.topology().nrCpus();
    javaland.runtime.rules.ProcTaskProfiler p = procProfiler;
    return p != null ? p.snapshot(cpus) : profiler.snapshot(cpus);
  }

  /** The classifier's counters; null before attach. */
  public TaskClassifier classifier() {
    return classifier;
  }

  public Kernel kernel() {
    return kernel;
  }

  /** Kinds of misbehaviour contained, as {@code javaland_faults_total{kind}} names them: the loop's, then the kernel's. */
  public static final List<String> FAULT_KINDS = java.util.stream.Stream.concat(PolicyFaults.KINDS.stream(),
      java.util.stream.Stream.of("slice_clamped", "deadline_clamped")).toList();

  /** Misbehaviour of {@code kind} (one of {@link #FAULT_KINDS}) contained so far; 0 before attach. */
  public long faults(String kind) {
    DispatchLoop l = loop;
    Kernel k = kernel;
    return switch (kind) {
      case "slice_clamped" -> k == null ? 0 : k.stats().sliceClamped();
      case "deadline_clamped" -> k == null ? 0 : k.stats().deadlineClamped();
      default -> l == null ? 0 : l.faults().get(kind);
    };
  }

  /**
   * The scheduler's cumulative counters now, as the learner and the canary read them. Cheap: the
   * kernel's counters and histograms, the ring's backlog, and the system's PSI files.
   */
  public TelemetrySnapshot snapshot() {
    Kernel k = kernel;
    long version = policyVersion.get();
    long[] upper = new long[0];
    Map<String, long[]> delays = new HashMap<>();
    Map<String, Double> psi = new HashMap<>();
    try {
      PsiSnapshot p = systemPsi.read();
      for (PsiResource r : PsiResource.values()) {
        for (PsiKind kind : PsiKind.values()) {
          p.stall(r, kind).ifPresent(st -> psi.put(r.label() + "." + kind.label(), (double) st.totalUs()));
        }
      }
    } catch (RuntimeException e) {
      // no PSI on this kernel: the snapshot simply has none
    }
    if (k == null) {
      return new TelemetrySnapshot(System.nanoTime(), System.currentTimeMillis(), version, 0, 0, 0, 0, 0, false, upper,
          delays, psi, 0, -1);
    }
    KernelStats st = k.stats();
    long[][] hists = k.schedDelayHistograms();
    if (hists.length > 0) {
      upper = new long[hists[0].length];
      for (int i = 0; i < upper.length; i++) upper[i] = LatencyBuckets.upperBound(i);
      for (int c = 0; c < hists.length && c < DispatchLoop.TASK_CLASSES.size(); c++) {
        if (hists[c].length == upper.length) delays.put(DispatchLoop.TASK_CLASSES.get(c), hists[c].clone());
      }
    }
    return new TelemetrySnapshot(k.nowNs(), System.currentTimeMillis(), version, st.userDispatches(), st.kernelDispatches(),
        st.cancelled(), st.fallbacks(), k.backlog(), k.exitInfo().isPresent(), upper, delays, psi,
        k.topology().nrCpus(), k.cpuBusyNs());
  }

  /** Waits up to {@code max} for the loop to end by itself (kernel unloaded us, policy failed). */
  public boolean awaitEnd(Duration max) throws InterruptedException {
    DispatchLoop l = loop;
    if (l == null) {
      Thread.sleep(max.toMillis());
      return false;
    }
    return l.awaitEnd(max.toMillis(), TimeUnit.MILLISECONDS);
  }

  public void requestStop(String reason) {
    stopReason = reason;
    stopAsked = true;
    DispatchLoop l = loop;
    if (l != null) l.requestStop();
  }

  /** Stops the loop, detaches from the kernel, stops watching the rules; says how the run ended. */
  public RunOutcome stop() {
    // The canary first, and outside this object's lock: a window being judged holds the canary's
    // lock and applies a version through apply(), which takes ours (the other order deadlocked).
    if (canary != null) canary.close();
    synchronized (this) {
      RunOutcome o = stopAttached();
      rules.close();
      return o;
    }
  }

  private RunOutcome stopAttached() {
    DispatchLoop l = loop;
    Kernel k = kernel;
    Duration ran = Duration.ofNanos(System.nanoTime() - startedNs);
    if ((l == null || k == null) && unloaded != null) { // not attached again after an unload
      String gaveUp = restarts.gaveUpWhy();
      return gaveUp == null ? unloaded : unloaded.givenUp("gave up restarting: " + gaveUp);
    }
    if (l == null || k == null) {
      return new RunOutcome(stopReason + " before attaching", false, null, NO_STATS, 0, 0, 0, 0, 0, processCpuNs(), ran,
          null, new long[0][], List.of(), javaland.runtime.loop.PolicyFaults.NONE, javaland.runtime.loop.RoundTripStages.Snapshot.NONE,
          false);
    }
    l.requestStop();
    try {
      l.awaitEnd(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    String reason = k.exitInfo().isPresent() ? "unloaded by the kernel" : stopReason;
    if (l.failure() != null) reason = "policy failed";
    // The kernel first (SIGTERM from a service manager: its scheduler back at once), then the report
    k.detach();
    long dispatcherCpu = l.cpuNs();
    KernelStats stats = k.stats();
    long[][] schedDelay = k.schedDelayHistograms();
    List<ProgramCost> programs = k.programCosts();
    if (classifier != null) classifier.close();
    k.close();
    return new RunOutcome(reason, true, k.exitInfo().orElse(null), stats, l.batches(), l.tasks(), l.largestBatch(),
        l.busyNs(), dispatcherCpu, processCpuNs(), Duration.ofNanos(System.nanoTime() - startedNs), l.failure(),
        schedDelay, programs, l.faults(), l.stages(), false);
  }

  private static long processCpuNs() {
    if (java.lang.management.ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getProcessCpuTime();
    }
    return -1;
  }

  /** Everything a person or a script wants to know right now (GET /status). */
  public ObjectNode status() {
    Kernel k = kernel;
    DispatchLoop l = loop;
    double secs = (System.nanoTime() - startedNs) / 1e9;
    ObjectNode j = JsonCodec.object()
        .put("policy", policyName)
        .put("uptime_s", Math.round(secs * 10) / 10.0)
        .put("policy_version", policyVersion.get())
        .put("attached", k != null && k.exitInfo().isEmpty());
    if (canary != null) {
      var c = canary.canary();
      j.putObject("canary").put("state", c.state()).put("version", c.version())
          .put("baseline_version", c.baselineVersion()).put("reason", c.reason());
    }
    j.set("restarts", restartsJson());
    if (k == null || l == null) return j.put("kernel", unloaded != null ? "unloaded, restarting" : "not attached yet");
    j.put("kernel", k.describe()).put("simulated", k.simulated())
        .set("dispatch", Reports.dispatchJson(k.stats(), secs, k.schedDelayHistograms()));
    j.putObject("queue_depth").put("ring", k.backlog());
    // Java-side losses (the decision ring refused a decision; the kernel rescued the task): a soak
    // watches them grow or not while the run goes on, not only in the report at its end
    if (k instanceof javaland.runtime.kernel.bpf.BpfKernel bpf) j.put("dropped_decisions", bpf.droppedDecisions());
    ObjectNode loopJson = j.putObject("loop")
        .put("batches", l.batches())
        .put("tasks", l.tasks())
        .put("largest_batch", l.largestBatch())
        .put("policy_swaps", l.swaps());
    loopJson.set("policy_faults", Reports.faultsJson(l.faults()));
    loopJson.set("roundtrip_stages_us", Reports.stagesJson(l.stages()));
    j.set("rules", rulesStatus());
    return j;
  }

  /** The unloads and restarts so far, and why the run gave up if it did (/status, JAVALAND_STATS). */
  public ObjectNode restartsJson() {
    Restarts r = restarts;
    ObjectNode j = JsonCodec.object();
    for (String e : Restarts.EVENTS) j.put(e.equals(Restarts.GIVE_UP) ? "gave_up" : e + "s", r.count(e));
    if (r.gaveUpWhy() != null) j.put("why", r.gaveUpWhy());
    return j;
  }

  private ObjectNode rulesStatus() {
    TaskClassifier c = classifier;
    ObjectNode j = JsonCodec.object().put("version", rules.version()).put("count", rules.current().rules().size());
    rules.file().ifPresent(f -> j.put("file", f.toString()));
    if (c != null) j.put("cache_hits", c.hits()).put("cache_misses", c.misses()).put("evaluations", c.evaluations())
        .put("kernel_classes", c.kernelClasses()).put("kernel_refused", c.kernelRefused());
    return j;
  }
}
