package javaland.lab.learn;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javaland.lab.experiment.ExperimentSpec;
import javaland.lab.experiment.RollbackSpec;
import javaland.models.canary.CanaryStatus;
import javaland.models.registry.AuditEntry;
import javaland.models.registry.Provenance;
import javaland.models.telemetry.TelemetryWindow;
import javaland.runtime.Scheduler;
import javaland.runtime.canary.Canary;
import javaland.runtime.canary.GuardBounds;
import javaland.runtime.kernel.sim.SimConfig;
import javaland.runtime.kernel.sim.SimKernel;
import javaland.runtime.kernel.sim.Workloads;
import javaland.runtime.policy.PolicyCatalog;
import javaland.runtime.policy.PolicySchema;
import javaland.sdk.Policy;

/**
 * The runtime's side of safe rollback, with no learner anywhere: a whole {@link Scheduler} with
 * a registry (in a temporary directory) and its {@link Canary} runs a synthetic workload on the
 * simulated kernel paced to real time; after some windows of the defaults (the guards' baseline)
 * a harmful parameter set is proposed through {@link Canary#propose} as a learner would, and then
 * nobody judges it. The guards must revert it by themselves; the result holds the audit log and
 * every window the canary judged.
 */
public final class Rollback {
  /** One window the canary closed: which version was in force and what it saw. */
  public record WindowFigure(double atSeconds, long version, boolean harmful, double wakeupP99Us, double dispatchRate,
      double fallbackRate, String state) {}

  /**
   * @param rollbackWindows windows the harmful set ran before the guard reverted it (the guard's
   *     own count, from its audit line); -1 if it was not reverted within {@code maxWindows}
   * @param audit every audit line of the run, oldest first
   * @param auditText the audit log file as written
   */
  public record Result(RollbackSpec spec, String startNote, long harmfulVersion, long restoredVersion, int rollbackWindows,
      double secondsToRevert, String event, String reason, Map<String, Double> figures, Map<String, Double> restoredValues,
      Map<String, Double> defaultValues, List<WindowFigure> windows, List<AuditEntry> audit, String auditText,
      boolean kernelAlive, boolean passed, double wallSeconds) {}

  private Rollback() {}

  public static Result run(RollbackSpec spec) throws Exception {
    long t0 = System.nanoTime();
    Path registry = Files.createTempDirectory("javaland-rollback-registry");
    try {
      return run(spec, registry, t0);
    } finally {
      deleteTree(registry);
    }
  }

  private static Result run(RollbackSpec spec, Path registry, long t0) throws Exception {
    GuardBounds bounds = GuardBounds.DEFAULTS.withWindow(spec.window());
    long windowNs = spec.window().toNanos();
    // long enough to outlast the baseline and the longest wait, so the workload never ends first
    long durationNs = windowNs * (spec.baselineWindows() + spec.maxWindows() + 10);
    ExperimentSpec.SimCosts c = spec.sim();
    SimConfig cfg = SimConfig.of(spec.topology()).withRoundTrip(c.roundTripNs(), c.decideNsPerTask())
        .withWakeLatency(c.wakeLatencyNs()).withSwitchCost(c.switchCostNs()).paced(1.0);
    SimKernel k = new SimKernel(Workloads.named(spec.workload(), spec.seed(), spec.topology().nrCpus(), durationNs), cfg);
    Policy policy = PolicyCatalog.installed().create(spec.policy());
    Scheduler s = Scheduler.create(Scheduler.Options.of(policy).withCanary(new Scheduler.CanaryOptions(registry, bounds)));
    List<WindowFigure> windows = new ArrayList<>();
    long harmfulVersion;
    boolean alive;
    Map<String, Double> defaults;
    try {
      s.attach(k);
      Canary canary = s.canary();
      defaults = canary.current().values();
      TelemetryWindow[] seen = {null};
      long start = System.nanoTime();
      // the first window only takes the canary's first snapshot: baseline windows are judged from the second on
      watch(canary, seen, windows, start, -1, System.nanoTime() + windowNs * (spec.baselineWindows() + 1) + windowNs / 4);
      Map<String, Double> figures = new LinkedHashMap<>();
      figures.put("baseline_windows", (double) spec.baselineWindows());
      canary.propose(canary.schema().change(spec.harmful()), new Provenance(Instant.now(), "experiment:" + spec.name(), "spec " + spec.file(), "",
          "a deliberately harmful parameter set; no learner is running to judge it", figures));
      harmfulVersion = canary.current().version();
      long deadline = System.nanoTime() + windowNs * spec.maxWindows() + windowNs / 4;
      while (CanaryStatus.CANARY.equals(canary.canary().state()) && System.nanoTime() < deadline) {
        watch(canary, seen, windows, start, harmfulVersion, Math.min(deadline, System.nanoTime() + 10_000_000L));
      }
      // one more window after the revert, to show the defaults back in force
      watch(canary, seen, windows, start, harmfulVersion, System.nanoTime() + windowNs + windowNs / 4);
      alive = k.exitInfo().isEmpty();
    } finally {
      s.stop();
    }
    Canary canary = s.canary();
    List<AuditEntry> audit = canary.audit();
    String auditText = Files.readString(registry.resolve("audit.jsonl"));
    AuditEntry last = audit.get(audit.size() - 1);
    boolean reverted = last.fromVersion() == harmfulVersion && (last.event().equals("guard_revert") || last.event().equals("timeout_revert"));
    int rollbackWindows = -1;
    double secs = Double.NaN;
    if (reverted) {
      Double w = last.provenance().figures().get("windows");
      rollbackWindows = w == null ? -1 : (int) Math.round(w);
      AuditEntry propose = audit.stream().filter(e -> e.event().equals("propose") && e.version() == harmfulVersion).findFirst().orElseThrow();
      secs = (last.at().toEpochMilli() - propose.at().toEpochMilli()) / 1e3;
    }
    boolean passed = reverted && rollbackWindows >= 0 && rollbackWindows <= spec.maxRollbackWindows() && alive
        && last.values().equals(defaults);
    return new Result(spec, s.startNote(), harmfulVersion, reverted ? last.version() : -1, rollbackWindows, secs,
        last.event(), last.provenance().reason(), last.provenance().figures(), last.values(), defaults, windows, audit, auditText,
        alive, passed, (System.nanoTime() - t0) / 1e9);
  }

  /** Until {@code untilNs}: every window the canary closes is noted once. */
  private static void watch(Canary c, TelemetryWindow[] seen, List<WindowFigure> out, long start, long harmfulVersion, long untilNs)
      throws InterruptedException {
    while (true) {
      TelemetryWindow w = c.lastWindow();
      if (w != null && w != seen[0]) {
        seen[0] = w;
        double p99 = w.delayQuantileNs("wakeup", 0.99); // the class the delay guard judges
        out.add(new WindowFigure((System.nanoTime() - start) / 1e9, w.policyVersion(), w.policyVersion() == harmfulVersion,
            Double.isNaN(p99) ? Double.NaN : p99 / 1e3, w.dispatchRate(), w.fallbackRate(), c.canary().state()));
      }
      long left = untilNs - System.nanoTime();
      if (left <= 0) return;
      Thread.sleep(Math.min(10, Math.max(1, left / 1_000_000)));
    }
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
    } catch (IOException e) {
      // a temporary directory left behind is harmless
    }
  }
}
