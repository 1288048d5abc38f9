package javaland.telemetry.metrics;

import java.util.Arrays;
import java.util.Optional;

/**
 * Every meter javaland defines: its Micrometer name (also the OTLP name), the Prometheus name it
 * is scraped as, its unit in each, and what it means. docs/metrics.md is the same table for
 * people; a test keeps the two in step.
 *
 * <p>The Prometheus names follow what the OpenTelemetry collector's Prometheus exporter makes of
 * the OTLP ones (dots to underscores, {@code s} to {@code _seconds}, {@code 1} on a gauge to
 * {@code _ratio}, {@code _total} on monotonic sums), so a dashboard works on either path.
 */
public enum MeterNames {
  DISPATCHES("javaland.dispatches", "javaland_dispatches_total", Kind.COUNTER, null, "{dispatch}",
      "Tasks dispatched, by path: user (decided by Java), kernel (by BPF alone), fallback (rescued by BPF"
          + " after Java took too long), bounced (Java chose a CPU the task may not use); cancelled counts"
          + " stale decisions dropped, not dispatches"),
  BATCHES("javaland.batches", "javaland_batches_total", Kind.COUNTER, null, "{batch}",
      "Batches of tasks the dispatch thread handed to the policy"),
  DECISIONS("javaland.decisions", "javaland_decisions_total", Kind.COUNTER, null, "{task}",
      "Tasks the policy decided"),
  DECIDE_TIME("javaland.decide", "javaland_decide_seconds_total", Kind.COUNTER, "seconds", "s",
      "Time the dispatch thread spent in the policy and writing decisions"),
  QUEUE_DEPTH("javaland.queue.depth", "javaland_queue_depth", Kind.GAUGE, null, "{task}",
      "Tasks waiting for a decision, by queue"),
  POLICY_VERSION("javaland.policy.version", "javaland_policy_version", Kind.GAUGE, null, "1",
      "Version of the policy in force; changes on every policy or parameter change"),
  CANARY_STATE("javaland.canary.state", "javaland_canary_state", Kind.GAUGE, null, "1",
      "Canary state: 0 idle (last-known-good in force), 1 canary (a candidate is tried), 2 committed,"
          + " 3 rolled back (how the last canary ended)"),
  CANARY_STATUS("javaland.canary.status", "javaland_canary_status", Kind.GAUGE, null, "1",
      "The canary state as a label: 1 for the state it is in (idle, canary, committed, rolled_back), 0 for the others"),
  BUILD_INFO("javaland.build.info", "javaland_build_info", Kind.GAUGE, null, "1",
      "Always 1; its tags say which build runs: version, commit (40 hex digits, or unknown), dirty, java"),
  ATTACHED("javaland.attached", "javaland_attached", Kind.GAUGE, null, "1",
      "1 while the scheduler is attached to the kernel its tag names (sched_ext: the real one; simulated: the model), else 0"),
  ROLLBACKS("javaland.rollbacks", "javaland_rollbacks_total", Kind.COUNTER, null, "{rollback}",
      "Reverts to last-known-good or asked-for rollbacks, by reason"),
  FAULTS("javaland.faults", "javaland_faults_total", Kind.COUNTER, null, "{fault}",
      "Misbehaviour contained, by kind: a policy's batch that threw or overran kernel.rescue_ms, a task it left"
          + " undecided; a decision whose slice or deadline the kernel held to its bounds"),
  RESTARTS("javaland.restarts", "javaland_restarts_total", Kind.COUNTER, null, "{event}",
      "The kernel unloading the scheduler and what run did about it, by event: unload, restart (attached again"
          + " with last-known-good values), give_up (too many unloads within the window: it stays off)"),
  ROUNDTRIP("javaland.roundtrip", "javaland_roundtrip_seconds", Kind.HISTOGRAM, "seconds", "s",
      "Round trip of tasks that went through Java: queued by the kernel to decision applied"),
  SCHED_DELAY("javaland.sched.delay", "javaland_sched_delay_seconds", Kind.HISTOGRAM, "seconds", "s",
      "Scheduling delay by task class: runnable to running, measured by the kernel"),
  PSI_STALL("javaland.psi.stall", "javaland_psi_stall_seconds_total", Kind.COUNTER, "seconds", "s",
      "Pressure stall time (PSI total) by resource, kind (some, full) and scope (system or a cgroup)"),
  PSI_AVG10("javaland.psi.avg10", "javaland_psi_avg10_ratio", Kind.GAUGE, "ratio", "1",
      "Share of the last 10 s stalled (the kernel's PSI avg10 / 100)"),
  PSI_AVG60("javaland.psi.avg60", "javaland_psi_avg60_ratio", Kind.GAUGE, "ratio", "1",
      "Share of the last 60 s stalled (the kernel's PSI avg60 / 100)"),
  PSI_AVG300("javaland.psi.avg300", "javaland_psi_avg300_ratio", Kind.GAUGE, "ratio", "1",
      "Share of the last 300 s stalled (the kernel's PSI avg300 / 100)"),
  LEARNED_CLASSES("javaland.learned.classes", "javaland_learned_classes", Kind.GAUGE, null, "{class}",
      "Learned task classes (by command name) held by the runtime, by class and state: canary, committed, rolled_back,"
          + " pinned, rejected (docs/learner.md#learned-classes)"),
  // The online learner's (javaland learn), served on its own /metrics (default 127.0.0.1:8741).
  LEARNER_REWARD("javaland.learner.reward", "javaland_learner_reward", Kind.GAUGE, null, "1",
      "The learner's reward of the last scored telemetry window (larger is better; docs/learner.md)"),
  LEARNER_WINDOWS("javaland.learner.windows", "javaland_learner_windows_total", Kind.COUNTER, null, "{window}",
      "Telemetry windows the learner read, by phase: baseline, candidate, skipped (unscorable, or spanning a change)"),
  LEARNER_DECISIONS("javaland.learner.decisions", "javaland_learner_decisions_total", Kind.COUNTER, null, "{decision}",
      "Arms the learner chose and proposed as a canary, by algorithm"),
  LEARNER_VERDICTS("javaland.learner.verdicts", "javaland_learner_verdicts_total", Kind.COUNTER, null, "{verdict}",
      "How the learner's canaries ended, by verdict: commit, rollback, inconclusive, guard_revert (the runtime's"
          + " guards reverted it first), lost (ended by someone else or a runtime restart)"),
  LEARNER_ARM("javaland.learner.arm", "javaland_learner_arm", Kind.GAUGE, null, "1",
      "The arm of the learner's running canary, -1 when none runs"),
  LEARNER_API_FAILURES("javaland.learner.api.failures", "javaland_learner_api_failures_total", Kind.COUNTER, null,
      "{failure}", "Calls to the runtime's API that failed, by kind: unreachable, conflict, refused"),
  LEARNER_OPE_REWARD("javaland.learner.ope.reward", "javaland_learner_ope_reward", Kind.GAUGE, null, "1",
      "Off-policy evaluation over the learner's decision log, by estimator: logged (the mean reward of its own decisions),"
          + " and ips, snips, dr (the estimated mean reward of the greedy policy of a reward model fitted on the log)");

  /** How the meter is exported. */
  public enum Kind { COUNTER, GAUGE, HISTOGRAM }

  private final String name;
  private final String prometheusName;
  private final Kind kind;
  private final String baseUnit;
  private final String otlpUnit;
  private final String description;

  MeterNames(String name, String prometheusName, Kind kind, String baseUnit, String otlpUnit, String description) {
    this.name = name;
    this.prometheusName = prometheusName;
    this.kind = kind;
    this.baseUnit = baseUnit;
    this.otlpUnit = otlpUnit;
    this.description = description;
  }

  /** The Micrometer name, which is also the OTLP metric name. */
  public String meterName() {
    return name;
  }

  /** As scraped from /metrics (a histogram's series add _bucket, _count and _sum). */
  public String prometheusName() {
    return prometheusName;
  }

  public Kind kind() {
    return kind;
  }

  /** The Micrometer base unit (drives the Prometheus suffix); null for plain counts. */
  public String baseUnit() {
    return baseUnit;
  }

  /** The UCUM unit sent over OTLP. */
  public String otlpUnit() {
    return otlpUnit;
  }

  public String description() {
    return description;
  }

  /** Served by the online learner's process, not the runtime's. */
  public boolean learner() {
    return name.startsWith("javaland.learner.");
  }

  public static Optional<MeterNames> byMeterName(String name) {
    return Arrays.stream(values()).filter(m -> m.name.equals(name)).findFirst();
  }
}
