package javaland.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import javaland.runtime.JvmHygiene;
import javaland.runtime.Reports;
import javaland.models.params.ParameterChange;
import javaland.runtime.RunOutcome;
import javaland.runtime.Scheduler;
import javaland.runtime.control.ControlPlane;
import javaland.runtime.policy.PolicySchema;
import javaland.runtime.api.ApiAuth;
import javaland.runtime.api.RestApi;
import javaland.runtime.kernel.KernelStats;
import javaland.runtime.kernel.KernelParams;
import javaland.runtime.kernel.Kernel;
import javaland.runtime.kernel.bpf.BpfKernel;
import javaland.runtime.kernel.sim.SimConfig;
import javaland.runtime.kernel.sim.SimKernel;
import javaland.runtime.kernel.sim.Workloads;
import javaland.runtime.policy.PolicyCatalog;
import javaland.runtime.restart.Restarts;
import javaland.sdk.Policy;
import javaland.telemetry.log.Log;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "run", description = {
    "Replace the kernel's scheduler with javaland until Ctrl-C (or --duration).",
    "Needs root and a kernel with sched_ext (Linux 6.13+, CONFIG_SCHED_CLASS_EXT=y); elsewhere it runs "
    + "the same policy and loop against a simulated kernel, and says so on its first line.",
    "The last line printed is JAVALAND_STATS followed by one JSON object.",
    "When the kernel unloads the scheduler (a stall, an error exit, SysRq-S) it attaches again after --restart-backoff "
    + "with the last-known-good values, until --unload-limit unloads within --unload-window: then it stays off.",
    "Exit code 0 done, 1 failed, 2 usage or config error (nothing started), 3 the kernel unloaded the scheduler and "
    + "the run was stopped before it attached again, 4 it gave up after --unload-limit unloads (docs/operations.md)."})
final class RunCommand implements java.util.concurrent.Callable<Integer> {
  /** What run says about itself; JAVALAND_STATS and the --stats blocks are its output, not log lines. */
  private static final Log LOG = Log.named("run");

  @picocli.CommandLine.Mixin
  PolicyJars policyJars = new PolicyJars();

  /** Read when it exists and no --config is given; a field, so that tests can point it elsewhere. */
  static Path defaultConfig = Path.of("/etc/javaland/javaland.yaml");

  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = ConfigFile.OPTION, paramLabel = "FILE",
      description = "Read these options from a YAML file (keys: the long options without dashes; default "
          + "/etc/javaland/javaland.yaml when it exists). Options given here override it. See docs/operations.md.")
  Path config;

  @Option(names = "--duration", converter = DurationConverter.class,
      description = "Stop after this long (e.g. 30s, 5m). Default: until Ctrl-C or SIGTERM.")
  Duration duration;

  @Option(names = "--policy", defaultValue = PolicyCatalog.DEFAULT,
      description = "Scheduling policy: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).",
      completionCandidates = PolicyNames.class)
  String policy;

  @Option(names = "--set", paramLabel = "KEY=VALUE",
      description = "Set a policy or kernel parameter, e.g. --set slice_max_us=10000 --set kernel.rescue_ms=50.")
  Map<String, String> settings = new LinkedHashMap<>();

  @Option(names = "--http-port", defaultValue = "8740",
      description = "Control plane port on --http-host (0: any free port, -1: no control plane). Default ${DEFAULT-VALUE}.")
  int httpPort;

  @Option(names = "--http-host", defaultValue = "127.0.0.1", description = "Control plane address. Default ${DEFAULT-VALUE}.")
  String httpHost;

  @Option(names = "--api-token-file", paramLabel = "FILE",
      description = "REST API: accept this static bearer token (file: the token, optionally a 'scope:' line; mode 600). See docs/api.md.")
  Path apiTokenFile;

  @Option(names = "--api-jwt-key", paramLabel = "PEM",
      description = "REST API: accept RS256 JWTs signed by the private half of this PEM public key (claim 'scope').")
  Path apiJwtKey;

  @Option(names = "--api-jwt-issuer", description = "REST API: the JWT 'iss' required (default: any).")
  String apiJwtIssuer;

  @Option(names = "--api-jwt-audience", description = "REST API: the JWT 'aud' required (default: any).")
  String apiJwtAudience;

  @Option(names = "--api-open-reads", description = "REST API: GET requests need no token.")
  boolean apiOpenReads;

  @Option(names = "--bpf-object", description = "Use this compiled BPF object instead of the packaged one.")
  Path bpfObject;

  @Option(names = "--progress", converter = DurationConverter.class, defaultValue = "10s",
      description = "Print a progress line this often (0 to turn off). Default ${DEFAULT-VALUE}.")
  Duration progress;

  @Option(names = "--stats", arity = "0..1", paramLabel = "INTERVAL", fallbackValue = "1s", converter = DurationConverter.class,
      description = "Print a block of live counters every INTERVAL (default 1s when given without one) instead of the"
          + " progress line, as javaland stats --monitor does.")
  Duration stats;

  @picocli.CommandLine.Mixin
  LogOptions logOptions = new LogOptions();

  @Option(names = "--verbose", description = "Echo libbpf's messages.")
  boolean verbose;

  @Option(names = "--profile-threads", description = "Diagnostic: sample the scheduler JVM's threads with JFR from the"
      + " attach on, and add where their CPU went (per thread, by javaland method) and the JIT's compilations to the"
      + " JAVALAND_STATS report as 'profile'. JFR costs some CPU itself.")
  boolean profileThreads;

  private ThreadProfile profile; // --profile-threads, from the attach on

  @Option(names = "--sim", description = "Use the simulated kernel even where sched_ext exists.")
  boolean sim;

  @Option(names = "--workload", defaultValue = "mix",
      description = "Simulated kernel only: the synthetic workload (hogs, interactive, periodic, forkjoin, server, mix, server-hogs). Default ${DEFAULT-VALUE}.")
  String workload;

  @Option(names = "--sim-cpus", defaultValue = "4", description = "Simulated kernel only: CPUs of the simulated machine. Default ${DEFAULT-VALUE}.")
  int simCpus;

  @Option(names = "--record", paramLabel = "FILE.jlt",
      description = "Record every task's scheduling events to this trace (docs/trace-format.md), on either kernel.")
  Path record;

  @Option(names = "--seed", defaultValue = "1", description = "Simulated kernel only: the workload's random seed. Default ${DEFAULT-VALUE}.")
  long seed;

  private javaland.runtime.kernel.sim.Workload simWorkload;
  @Option(names = "--registry", paramLabel = "DIR",
      description = "Policy registry: versions, last-known-good, audit log (docs/canary.md). Default /var/lib/javaland as root,"
          + " else $XDG_STATE_HOME/javaland, else ~/.local/state/javaland. 'none' runs without one (no canary, nothing recorded).")
  String registry;

  @Option(names = "--canary-window", converter = DurationConverter.class, defaultValue = "1s",
      description = "How often the canary's guards judge a telemetry window. Default ${DEFAULT-VALUE}.")
  Duration canaryWindow;

  @Option(names = "--canary-timeout", converter = DurationConverter.class, defaultValue = "60s",
      description = "A canary neither committed nor rolled back within this is reverted. Default ${DEFAULT-VALUE}.")
  Duration canaryTimeout;

  // ---- restart with memory (docs/operations.md#restart-after-an-unload) ----
  @Option(names = "--unload-limit", defaultValue = "3",
      description = "After this many unloads by the kernel within --unload-window, stay off on the default scheduler"
          + " (exit 4); before that, attach again with the last-known-good values. 1: never attach again. Default ${DEFAULT-VALUE}.")
  int unloadLimit;

  @Option(names = "--unload-window", converter = DurationConverter.class, defaultValue = "10m",
      description = "How far back unloads count toward --unload-limit. Default ${DEFAULT-VALUE}.")
  Duration unloadWindow;

  @Option(names = "--restart-backoff", converter = DurationConverter.class, defaultValue = "2s",
      description = "Wait this long after an unload before attaching again, twice as long for each earlier unload"
          + " within --unload-window. Default ${DEFAULT-VALUE}.")
  Duration restartBackoff;

  @Option(names = "--sim-unload-every", converter = DurationConverter.class,
      description = "Simulated kernel only: unload the scheduler this often, as SysRq-S does, to see the restarts. Default: never.")
  Duration simUnloadEvery;

  private java.util.concurrent.ScheduledExecutorService simUnloads;
  // ---- end restart

  // ---- the learner child (docs/learner.md) ----
  // Negatable, so that the config file says 'learner: false' (its key is the option's name)
  @Option(names = "--learner", negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "Start the online learner (javaland learn) as a child process (default); --no-learner: do not.")
  boolean learner = true;

  @Option(names = "--learner-metrics-port", defaultValue = "8741",
      description = "The learner child's /metrics port on 127.0.0.1 (0: off). Default ${DEFAULT-VALUE}.")
  int learnerMetricsPort;

  @Option(names = "--learner-arg", paramLabel = "FLAG=VALUE",
      description = "A javaland learn flag for the learner child, without its dashes (repeat), e.g. --learner-arg window=1s.")
  List<String> learnerArgs = new java.util.ArrayList<>();

  private LearnerChild learnerChild;
  private String learnerToken;

  /**
   * The learner needs the API and a write token: when it will run and no static token is
   * configured, a random one is generated and its file (600) given to the API; returns the
   * authentication to serve with.
   */
  private ApiAuth.Config learnerAuth(ApiAuth.Config auth) throws java.io.IOException {
    if (!learner || httpPort < 0 || "none".equals(registry)) return auth;
    if (auth.tokenFile() != null) {
      learnerToken = javaland.api.TokenFile.token(auth.tokenFile());
      return auth;
    }
    learnerToken = LearnerChild.newToken();
    return new ApiAuth.Config(LearnerChild.writeTokenFile(learnerToken), auth.jwtKey(), auth.issuer(), auth.audience(),
        auth.openReads());
  }

  /** The registry whose reward models the learner child warm-starts from (LearnerChild#priorRegistry); null for none. */
  private Path learnerPriorFrom;

  /** Starts the learner child once the control plane listens and the API is mounted. */
  private void startLearner(ControlPlane controlPlane, boolean apiMounted) {
    if (learnerToken == null) return;
    if (!apiMounted) {
      LOG.warn("learner not started: this build does not serve the REST API it needs");
      return;
    }
    String host = httpHost.equals("0.0.0.0") || httpHost.equals("::") ? "127.0.0.1" : httpHost;
    List<String> extra = new java.util.ArrayList<>();
    for (String a : learnerArgs) extra.add(a.startsWith("-") ? a : "--" + a); // dashes would read as run's own flags
    try {
      learnerChild = LearnerChild.prepare("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + controlPlane.port(),
          learnerToken, learnerMetricsPort, extra, learnerPriorFrom, System.out);
    } catch (java.io.IOException | RuntimeException e) {
      // e.g. a read-only /var/lib: the scheduler runs on without a learner, and says why
      LOG.warn("learner not started: " + e.getMessage() + " (javaland learn can be run by hand)");
      return;
    }
    if (learnerChild != null) learnerChild.start();
  }

  private void stopLearner() {
    if (learnerChild != null) learnerChild.stop();
  }
  // ---- end learner child ----

  /** The registry directory: --registry, else {@link javaland.runtime.config.Dirs#state}; null for none. */
  static Path registryDir(String option, Map<String, String> env, boolean root) {
    if (option != null) return option.equals("none") ? null : Path.of(option);
    return javaland.runtime.config.Dirs.state(env, root);
  }

  // ---- rules
  @Option(names = "--rules", paramLabel = "FILE",
      description = "Task-classification rules (YAML, docs/rules.md); reloaded when the file changes.")
  java.nio.file.Path rulesFile;
  // ---- end rules

  static final class PolicyNames implements Iterable<String> {
    @Override
    public java.util.Iterator<String> iterator() {
      return PolicyCatalog.installed().names().iterator();
    }
  }

  @Override
  public Integer call() throws Exception {
    ConfigFile.Applied fromFile = ConfigFile.apply(spec, config, defaultConfig, RunCommand::new);
    Policy p;
    ParameterChange values;
    try {
      policyJars.install();
      try {
        p = PolicyCatalog.installed().create(policy);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("--policy " + policy + ": " + e.getMessage(), e);
      }
      values = Settings.parse(PolicySchema.of(p), settings); // refused before anything is attached
      checkOptions();
      logOptions.configure("javaland");
    } catch (IllegalArgumentException e) {
      throw fromFile.locate(e); // a value from the config file is named by its file, line and key
    }
    Recording recording = record == null ? null : Recording.of(record, policy, settings);
    ApiAuth.Config apiAuth = new ApiAuth.Config(apiTokenFile, apiJwtKey, apiJwtIssuer, apiJwtAudience, apiOpenReads);
    ApiAuth.check(apiAuth); // a bad token file or key is named before anything is attached
    ApiAuth.Config given = apiAuth;
    apiAuth = learnerAuth(apiAuth); // learner child
    if ("none".equals(registry) && (given.configured() || apiOpenReads)) {
      LOG.warn("--api-* given with --registry none: /api/v1 needs the registry"
          + " (versions, canary) and is not served; /status and /metrics are");
    }
    // rules: a bad file is refused (every error with its line) before anything is attached
    javaland.runtime.rules.FileRuleStore rules = rulesFile == null ? null
        : javaland.runtime.rules.FileRuleStore.open(rulesFile, LOG.at(Log.Level.INFO));
    boolean real = BpfKernel.available() && !sim;
    if (!real) {
      // The first line says what this is: nobody should mistake a simulation for the real thing.
      LOG.info("SIMULATED KERNEL: " + (sim ? "--sim given" : "this kernel (" + osRelease()
          + ") has no sched_ext (Linux 6.13+ with CONFIG_SCHED_CLASS_EXT=y is needed)")
          + "; running the same policy and loop against a simulated machine of " + simCpus + " CPUs with the '"
          + workload + "' workload, in real time. For the real scheduler: sudo ./javaland run on a sched_ext kernel, or ./javaland vm.");
    } else {
      if (verbose) javaland.runtime.kernel.bpf.Libbpf.get().echoLog(true);
      for (String w : JvmHygiene.prepare()) LOG.warn(w);
    }

    // Signals first: a SIGTERM during start-up must still end in a clean detach and exit 0.
    CountDownLatch signalled = new CountDownLatch(1);
    AtomicReference<Scheduler> current = new AtomicReference<>();
    StopSignals.handle(sig -> {
      signalled.countDown();
      Scheduler sch = current.get();
      if (sch != null) sch.requestStop(sig);
    });
    long jvmMs = java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime();
    long t0 = System.nanoTime();
    Path registryDir = registryDir(registry, System.getenv(), javaland.runtime.config.Dirs.root());
    if (registry == null && registryDir != null) {
      try {
        java.nio.file.Files.createDirectories(registryDir);
        if (!java.nio.file.Files.isWritable(registryDir)) throw new java.io.IOException("not writable");
      } catch (java.io.IOException e) {
        // e.g. root in a VM guest with a read-only home: any writable directory will do
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"), "javaland-registry");
        LOG.warn("default registry " + registryDir + " unusable (" + e.getMessage() + "); using " + tmp);
        registryDir = tmp;
      }
    }
    learnerPriorFrom = registryDir;
    Scheduler.CanaryOptions canary = registryDir == null ? null : new Scheduler.CanaryOptions(registryDir,
        javaland.runtime.canary.GuardBounds.DEFAULTS.withWindow(canaryWindow).withTimeout(canaryTimeout));
    if (rules == null && registryDir != null) rules = defaultRules(registryDir.resolve("rules.yaml")); // rules
    Scheduler scheduler = Scheduler.create(new Scheduler.Options(policy, p, values, canary,
        rules == null ? null : rules.watch(500), 512, LOG.at(Log.Level.INFO)));
    current.set(scheduler);
    scheduler.superviseWith(new Restarts(new Restarts.Policy(unloadLimit, unloadWindow, restartBackoff)));
    if (scheduler.startNote() != null) LOG.info(scheduler.startNote());
    if (signalled.getCount() == 0) return finish(scheduler, null, "not attached", null, null);
    // The kernel first: every second before the attach is a second on the default scheduler, while
    // nothing needs the control plane to schedule.
    Kernel kernel;
    Scheduler.KernelAttacher again;
    try {
      if (real) {
        // The event ring costs the kernel a record per switch: profiled from it only when it is on
        // anyway, else from /proc once per learner window (GET /tasks).
        javaland.runtime.kernel.SchedEventListener events = recording == null ? null
            : javaland.runtime.kernel.SchedEventListener.both(scheduler.taskProfiler(), recording.forBpf());
        kernel = BpfKernel.attach(bpfObject, scheduler.kernelParams(), events);
        if (recording == null) scheduler.profileFromProc(javaland.runtime.rules.ProcTaskProfiler.ofThisProcess());
        again = params -> BpfKernel.attach(bpfObject, params, events); // a restart records on into the same trace
      } else {
        SimKernel k = simulatedKernel();
        // A restart starts a new simulated machine, which the trace (one machine's) does not follow.
        again = params -> {
          SimKernel s = simulatedKernel();
          s.setListener(scheduler.taskProfiler());
          return s;
        };
        if (recording != null) recording.attachSim(k, simWorkload);
        // The learner's evidence for classes (GET /tasks), beside the recorder if there is one.
        k.setListener(javaland.runtime.kernel.SchedEventListener.both(scheduler.taskProfiler(),
            recording == null ? null : recording.listener()));
        kernel = k;
      }
      scheduler.attach(kernel);
    } catch (RuntimeException e) {
      scheduler.stop();
      throw new Main.Failed(e); // the input was good: this is a failure (exit 1), not a usage error
    }
    long t1 = System.nanoTime();
    if (signalled.getCount() == 0) scheduler.requestStop("signal during start-up");
    LOG.info("attached to " + kernel.describe()
        + (real ? ": state " + BpfKernel.state() + ", ops " + readOps() : "") + ", policy " + policy);
    System.out.flush();
    ControlPlane.Options cpo = ControlPlane.Options.of(httpHost, httpPort);
    if (scheduler.policyControl().isPresent()) cpo = cpo.withApi(apiAuth, LOG.at(Log.Level.INFO));
    RuntimeException[] failed = {null};
    ControlPlane controlPlane = startControlPlane(scheduler, cpo, signalled, failed, again);
    if (scheduler.kernel() != null) kernel = scheduler.kernel(); // attached again while the control plane started
    if (controlPlane == null) {
      // A signal (or the kernel) ended the run while the control plane was still starting, or it
      // could not start: give the kernel its scheduler back now, then say why.
      int code = finish(scheduler, null, kernel.describe(), kernel, recording);
      if (failed[0] != null) throw new Main.Failed(failed[0]);
      return code;
    }
    long t2 = System.nanoTime();
    if (controlPlane.port() >= 0) {
      LOG.info("status at http://" + httpHost + ":" + controlPlane.port() + "/status");
    }
    LOG.info(String.format(java.util.Locale.ROOT, "start-up took %.1f s: JVM and CLI %.1f s, kernel attach %.1f s, control plane %.1f s",
        jvmMs / 1e3 + (t2 - t0) / 1e9, jvmMs / 1e3, (t1 - t0) / 1e9, (t2 - t1) / 1e9));
    startLearner(controlPlane, scheduler.policyControl().isPresent()); // learner child
    if (profileThreads) {
      try {
        profile = new ThreadProfile();
      } catch (NoClassDefFoundError e) { // a runtime jlinked without jdk.jfr
        LOG.warn("--profile-threads: this Java runtime has no JFR (module jdk.jfr): no profile");
      }
    }

    if (!real && simUnloadEvery != null) forceUnloads(scheduler, simUnloadEvery);
    long deadline = duration == null ? Long.MAX_VALUE : System.nanoTime() + duration.toNanos();
    Duration every = stats != null ? stats : progress; // --stats replaces the progress line
    long step = every.isZero() ? 1000 : Math.min(every.toMillis(), 1000);
    long nextProgress = System.nanoTime() + every.toNanos();
    KernelStats last = kernel.stats();
    com.fasterxml.jackson.databind.JsonNode lastStatus = stats == null ? null : scheduler.status();
    long lastStatusNs = System.nanoTime();
    while (signalled.getCount() > 0 && System.nanoTime() < deadline) {
      if (scheduler.awaitEnd(Duration.ofMillis(Math.max(1, Math.min(step, (deadline - System.nanoTime()) / 1_000_000))))) {
        if (!scheduler.restartAfterUnload(again, signalled)) break;
        kernel = scheduler.kernel();
        last = kernel.stats();
        continue;
      }
      if (!every.isZero() && System.nanoTime() >= nextProgress) {
        if (stats != null) {
          com.fasterxml.jackson.databind.JsonNode now = scheduler.status();
          long nowNs = System.nanoTime();
          System.out.print(javaland.cli.stats.StatsBlock.format(now, lastStatus, (nowNs - lastStatusNs) / 1e9,
              java.time.Instant.now(), java.time.ZoneId.systemDefault()));
          System.out.flush();
          lastStatus = now;
          lastStatusNs = nowNs;
        } else {
          KernelStats now = kernel.stats();
          LOG.info(Reports.progressLine(now, last, progress.toNanos() / 1e9).replaceFirst("^javaland: ", ""));
          last = now;
        }
        nextProgress += every.toNanos();
      }
    }
    if (signalled.getCount() > 0 && System.nanoTime() >= deadline) scheduler.requestStop("duration elapsed");
    stopLearner(); // learner child: before the scheduler, so it can roll back a canary it started
    return finish(scheduler, controlPlane, kernel.describe(), kernel, recording);
  }

  /** --sim-unload-every: the simulated kernel in force unloads the scheduler every {@code every}. */
  private void forceUnloads(Scheduler scheduler, Duration every) {
    simUnloads = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
        r -> Thread.ofPlatform().name("javaland-sim-unload").daemon(true).unstarted(r));
    simUnloads.scheduleAtFixedRate(() -> {
      if (scheduler.kernel() instanceof SimKernel k) k.forceUnload(javaland.runtime.kernel.ExitInfo.SYSRQ, "SysRq-S (--sim-unload-every)");
    }, every.toMillis(), every.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
  }

  /** The values no converter checks; each message names its option, as {@link ConfigFile.Applied#locate} expects. */
  private void checkOptions() {
    if (duration != null && (duration.isNegative() || duration.isZero())) {
      throw new IllegalArgumentException("--duration must be positive, got " + duration);
    }
    if (!Workloads.NAMES.contains(workload)) {
      throw new IllegalArgumentException("--workload " + workload + ": choose one of " + String.join(", ", Workloads.NAMES));
    }
    if (stats != null && (stats.isNegative() || stats.isZero())) {
      throw new IllegalArgumentException("--stats must be a positive interval, got " + stats);
    }
    if (simCpus < 1 || simCpus > 1024) throw new IllegalArgumentException("--sim-cpus must be within 1..1024, got " + simCpus);
    if (httpPort < -1 || httpPort > 65535) throw new IllegalArgumentException("--http-port must be within -1..65535, got " + httpPort);
    new Restarts.Policy(unloadLimit, unloadWindow, restartBackoff); // its messages name the options
    if (simUnloadEvery != null && (simUnloadEvery.isNegative() || simUnloadEvery.isZero())) {
      throw new IllegalArgumentException("--sim-unload-every must be positive, got " + simUnloadEvery);
    }
    if (learnerMetricsPort < 0 || learnerMetricsPort > 65535) {
      throw new IllegalArgumentException("--learner-metrics-port must be within 0..65535, got " + learnerMetricsPort);
    }
  }

  /**
   * Starts the control plane on a thread of its own and waits for it, or for a signal or the end
   * of the run, whichever comes first (an unload meanwhile is restarted here, as in the main loop);
   * null when it did not come up in time for this run (it is closed once it does) or failed
   * ({@code failed[0]} says why).
   */
  private static ControlPlane startControlPlane(Scheduler scheduler, ControlPlane.Options o, CountDownLatch signalled,
      RuntimeException[] failed, Scheduler.KernelAttacher again) throws InterruptedException {
    java.util.concurrent.CompletableFuture<ControlPlane> f = java.util.concurrent.CompletableFuture.supplyAsync(
        () -> ControlPlane.start(scheduler, o), r -> Thread.ofPlatform().name("javaland-control-plane").daemon(true).start(r));
    while (signalled.getCount() > 0) {
      try {
        return f.get(100, java.util.concurrent.TimeUnit.MILLISECONDS);
      } catch (java.util.concurrent.TimeoutException e) {
        if (scheduler.awaitEnd(Duration.ZERO) && !scheduler.restartAfterUnload(again, signalled)) break;
      } catch (java.util.concurrent.ExecutionException e) {
        failed[0] = e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        return null;
      }
    }
    f.thenAccept(ControlPlane::close);
    return null;
  }

  /** Stops, says why it ended, and prints the JAVALAND_STATS line last. */
  private int finish(Scheduler scheduler, ControlPlane controlPlane, String kernelName, Kernel kernel, Recording recording) {
    if (simUnloads != null) simUnloads.shutdownNow();
    RunOutcome o = scheduler.stop();
    if (controlPlane != null) controlPlane.close();
    ObjectNode report = Reports.outcomeJson(scheduler.policyName(), kernelName, o); // the policy in force at the end
    if (recording != null) recording.finish(kernel, report); // the kernel is closed: nothing more comes
    if (kernel instanceof BpfKernel bpf) {
      // Java-side losses: decisions the full decision ring refused, records too short to read.
      report.put("dropped_decisions", bpf.droppedDecisions()).put("malformed_records", bpf.malformedRecords());
    }
    if (o.exit() != null) {
      // the kernel kicking us out (exit 3) is worth a warning; a detach we asked for is not
      LOG.write(o.exitCode() == RunOutcome.UNLOADED ? Log.Level.WARN : Log.Level.INFO, "scheduler unloaded after "
          + report.get("duration_s").asDouble() + " s (" + o.reason() + "): " + o.exit()
          + (BpfKernel.available() ? "; state now " + BpfKernel.state() : ""));
    } else if (!o.attached()) {
      LOG.info(o.reason() + "; nothing was attached");
    }
    if (o.failure() != null) LOG.error("the policy failed: " + o.failure());
    if (o.gaveUp()) LOG.warn("gave up restarting: " + scheduler.restarts().gaveUpWhy());
    report.set("restarts", scheduler.restartsJson());
    if (profile != null) {
      profile.close();
      report.set("profile", profile.json());
    }
    System.out.println("JAVALAND_STATS " + javaland.models.json.JsonCodec.write(report));
    System.out.flush();
    return o.exitCode();
  }

  /** The rules file in the registry directory (created empty), so rules edited through the API persist. */
  private static javaland.runtime.rules.FileRuleStore defaultRules(Path file) {
    try {
      if (!java.nio.file.Files.exists(file)) {
        java.nio.file.Files.createDirectories(file.getParent()); // a new --registry DIR: the registry opens it only later
        java.nio.file.Files.writeString(file, "# task-classification rules (docs/rules.md); edited by ./javaland policy rules\nrules: []\n");
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot create the rules file " + file + ": " + e, e);
    }
    return javaland.runtime.rules.FileRuleStore.open(file, LOG.at(Log.Level.INFO));
  }

  /** The simulated machine for hosts without sched_ext: paced to real time, ended by --duration or a signal. */
  private SimKernel simulatedKernel() {
    long durationNs = duration != null ? duration.toNanos() + 60_000_000_000L : 24L * 3600 * 1_000_000_000L;
    simWorkload = Workloads.named(workload, seed, simCpus, durationNs);
    return new SimKernel(simWorkload, SimConfig.of(simCpus).paced(1.0));
  }

  private static String osRelease() {
    try {
      return java.nio.file.Files.readString(Path.of("/proc/sys/kernel/osrelease")).trim();
    } catch (java.io.IOException e) {
      return "?";
    }
  }


  private static String readOps() {
    try {
      return java.nio.file.Files.readString(Path.of("/sys/kernel/sched_ext/root/ops")).trim();
    } catch (java.io.IOException e) {
      return "?";
    }
  }
}
