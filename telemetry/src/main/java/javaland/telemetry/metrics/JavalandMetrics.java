package javaland.telemetry.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;
import javaland.telemetry.psi.PsiKind;
import javaland.telemetry.psi.PsiReader;
import javaland.telemetry.psi.PsiResource;
import javaland.telemetry.psi.PsiSnapshot;
import javaland.telemetry.psi.PsiStall;

/**
 * javaland's meters (see {@link MeterNames} and docs/metrics.md), read from their sources only
 * when a registry collects: the {@link DispatchRecorder}, the runtime's counters through the
 * suppliers given to the {@link Builder}, and the pressure files. Nothing is pushed into
 * Micrometer on the dispatch thread.
 *
 * <p>Counters and gauges are ordinary Micrometer function meters. The two latency histograms
 * are not: Micrometer can only fill a histogram one value at a time. On a
 * {@link PrometheusMeterRegistry} they are a collector of classic histograms (fixed {@code le}
 * buckets, {@link LatencyBounds}) registered with its Prometheus registry; on any other registry
 * a {@link FunctionTimer} (count and sum), which {@link OtlpExport}'s sender fills with the same
 * buckets before the push. Binding to a {@link CompositeMeterRegistry} binds to each member.
 *
 * <p>Function meters hold their source weakly: keep a reference to this object for as long as
 * the registries live ({@code Telemetry} does).
 */
public final class JavalandMetrics implements MeterBinder {
  private static final long CACHE_NS = 200_000_000L; // one scrape reads each source once
  private static final long PSI_CACHE_NS = 500_000_000L;

  private final DispatchRecorder recorder;
  private final Cached<DispatchRecorder.Snapshot> recorded;
  private final Cached<DispatchCounts> dispatches;
  private final Cached<BucketCounts> kernelRoundTrip;
  private final Map<String, Cached<BucketCounts>> kernelSchedDelay = new LinkedHashMap<>();
  private final Map<String, LongSupplier> queues;
  private final LongSupplier policyVersion;
  private final javaland.models.registry.BuildInfo buildInfo;
  private final List<String> kernels;
  private final Supplier<String> attachedTo;
  private final java.util.function.IntSupplier canaryState;
  private final List<String> learnedClassNames;
  private final List<String> learnedStates;
  private final java.util.function.ToLongBiFunction<String, String> learnedCount;
  private final List<String> rollbackReasons;
  private final java.util.function.ToLongFunction<String> rollbacks;
  private final List<String> faultKinds;
  private final java.util.function.ToLongFunction<String> faults;
  private final List<String> restartEvents;
  private final java.util.function.ToLongFunction<String> restarts;
  private final List<PsiSource> psi = new ArrayList<>();
  private final long[] boundsNs;
  private final Consumer<String> warnings;
  private final Set<Object> prometheusBound = Collections.newSetFromMap(new java.util.WeakHashMap<>());

  private JavalandMetrics(Builder b) {
    this.warnings = b.warnings;
    this.recorder = b.recorder;
    this.boundsNs = recorder != null ? recorder.boundsNs() : LatencyBounds.defaultNs();
    this.recorded = recorder == null ? null
        : new Cached<>("the dispatch recorder", recorder::snapshot, CACHE_NS, null, warnings);
    this.dispatches = b.dispatches == null ? null
        : new Cached<>("dispatch counters", b.dispatches, CACHE_NS, DispatchCounts.ZERO, warnings);
    this.kernelRoundTrip = b.kernelRoundTrip == null ? null
        : new Cached<>("the kernel's round-trip histogram", b.kernelRoundTrip, CACHE_NS, null, warnings);
    b.kernelSchedDelay.forEach((taskClass, src) -> kernelSchedDelay.put(taskClass,
        new Cached<>("the kernel's scheduling-delay histogram (" + taskClass + ")", src, CACHE_NS, null, warnings)));
    this.queues = new LinkedHashMap<>(b.queues);
    this.policyVersion = b.policyVersion;
    this.buildInfo = b.buildInfo;
    this.kernels = b.kernels;
    this.attachedTo = b.attachedTo;
    this.canaryState = b.canaryState;
    this.learnedClassNames = b.learnedClassNames;
    this.learnedStates = b.learnedStates;
    this.learnedCount = b.learnedCount;
    this.rollbackReasons = b.rollbackReasons;
    this.rollbacks = b.rollbacks;
    this.faultKinds = b.faultKinds;
    this.faults = b.faults;
    this.restartEvents = b.restartEvents;
    this.restarts = b.restarts;
    for (PsiReader r : b.psi) psi.add(new PsiSource(r, warnings));
  }

  public static Builder builder() {
    return new Builder();
  }

  public DispatchRecorder recorder() {
    return recorder;
  }

  /** The pressure sources, one per scope. */
  public List<PsiReader> psiReaders() {
    return psi.stream().map(p -> p.reader).toList();
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    if (registry instanceof CompositeMeterRegistry composite) {
      for (MeterRegistry member : composite.getRegistries()) bindTo(member);
      return;
    }
    if (dispatches != null) {
      for (DispatchCounts.Path p : DispatchCounts.Path.values()) {
        counter(registry, MeterNames.DISPATCHES, Tags.of("path", p.tag()), m -> m.dispatches.get().get(p));
      }
    }
    if (recorder != null) {
      counter(registry, MeterNames.BATCHES, Tags.empty(), m -> m.recorded().batches());
      counter(registry, MeterNames.DECISIONS, Tags.empty(), m -> m.recorded().tasks());
      counter(registry, MeterNames.DECIDE_TIME, Tags.empty(), m -> m.recorded().decideNs() / 1e9);
    }
    queues.forEach((queue, depth) -> gauge(registry, MeterNames.QUEUE_DEPTH, Tags.of("queue", queue),
        () -> (double) depth.getAsLong()));
    if (policyVersion != null) gauge(registry, MeterNames.POLICY_VERSION, Tags.empty(), () -> (double) policyVersion.getAsLong());
    if (buildInfo != null) {
      gauge(registry, MeterNames.BUILD_INFO, Tags.of("version", buildInfo.version(), "commit", buildInfo.commit(),
          "dirty", Boolean.toString(buildInfo.dirty()), "java", Runtime.version().toString()), () -> 1.0);
    }
    for (String kernel : kernels) {
      gauge(registry, MeterNames.ATTACHED, Tags.of("kernel", kernel), () -> kernel.equals(attachedTo.get()) ? 1.0 : 0.0);
    }
    if (canaryState != null) {
      gauge(registry, MeterNames.CANARY_STATE, Tags.empty(), () -> (double) canaryState.getAsInt());
      // the same as a label, one series per state, so that a rule or panel needs no table of numbers
      for (int i = 0; i < javaland.models.canary.CanaryStatus.STATES.size(); i++) {
        int code = i;
        gauge(registry, MeterNames.CANARY_STATUS, Tags.of("state", javaland.models.canary.CanaryStatus.STATES.get(i)),
            () -> canaryState.getAsInt() == code ? 1.0 : 0.0);
      }
      for (String reason : rollbackReasons) {
        counter(registry, MeterNames.ROLLBACKS, Tags.of("reason", reason), m -> m.rollbacks.applyAsLong(reason));
      }
    }
    if (learnedCount != null) {
      for (String c : learnedClassNames) for (String st : learnedStates) {
        gauge(registry, MeterNames.LEARNED_CLASSES, Tags.of("class", c, "state", st), () -> (double) learnedCount.applyAsLong(c, st));
      }
    }
    for (String kind : faultKinds) counter(registry, MeterNames.FAULTS, Tags.of("kind", kind), m -> m.faults.applyAsLong(kind));
    for (String e : restartEvents) counter(registry, MeterNames.RESTARTS, Tags.of("event", e), m -> m.restarts.applyAsLong(e));
    for (PsiSource s : psi) s.bind(registry, this);

    if (registry instanceof PrometheusMeterRegistry prom) {
      synchronized (prometheusBound) {
        if (prometheusBound.add(prom.getPrometheusRegistry())) {
          prom.getPrometheusRegistry().register(new PrometheusHistograms(this));
        }
      }
    } else {
      for (NamedHistogram h : histograms()) {
        FunctionTimer.builder(h.meter().meterName(), this,
                m -> m.histogram(h.meter(), h.taskClass()).count(),
                m -> m.histogram(h.meter(), h.taskClass()).sumNs(), TimeUnit.NANOSECONDS)
            .description(h.meter().description())
            .tags(h.taskClass() == null ? Tags.empty() : Tags.of("class", h.taskClass()))
            .register(registry);
      }
    }
  }

  /** A latency histogram at this instant: which meter, which task class (null for round trip), the data. */
  public record NamedHistogram(MeterNames meter, String taskClass, HistogramData data) {}

  /**
   * The current latency histograms: the round trip (if any source), then the scheduling delay
   * per task class (from the kernel's histograms if given, else from the recorder).
   */
  public List<NamedHistogram> histograms() {
    List<NamedHistogram> out = new ArrayList<>();
    DispatchRecorder.Snapshot s = recorded == null ? null : recorded();
    if (kernelRoundTrip != null) {
      BucketCounts k = kernelRoundTrip.get();
      out.add(new NamedHistogram(MeterNames.ROUNDTRIP, null,
          k == null ? HistogramData.empty(boundsNs) : HistogramData.rebucket(k, boundsNs)));
    } else if (s != null) {
      out.add(new NamedHistogram(MeterNames.ROUNDTRIP, null, s.roundTrip()));
    }
    if (!kernelSchedDelay.isEmpty()) {
      kernelSchedDelay.forEach((taskClass, src) -> {
        BucketCounts k = src.get();
        out.add(new NamedHistogram(MeterNames.SCHED_DELAY, taskClass,
            k == null ? HistogramData.empty(boundsNs) : HistogramData.rebucket(k, boundsNs)));
      });
    } else if (s != null) {
      for (int c = 0; c < s.taskClasses().size(); c++) {
        out.add(new NamedHistogram(MeterNames.SCHED_DELAY, s.taskClasses().get(c), s.schedDelay().get(c)));
      }
    }
    return out;
  }

  private HistogramData histogram(MeterNames meter, String taskClass) {
    for (NamedHistogram h : histograms()) {
      if (h.meter() == meter && java.util.Objects.equals(h.taskClass(), taskClass)) return h.data();
    }
    return HistogramData.empty(boundsNs);
  }

  private DispatchRecorder.Snapshot recorded() {
    DispatchRecorder.Snapshot s = recorded.get();
    if (s != null) return s;
    List<HistogramData> empty = new ArrayList<>();
    for (int i = 0; i < recorder.taskClasses().size(); i++) empty.add(HistogramData.empty(boundsNs));
    return new DispatchRecorder.Snapshot(recorder.taskClasses(), HistogramData.empty(boundsNs), empty, 0, 0, 0);
  }

  private void counter(MeterRegistry r, MeterNames m, Tags tags, ToDoubleFunction<JavalandMetrics> f) {
    FunctionCounter.builder(m.meterName(), this, f)
        .description(m.description())
        .baseUnit(m.baseUnit())
        .tags(tags)
        .register(r);
  }

  private void gauge(MeterRegistry r, MeterNames m, Tags tags, Supplier<Double> f) {
    Gauge.builder(m.meterName(), () -> {
          try {
            return f.get();
          } catch (RuntimeException e) {
            warnings.accept("reading " + m.meterName() + " failed: " + e);
            return Double.NaN;
          }
        })
        .description(m.description())
        .baseUnit(m.baseUnit())
        .tags(tags)
        .strongReference(true)
        .register(r);
  }

  /** One scope's pressure files, read once per collection. */
  private static final class PsiSource {
    final PsiReader reader;
    final Cached<PsiSnapshot> snapshot;
    final Map<String, Double> lastTotals = new java.util.concurrent.ConcurrentHashMap<>();

    PsiSource(PsiReader reader, Consumer<String> warnings) {
      this.reader = reader;
      this.snapshot = new Cached<>("pressure (" + reader.scope() + ")", reader::read, PSI_CACHE_NS, null, warnings);
    }

    void bind(MeterRegistry r, JavalandMetrics m) {
      PsiSnapshot first = snapshot.get();
      if (first == null) return; // malformed at start: reported, nothing to register
      for (PsiResource res : PsiResource.values()) {
        for (PsiKind kind : PsiKind.values()) {
          if (first.stall(res, kind).isEmpty()) continue;
          Tags tags = Tags.of("resource", res.label(), "kind", kind.label(), "scope", reader.scope());
          String key = res.label() + "/" + kind.label();
          m.counter(r, MeterNames.PSI_STALL, tags, x -> {
            PsiStall s = stall(res, kind);
            if (s == null) return lastTotals.getOrDefault(key, 0.0);
            lastTotals.put(key, s.totalSeconds());
            return s.totalSeconds();
          });
          m.gauge(r, MeterNames.PSI_AVG10, tags, () -> avg(res, kind, 10));
          m.gauge(r, MeterNames.PSI_AVG60, tags, () -> avg(res, kind, 60));
          m.gauge(r, MeterNames.PSI_AVG300, tags, () -> avg(res, kind, 300));
        }
      }
    }

    private PsiStall stall(PsiResource res, PsiKind kind) {
      PsiSnapshot s = snapshot.get();
      return s == null ? null : s.stall(res, kind).orElse(null);
    }

    private double avg(PsiResource res, PsiKind kind, int window) {
      PsiStall s = stall(res, kind);
      if (s == null) return Double.NaN;
      double pct = window == 10 ? s.avg10() : window == 60 ? s.avg60() : s.avg300();
      return pct / 100.0;
    }
  }

  /** What the metrics read, all optional. */
  public static final class Builder {
    private DispatchRecorder recorder;
    private Supplier<DispatchCounts> dispatches;
    private Supplier<BucketCounts> kernelRoundTrip;
    private final Map<String, Supplier<BucketCounts>> kernelSchedDelay = new LinkedHashMap<>();
    private final Map<String, LongSupplier> queues = new LinkedHashMap<>();
    private LongSupplier policyVersion;
    private javaland.models.registry.BuildInfo buildInfo;
    private List<String> kernels = List.of();
    private Supplier<String> attachedTo;
    private java.util.function.IntSupplier canaryState;
    private List<String> learnedClassNames = List.of();
    private List<String> learnedStates = List.of();
    private java.util.function.ToLongBiFunction<String, String> learnedCount;
    private List<String> rollbackReasons = List.of();
    private java.util.function.ToLongFunction<String> rollbacks;
    private List<String> faultKinds = List.of();
    private java.util.function.ToLongFunction<String> faults;
    private List<String> restartEvents = List.of();
    private java.util.function.ToLongFunction<String> restarts;
    private final List<PsiReader> psi = new ArrayList<>();
    private Consumer<String> warnings = javaland.telemetry.log.Log.named("metrics").at(javaland.telemetry.log.Log.Level.WARN);

    /** The dispatch thread's recorder: batches, decisions, decide time, sched delay, (Java-measured) round trip. */
    public Builder recorder(DispatchRecorder r) {
      this.recorder = r;
      return this;
    }

    /** The kernel's dispatch counters by path; called at most every 200 ms. */
    public Builder dispatches(Supplier<DispatchCounts> s) {
      this.dispatches = s;
      return this;
    }

    /**
     * The round trip from a histogram kept by the kernel instead of the recorder's
     * {@link DispatchRecorder#recordRoundTrip}; called at most every 200 ms.
     */
    public Builder kernelRoundTrip(Supplier<BucketCounts> s) {
      this.kernelRoundTrip = s;
      return this;
    }

    /**
     * The scheduling delay (runnable to running) of one task class from a histogram kept by the
     * kernel; once any is given, the recorder's {@link DispatchRecorder#recordSchedDelay} figures
     * are not exported. Called at most every 200 ms; may be called once per class.
     */
    public Builder kernelSchedDelay(String taskClass, Supplier<BucketCounts> s) {
      if (kernelSchedDelay.putIfAbsent(taskClass, s) != null) {
        throw new IllegalArgumentException("sched-delay class " + taskClass + " given twice");
      }
      return this;
    }

    /** A queue's depth ({@code javaland_queue_depth{queue=...}}); may be called several times. */
    public Builder queueDepth(String queue, LongSupplier depth) {
      if (queues.putIfAbsent(queue, depth) != null) throw new IllegalArgumentException("queue " + queue + " given twice");
      return this;
    }

    public Builder policyVersion(LongSupplier v) {
      this.policyVersion = v;
      return this;
    }

    /** Which build runs ({@code javaland_build_info{version,commit,dirty,java} 1}). */
    public Builder buildInfo(javaland.models.registry.BuildInfo b) {
      this.buildInfo = java.util.Objects.requireNonNull(b);
      return this;
    }

    /**
     * Whether the scheduler is attached, and to which kernel ({@code javaland_attached{kernel}}: 1 for
     * the one {@code attachedTo} names, 0 for the others of {@code kinds}; all 0 when it answers null).
     */
    public Builder attached(List<String> kinds, Supplier<String> attachedTo) {
      this.kernels = List.copyOf(kinds);
      this.attachedTo = java.util.Objects.requireNonNull(attachedTo);
      return this;
    }

    /**
     * The canary: its state ({@code javaland_canary_state}, and as a label of {@code javaland_canary_status}:
     * the code indexes {@code CanaryStatus.STATES}) and rollbacks so far by reason
     * ({@code javaland_rollbacks_total{reason}}, one series per name in {@code reasons}, present
     * from the start so that {@code increase()} sees the first one).
     */
    public Builder canary(java.util.function.IntSupplier state, List<String> reasons,
        java.util.function.ToLongFunction<String> rollbacksByReason) {
      this.canaryState = java.util.Objects.requireNonNull(state);
      this.rollbackReasons = List.copyOf(reasons);
      this.rollbacks = java.util.Objects.requireNonNull(rollbacksByReason);
      return this;
    }

    /**
     * The learned task classes by class and state ({@code javaland_learned_classes{class,state}},
     * one series per pair, present from the start so that a panel shows zeros before the first).
     */
    public Builder learnedClasses(List<String> classes, List<String> states, java.util.function.ToLongBiFunction<String, String> count) {
      this.learnedClassNames = List.copyOf(classes);
      this.learnedStates = List.copyOf(states);
      this.learnedCount = java.util.Objects.requireNonNull(count);
      return this;
    }

    /**
     * Misbehaviour contained so far by kind ({@code javaland_faults_total{kind}}, one series per
     * name in {@code kinds}, present from the start).
     */
    public Builder faults(List<String> kinds, java.util.function.ToLongFunction<String> byKind) {
      this.faultKinds = List.copyOf(kinds);
      this.faults = java.util.Objects.requireNonNull(byKind);
      return this;
    }

    /**
     * Kernel unloads and what followed, by event ({@code javaland_restarts_total{event}}, one
     * series per name in {@code events}, present from the start).
     */
    public Builder restarts(List<String> events, java.util.function.ToLongFunction<String> byEvent) {
      this.restartEvents = List.copyOf(events);
      this.restarts = java.util.Objects.requireNonNull(byEvent);
      return this;
    }

    /** A pressure scope (system, a cgroup); one per scope. */
    public Builder psi(PsiReader reader) {
      if (psi.stream().anyMatch(p -> p.scope().equals(reader.scope()))) {
        throw new IllegalArgumentException("PSI scope " + reader.scope() + " given twice");
      }
      psi.add(reader);
      return this;
    }

    /** Where problems reading a source go (once per kind of failure); default stderr. */
    public Builder warnings(Consumer<String> w) {
      this.warnings = w;
      return this;
    }

    public JavalandMetrics build() {
      return new JavalandMetrics(this);
    }
  }
}
