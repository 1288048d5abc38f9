package javaland.runtime;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.nio.file.Path;
import java.util.TreeMap;
import javaland.models.registry.PolicyVersion;
import javaland.models.registry.Registry;
import javaland.models.telemetry.TelemetrySnapshot;
import javaland.runtime.canary.Canary;
import javaland.runtime.canary.GuardBounds;
import javaland.runtime.control.ControlPlane;
import javaland.runtime.control.PolicyControl;
import javaland.runtime.kernel.ExitInfo;
import javaland.runtime.kernel.Kernel;
import javaland.runtime.kernel.KernelStats;
import javaland.runtime.loop.DispatchLoop;
import javaland.models.params.ParameterChange;
import javaland.models.params.ParameterSet;
import javaland.models.params.Schema;
import javaland.runtime.policy.PolicySchema;
import javaland.sdk.Policy;
import javaland.runtime.kernel.LatencyBuckets;
import javaland.telemetry.Telemetry;
import javaland.telemetry.metrics.BucketCounts;
import javaland.telemetry.metrics.DispatchCounts;
import javaland.telemetry.metrics.DispatchRecorder;
import javaland.telemetry.metrics.JavalandMetrics;
import javaland.telemetry.psi.PsiReader;

/**
 * A running scheduler: the control plane, then a kernel with a policy on the dispatch loop.
 * {@link #create} does the slow part (Vert.x) before anything is attached; {@link #attach}
 * hands the kernel's tasks to the policy; {@link #stop} detaches and reports why it ended.
 */
public final class Scheduler {
  /** How a run ended. {@code exit} is null if the kernel never reported one (or we never attached). */
  public record Outcome(String reason, boolean attached, ExitInfo exit, KernelStats stats, long batches, long tasks,
      int largestBatch, long busyNs, long dispatcherCpuNs, long processCpuNs, Duration ran, Throwable failure,
      long[][] schedDelay) {
    /**
     * Exit code for the CLI: 0 when we detached on purpose, the (simulated) workload finished or
     * we were stopped before attaching; 1 when the kernel threw us out or the policy failed.
     */
    public int exitCode() {
      if (failure != null) return 1;
      if (!attached) return 0;
      return exit != null && exit.isCleanEnd() ? 0 : 1;
    }
  }

  /**
   * Where versions are kept and how the canary judges them: the registry directory (see
   * {@link Registry}) and the guards' bounds.
   */
  public record CanaryOptions(Path registryDir, GuardBounds bounds) {
    public CanaryOptions {
      java.util.Objects.requireNonNull(registryDir, "registryDir");
      java.util.Objects.requireNonNull(bounds, "bounds");
    }
  }

  private static final KernelStats NO_STATS = new KernelStats(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

  private final String policyName;
  private final Policy policy;
  private final Schema schema;
  private volatile ParameterSet settings;
  private final Vertx vertx;
  private final DispatchRecorder recorder = new DispatchRecorder(DispatchLoop.TASK_CLASSES);
  private final AtomicLong policyVersion = new AtomicLong(1);
  private final Telemetry telemetry;
  private final long startedNs = System.nanoTime();
  private volatile Kernel kernel;
  private volatile DispatchLoop loop;
  private volatile HttpServer http;
  private volatile String stopReason = "stopped";
  private final Canary canary;
  private final String startNote;
  private final PsiReader systemPsi = PsiReader.system();
  // ---- rules (javaland.runtime.rules): in memory unless useRules gave a file
  private volatile javaland.runtime.rules.FileRuleStore rules =
      javaland.runtime.rules.FileRuleStore.inMemory(msg -> System.err.println("javaland: " + msg));
  private volatile javaland.runtime.rules.TaskClassifier classifier;
  private final javaland.runtime.rules.RuleStore ruleView = new javaland.runtime.rules.ForwardingRuleStore(() -> rules);
  // ---- end rules

  private Scheduler(String policyName, Policy policy, ParameterChange given, CanaryOptions canaryOptions) {
    this.policyName = policyName;
    this.policy = policy;
    this.schema = given.schema();
    if (canaryOptions == null) {
      this.settings = schema.defaults().with(given);
      this.canary = null;
      this.startNote = null;
    } else {
      Registry registry = Registry.open(canaryOptions.registryDir(), msg -> System.err.println("javaland: " + msg));
      StringBuilder note = new StringBuilder();
      Canary.Served start = Canary.startVersion(registry, policyName, schema, given, note::append);
      this.settings = start.values();
      policyVersion.set(start.version().version());
      this.startNote = note.toString();
      this.canary = new Canary(registry, start, schema, this::apply, this::snapshot,
          canaryOptions.bounds(), System::nanoTime, msg -> System.out.println("javaland: " + msg));
    }
    // Vert.x's own DNS resolver is not needed (loopback only) and costs seconds of start-up.
    System.setProperty("vertx.disableDnsResolver", "true");
    JavalandMetrics.Builder metrics = JavalandMetrics.builder()
        .recorder(recorder)
        .dispatches(this::dispatchCounts)
        .kernelRoundTrip(this::roundTrips)
        .kernelSchedDelay(DispatchLoop.TASK_CLASSES.get(0), () -> schedDelays(0))
        .kernelSchedDelay(DispatchLoop.TASK_CLASSES.get(1), () -> schedDelays(1))
        .queueDepth("ring", () -> {
          Kernel k = kernel;
          return k == null ? 0 : k.backlog();
        })
        .policyVersion(policyVersion::get)
        .psi(systemPsi);
    if (canary != null) {
      Canary c = canary;
      metrics.canary(c::stateCode, Canary.rollbackReasons(), c::rollbacks);
    }
    PsiReader.ownCgroup(msg -> System.err.println("javaland: " + msg))
        .filter(r -> !r.scope().equals("/")) // the root group is the system
        .ifPresent(metrics::psi);
    this.telemetry = Telemetry.builder().metrics(metrics.build()).build(); // throws on bad OTEL_*
    this.vertx = telemetry.vertxBuilder(new VertxOptions()).build();
  }

  /** The kernel's counters as disjoint dispatch paths (see docs/metrics.md). */
  private DispatchCounts dispatchCounts() {
    Kernel k = kernel;
    if (k == null) return DispatchCounts.ZERO;
    KernelStats s = k.stats();
    return new DispatchCounts(s.userDispatches() - s.bounced(), s.kernelDispatches() - s.fallbacks(),
        s.cancelled(), s.fallbacks(), s.bounced());
  }

  /** The kernel's own round-trip histogram; null (no round trip yet) before attach or without one. */
  private BucketCounts roundTrips() {
    Kernel k = kernel;
    if (k == null) return null;
    long[] hist = k.roundTripHistogram();
    if (hist.length == 0) return null;
    long[] upper = new long[hist.length];
    for (int i = 0; i < hist.length; i++) upper[i] = LatencyBuckets.upperBound(i);
    upper[hist.length - 1] = Long.MAX_VALUE; // the last bucket takes everything above
    return new BucketCounts(upper, hist, k.roundTripSumNs(), k.stats().roundTripMaxNs());
  }

  /** The kernel's scheduling-delay histogram of class {@code c}; null before attach or without one. */
  private BucketCounts schedDelays(int c) {
    Kernel k = kernel;
    if (k == null) return null;
    long[][] hists = k.schedDelayHistograms();
    long[] sums = k.schedDelaySumsNs();
    if (c >= hists.length || c >= sums.length || hists[c].length == 0) return null;
    long[] hist = hists[c];
    long[] upper = new long[hist.length];
    long max = 0;
    for (int i = 0; i < hist.length; i++) {
      upper[i] = LatencyBuckets.upperBound(i);
      if (hist[i] != 0) max = upper[i];
    }
    upper[hist.length - 1] = Long.MAX_VALUE; // the last bucket takes everything above
    return new BucketCounts(upper, hist, sums[c], max);
  }

  public Telemetry telemetry() {
    return telemetry;
  }

  /**
   * Validates the settings and, when {@code httpPort >= 0}, starts the control plane; nothing is
   * attached yet. Blocks until the HTTP server listens; throws (naming what) if it cannot.
   */
  public static Scheduler create(String policyName, Policy policy, ParameterChange settings,
      String httpHost, int httpPort) {
    return create(policyName, policy, settings, httpHost, httpPort, null, null);
  }

  /**
   * {@link #create} with a registry and a canary ({@code canaryOptions} non-null): the version
   * served is the registry's last-known-good for this policy (when {@code settings} is empty) or a
   * new one recorded from the defaults and {@code settings}; see {@link #startNote()}.
   */
  public static Scheduler create(String policyName, Policy policy, ParameterChange settings,
      String httpHost, int httpPort, CanaryOptions canaryOptions) {
    return create(policyName, policy, settings, httpHost, httpPort, canaryOptions, null);
  }

  // ---- REST API mount (docs/api.md) ----
  /**
   * The REST API to serve on the control plane: its authentication, and the backend (real
   * PolicyControl and RuleStore) made from the scheduler being created, which they may need.
   */
  public record Api(javaland.runtime.api.ApiAuth.Config auth,
      java.util.function.Function<Scheduler, javaland.runtime.api.RestApi.Backend> backend) {}

  /**
   * {@link #create} with a registry and canary when {@code canaryOptions} is not null, and the
   * REST API under /api/v1 when {@code api} is not null.
   */
  public static Scheduler create(String policyName, Policy policy, ParameterChange settings,
      String httpHost, int httpPort, CanaryOptions canaryOptions, Api api) {
    if (!settings.schema().equals(PolicySchema.of(policy))) {
      throw new IllegalArgumentException("the settings were checked against another schema than policy " + policyName + "'s");
    }
    Scheduler s = new Scheduler(policyName, policy, settings, canaryOptions);
    if (httpPort >= 0) {
      try {
        s.http = ControlPlane.start(s.vertx, httpHost, httpPort, s::status, s.telemetry.metricsHandler(s.vertx),
                api == null ? null : api.backend().apply(s),
                api == null ? javaland.runtime.api.ApiAuth.Config.NONE : api.auth())
            .await(60, TimeUnit.SECONDS);
      } catch (Exception e) {
        s.stop();
        throw new IllegalStateException("control plane could not listen on " + httpHost + ":" + httpPort
            + ": " + e.getMessage(), e);
      }
    }
    return s;
  }
  // ---- end REST API mount ----

  // ---- rules
  /** Classifies tasks by {@code store}'s rules (a file, hot-reloaded); call before {@link #attach}. */
  public void useRules(javaland.runtime.rules.FileRuleStore store) {
    if (loop != null) throw new IllegalStateException("rules must be set before attach");
    rules = store;
  }

  /**
   * The classification rules in force, editable while running (the REST API's); never null. It
   * follows {@link #useRules}: edits always reach the store in force.
   */
  public javaland.runtime.rules.RuleStore ruleStore() {
    return ruleView;
  }

  /** The classifier's counters; null before attach. */
  public javaland.runtime.rules.TaskClassifier classifier() {
    return classifier;
  }
  // ---- end rules

  /** Hands {@code kernel}'s tasks to the policy: applies the settings and starts the loop. */
  public synchronized void attach(Kernel k) {
    if (kernel != null) throw new IllegalStateException("already attached");
    DispatchLoop l = new DispatchLoop(k, policy, settings, 512, recorder);
    javaland.runtime.rules.FileRuleStore r = rules; // rules: classified before the policy runs
    classifier = new javaland.runtime.rules.TaskClassifier(r::current, k::taskInfo, k.taskClasses()).start();
    l.classifyWith(classifier);
    kernel = k;
    loop = l;
    l.start();
    if (canary != null) canary.start();
  }

  /** {@link #create} then {@link #attach}. */
  public static Scheduler start(Kernel kernel, String policyName, Policy policy, ParameterChange settings,
      String httpHost, int httpPort) {
    Scheduler s = create(policyName, policy, settings, httpHost, httpPort);
    s.attach(kernel);
    return s;
  }

  /** What this scheduler's parameter values must fit: its policy's parameters, then the kernel half's. */
  public Schema schema() {
    return schema;
  }

  /** The canary's applier: the version's values go to the loop (or to attach), its number to the gauge. */
  private void apply(PolicyVersion v, ParameterSet values) {
    synchronized (this) {
      DispatchLoop l = loop;
      if (l == null) settings = values; // not attached yet: attach applies them
      else l.update(values);
      policyVersion.set(v.version());
    }
  }

  /**
   * The control over versions, canary and rollback (for the REST API); empty when the scheduler
   * runs without a registry.
   */
  public java.util.Optional<PolicyControl> policyControl() {
    return java.util.Optional.ofNullable(canary);
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
      javaland.telemetry.psi.PsiSnapshot p = systemPsi.read();
      for (javaland.telemetry.psi.PsiResource r : javaland.telemetry.psi.PsiResource.values()) {
        for (javaland.telemetry.psi.PsiKind kind : javaland.telemetry.psi.PsiKind.values()) {
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

  public int httpPort() {
    return http == null ? -1 : http.actualPort();
  }

  public Kernel kernel() {
    return kernel;
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
    DispatchLoop l = loop;
    if (l != null) l.requestStop();
  }

  /** Stops the loop, detaches from the kernel, closes the control plane. */
  public Outcome stop() {
    // The canary first, and outside this object's lock: a window being judged holds the canary's
    // lock and applies a version through apply(), which takes ours (the other order deadlocked).
    if (canary != null) canary.close();
    synchronized (this) {
      return stopAttached();
    }
  }

  private Outcome stopAttached() {
    DispatchLoop l = loop;
    Kernel k = kernel;
    Outcome o;
    if (l == null || k == null) {
      o = new Outcome(stopReason + " before attaching", false, null, NO_STATS, 0, 0, 0, 0, 0, processCpuNs(),
          Duration.ofNanos(System.nanoTime() - startedNs), null, new long[0][]);
    } else {
      l.requestStop();
      try {
        l.awaitEnd(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      String reason = k.exitInfo().isPresent() ? "unloaded by the kernel" : stopReason;
      if (l.failure() != null) reason = "policy failed";
      long dispatcherCpu = l.cpuNs();
      KernelStats stats = k.stats();
      long[][] schedDelay = k.schedDelayHistograms();
      if (classifier != null) classifier.close(); // rules
      k.close();
      o = new Outcome(reason, true, k.exitInfo().orElse(null), stats, l.batches(), l.tasks(), l.largestBatch(),
          l.busyNs(), dispatcherCpu, processCpuNs(), Duration.ofNanos(System.nanoTime() - startedNs), l.failure(),
          schedDelay);
    }
    rules.close(); // rules: stops watching the file
    try {
      vertx.close().await(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      // closing the control plane is best effort at shutdown
    }
    telemetry.close(); // the OTLP push, if any, sends a last time
    return o;
  }

  private static long processCpuNs() {
    if (java.lang.management.ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getProcessCpuTime();
    }
    return -1;
  }

  /** The control plane's view: everything a person or a script wants to know right now. */
  public ObjectNode status() {
    Kernel k = kernel;
    DispatchLoop l = loop;
    double secs = (System.nanoTime() - startedNs) / 1e9;
    ObjectNode j = javaland.models.json.JsonCodec.object()
        .put("policy", policyName)
        .put("uptime_s", Math.round(secs * 10) / 10.0)
        .put("policy_version", policyVersion.get())
        .put("attached", k != null && k.exitInfo().isEmpty());
    if (canary != null) {
      var c = canary.canary();
      j.putObject("canary").put("state", c.state()).put("version", c.version())
          .put("baseline_version", c.baselineVersion()).put("reason", c.reason());
    }
    if (k == null || l == null) return j.put("kernel", "not attached yet");
    j.put("kernel", k.describe()).set("dispatch", Reports.dispatchJson(k.stats(), secs, k.schedDelayHistograms()));
    j.putObject("loop")
        .put("batches", l.batches())
        .put("tasks", l.tasks())
        .put("largest_batch", l.largestBatch());
    j.set("rules", rulesStatus());
    return j;
  }

  // ---- rules
  private ObjectNode rulesStatus() {
    javaland.runtime.rules.TaskClassifier c = classifier;
    ObjectNode j = javaland.models.json.JsonCodec.object().put("version", rules.version()).put("count", rules.current().rules().size());
    rules.file().ifPresent(f -> j.put("file", f.toString()));
    if (c != null) j.put("cache_hits", c.hits()).put("cache_misses", c.misses()).put("evaluations", c.evaluations())
        .put("kernel_classes", c.kernelClasses()).put("kernel_refused", c.kernelRefused());
    return j;
  }
  // ---- end rules
}
