package javaland.learner.online;

import static javaland.learner.verdict.BootstrapCi.mean;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import javaland.api.ApiClient;
import javaland.api.ApiException;
import javaland.api.Origin;
import javaland.api.ParameterInfo;
import javaland.api.ParametersView;
import javaland.api.Proposal;
import javaland.api.Reason;
import javaland.api.Rollback;
import javaland.learner.bandit.BanditPolicy;
import javaland.learner.bandit.Decision;
import javaland.learner.ope.DecisionLog;
import javaland.learner.ope.LogRecord;
import javaland.learner.reward.Reward;
import javaland.learner.verdict.CanaryJudge;
import javaland.models.canary.CanaryStatus;
import javaland.models.context.ContextFeatures;
import javaland.models.registry.ArtifactRef;
import javaland.models.telemetry.TelemetrySnapshot;
import javaland.models.telemetry.TelemetryWindow;

/**
 * The online learner: every window it reads the runtime's telemetry ({@code GET /api/v1/stats}),
 * scores the window ({@link Reward}) and describes it ({@link ContextFeatures}), and moves a small
 * state machine:
 *
 * <pre>
 * BASELINE  last-known-good in force; collect its windows. With enough of them the bandit
 *           chooses an arm (decision logged with its propensity), PUT /parameters → CANDIDATE.
 * CANDIDATE collect the candidate's windows; the judge compares them with the baseline every
 *           window. COMMIT → POST /canary/commit, ROLLBACK or too many windows → POST /rollback;
 *           the runtime's guard reverting it first counts as a bad outcome. The bandit learns
 *           the outcome, the decision log gets the record → BASELINE.
 * WAITING   a canary the learner did not start is running (409): wait until it ends.
 * </pre>
 *
 * Every decision and verdict is one JSON audit line (stdout, and {@code learner-audit.jsonl} in
 * the state directory); the figures also travel to the runtime in the change's provenance, so the
 * runtime's own audit line of the same change carries them. Runtime restarts and unreachable
 * periods are waited out with backoff. Single-threaded: {@link #run} or {@link #step} from one thread.
 */
public final class OnlineLearner implements AutoCloseable {
  enum Phase { BASELINE, CANDIDATE, WAITING }

  /** Baseline windows kept: the last-known-good's recent past, not its whole history. */
  static final int MAX_BASELINE = 30;

  private final LearnerOptions o;
  private final ApiClient api;
  private final LearnerMetrics metrics;
  /** What the learner's own lines start with ({@code PROGRAM: message}); audit lines are JSON. */
  public static final String PROGRAM = "javaland-learn";

  private final Consumer<String> out;
  private Reward reward;
  private java.util.function.DoubleSupplier service; // the service's own latency (--reward-promql), or null
  private final CanaryJudge judge;
  private Arms arms;
  private BanditPolicy bandit;
  private DecisionLog log;
  private LearnerOpe ope;
  private String policy;
  private final Decision decision = new Decision();
  private final double[] context = new double[ContextFeatures.SIZE];

  private Phase phase = Phase.BASELINE;
  private TelemetrySnapshot prev;
  private final ArrayDeque<Double> baseline = new ArrayDeque<>();
  private final List<Double> candidate = new ArrayList<>();
  private long baselineFirstMs;
  private long baselineVersion = -1;
  private long candidateVersion = -1;
  private int candidateArm = -1;
  private double candidatePropensity;
  private double[] decisionContext;
  private long candidateFirstMs;
  private int candidateWindows;
  private boolean warmPending;
  private WarmStart.Loaded warm;
  /** The artifact the bandit was seeded from, once it was: every proposal's origin names it. */
  private ArtifactRef warmArtifact;
  private int cpus;

  private int decisions;
  private int replayed;
  private final Map<String, Integer> outcomes = new LinkedHashMap<>();
  private double lastReward = Double.NaN;
  private long nextProgressNs;
  private String lastProblem;
  private ClassCanary classes; // null: no learned classes
  /** Arms a runtime guard reverted in this run: never proposed again (the guard would revert them). */
  private boolean[] guardReverted;
  private boolean[] excluded;
  private boolean exhaustedSaid;

  /** The learner's client of the runtime's API: quick to give up (3 s to connect, 10 s for an answer), since it retries. */
  public static ApiClient client(String url, String token) {
    return new ApiClient(url, token, Duration.ofSeconds(3), Duration.ofSeconds(10));
  }

  public OnlineLearner(LearnerOptions options, ApiClient api, LearnerMetrics metrics, Consumer<String> out) {
    this.o = options;
    this.api = api;
    this.metrics = metrics;
    this.out = out;
    this.reward = new Reward(options.reward());
    this.judge = new CanaryJudge(options.verdict(), options.seed());
    for (String v : LearnerMetrics.VERDICTS) outcomes.put(v, 0);
  }

  /** Judge every window by the service's own latency (e.g. {@code PromqlLatency}) instead of the scheduling delay; call before {@link #learnClasses}. */
  public OnlineLearner serviceLatency(java.util.function.DoubleSupplier s) {
    service = s;
    reward = new Reward(o.reward(), s);
    return this;
  }

  /** Also propose task classes (ClassCanary), ahead of parameters; off unless asked. */
  public OnlineLearner learnClasses(boolean on) {
    classes = on ? new ClassCanary(api, new Reward(ClassCanary.rewardFor(o.reward()), service), o.verdict(), o.maxCandidateWindows(),
        o.seed(), o.stateDir(), out, this::say) : null;
    return this;
  }
  // ------------------------------------------------------------------ setup

  /**
   * Reads the schema, builds the arms and the bandit, replays the decision log, loads the warm
   * start, and handles a canary left by an earlier learner. Throws on bad --arms or a decision log
   * that does not fit these arms; retries while the runtime is unreachable.
   */
  public void connect(BooleanSupplier stop) throws InterruptedException {
    ParametersView p = retrying(api::parameters, stop);
    if (p == null) return;
    policy = p.current().policy();
    arms = Arms.parse(p.schema().stream().map(ParameterInfo::toParameter).toList(), o.arms());
    bandit = Bandits.create(o.algorithm(), arms.size(), ContextFeatures.SIZE, o.seed());
    guardReverted = new boolean[arms.size()];
    excluded = new boolean[arms.size()];
    ope = new LearnerOpe(o.opeEvery(), arms.size(), metrics);
    say(String.format(Locale.ROOT, "connected to %s: policy %s, version %d in force, canary %s; %d arms over %s, %s, %d ms windows",
        api.url(), policy, p.current().version(), p.canary().state(), arms.size(), arms.varied(), o.algorithm(), o.window().toMillis()));
    if (o.decisionLog() != null) {
      DecisionLogResume.Resumed r = DecisionLogResume.resume(o.decisionLog(), arms.size(), bandit, ope, this::say);
      log = r.log();
      replayed = r.replayed();
    }
    if (replayed == 0 && o.registry() != null) {
      warm = WarmStart.find(o.registry(), policy, this::say).orElse(null);
      warmPending = warm != null;
    }
    if (CanaryStatus.CANARY.equals(p.canary().state())) {
      if (p.current().provenance().author().startsWith("learner")) {
        // a learner (an earlier run of this one) started it and its baseline is gone: end it now
        // rather than leave it to the runtime's timeout
        try {
          api.rollback(new Rollback(null, "learner restarted mid-canary; its baseline is lost", origin("", Map.of())));
          audit("orphan_rollback", Map.of("version", (double) p.current().version()), "rolled back canary version "
              + p.current().version() + " left by an earlier learner run");
        } catch (ApiException e) {
          say("could not roll back the orphaned canary " + p.current().version() + ": " + e.getMessage() + "; waiting for it to end");
          phase = Phase.WAITING;
        }
      } else {
        say("a canary (version " + p.current().version() + ", by " + p.current().provenance().author() + ") is running; waiting for it to end");
        phase = Phase.WAITING;
      }
    }
    audit("start", Map.of("arms", (double) arms.size(), "replayed", (double) replayed), "learner started: " + o.algorithm()
        + " over " + arms.varied());
    offPolicy(ope.evaluate());
  }

  // ------------------------------------------------------------------ the loop

  /** Runs until {@code stop} says so or --max-decisions is reached; one {@link #step} per window. */
  public void run(BooleanSupplier stop) throws InterruptedException {
    connect(stop);
    if (arms == null) return;
    long period = o.window().toNanos();
    long next = System.nanoTime();
    nextProgressNs = next + o.progress().toNanos();
    while (!stop.getAsBoolean() && (o.maxDecisions() == 0 || decisions < o.maxDecisions() || phase == Phase.CANDIDATE)) {
      long backoff = step();
      next = backoff > 0 ? System.nanoTime() + backoff : next + period;
      long wait = next - System.nanoTime();
      if (wait < -period) next = System.nanoTime(); // fell behind (a slow call): do not catch up in a burst
      if (wait > 0) StopAwareSleep.sleep(wait, stop);
      if (!o.progress().isZero() && System.nanoTime() >= nextProgressNs) {
        out.accept(progressLine());
        nextProgressNs += o.progress().toNanos();
      }
    }
  }

  private int failuresInARow;

  /**
   * One window. Returns 0, or a backoff in ns when the runtime could not be reached (the window
   * is lost; the next one starts afresh).
   */
  public long step() {
    TelemetrySnapshot now;
    try {
      now = api.stats();
    } catch (ApiException e) {
      return unreachable(e);
    }
    if (failuresInARow > 0) {
      say("runtime reachable again at " + api.url() + " after " + failuresInARow + " failed attempts");
      failuresInARow = 0;
      lastProblem = null;
    }
    TelemetrySnapshot before = prev;
    prev = now;
    if (before == null) return 0;
    if (now.monotonicNs() <= before.monotonicNs() || now.policyVersion() < before.policyVersion()) {
      runtimeRestarted();
      return 0;
    }
    TelemetryWindow w = TelemetryWindow.between(before, now);
    if (now.cpus() > 0) cpus = now.cpus();
    double r = reward.score(w);
    lastReward = r;
    metrics.reward(r);
    ContextFeatures.of(w, Math.max(1, cpus)).writeTo(context);
    try {
      if (classes != null) classes.window(w, phase == Phase.BASELINE);
      switch (phase) {
        case WAITING -> waiting(w);
        case BASELINE -> baselineWindow(w, r);
        case CANDIDATE -> candidateWindow(w, r);
      }
    } catch (ApiException e) {
      if (e.transientFailure()) return unreachable(e);
      metrics.failure(e.status() == 409 ? "conflict" : "refused");
      say("the runtime refused: " + e.getMessage());
    }
    return 0;
  }

  private long unreachable(ApiException e) {
    metrics.failure(e.transientFailure() ? "unreachable" : e.status() == 409 ? "conflict" : "refused");
    failuresInARow++;
    prev = null;
    long backoffMs = Math.min(30_000, o.window().toMillis() * (1L << Math.min(5, failuresInARow - 1)));
    String problem = e.getMessage();
    if (!problem.equals(lastProblem)) {
      say(problem + (e.transientFailure() ? "; retrying every " + backoffMs / 1000.0 + " s or so" : ""));
      lastProblem = problem;
    }
    if (!e.transientFailure() && (e.status() == 401 || e.status() == 403 || e.status() == 404)) {
      throw new IllegalStateException(e.getMessage(), e); // will not get better by waiting
    }
    return backoffMs * 1_000_000;
  }

  private void runtimeRestarted() {
    say("the runtime restarted (its clock or version went back): starting over from its last-known-good");
    if (phase == Phase.CANDIDATE) endCandidate("lost", Double.NaN, "the runtime restarted during the canary");
    baseline.clear();
    phase = Phase.BASELINE;
  }

  private void waiting(TelemetryWindow w) {
    metrics.window("skipped");
    CanaryStatus c = api.canary();
    if (!CanaryStatus.CANARY.equals(c.state())) {
      say("the other canary ended (" + c.state() + ": " + c.reason() + "); collecting a baseline");
      baseline.clear();
      phase = Phase.BASELINE;
    }
  }

  private void baselineWindow(TelemetryWindow w, double r) {
    if (w.versionChanged() || w.exited() || !Double.isFinite(r)) {
      metrics.window("skipped");
      return;
    }
    if (w.policyVersion() != baselineVersion) { // a new last-known-good (ours, or anyone's change)
      baseline.clear();
      baselineVersion = w.policyVersion();
    }
    metrics.window("baseline");
    if (baseline.isEmpty()) baselineFirstMs = prev.epochMs();
    baseline.addLast(r);
    while (baseline.size() > MAX_BASELINE) baseline.removeFirst();
    if (warmPending) {
      warmPending = false;
      try {
        double[] pred = WarmStart.predict(warm.model(), arms, context);
        WarmStart.seed(bandit, pred, context);
        warmArtifact = warm.artifact();
        audit("warm_start", Map.of("arms", (double) pred.length, "artifact", (double) warmArtifact.id()),
            "seeded each arm with the reward model's prediction: " + warmArtifact.describe());
      } catch (RuntimeException e) {
        say("no warm start (starting cold): " + e.getMessage());
      }
    }
    if (classes != null && classes.holdsParameters()) return; // one change at a time, classes first
    if (baseline.size() >= o.verdict().minSamples() && (o.maxDecisions() == 0 || decisions < o.maxDecisions())) propose();
  }

  /**
   * Marks the arms not to propose now: those a guard reverted in this run, and the one whose values
   * are in force (a canary that changes nothing teaches nothing, and under emulation such a canary
   * was reverted by a guard on noise). Returns how many are left.
   */
  private int exclude() {
    int inForce = arms.indexOf(api.parameters().current().values());
    int left = 0;
    for (int a = 0; a < arms.size(); a++) {
      excluded[a] = guardReverted[a] || a == inForce;
      if (!excluded[a]) left++;
    }
    return left;
  }

  private void propose() {
    if (exclude() == 0) {
      if (!exhaustedSaid) say("no parameter set left to try: every arm was reverted by a runtime guard or is in force; proposing none");
      exhaustedSaid = true;
      return;
    }
    bandit.decide(context, excluded, decision);
    int arm = decision.arm();
    Map<String, Double> values = arms.values(arm);
    double[] b = baselineArray();
    Map<String, Double> figures = new LinkedHashMap<>();
    figures.put("arm", (double) arm);
    figures.put("propensity", decision.propensity());
    figures.put("baseline_mean", mean(b));
    figures.put("baseline_windows", (double) b.length);
    int out = 0;
    for (boolean x : excluded) if (x) out++;
    figures.put("excluded_arms", (double) out);
    for (int i = 0; i < ContextFeatures.SIZE; i++) figures.put("context_" + ContextFeatures.NAMES.get(i), context[i]);
    String data = "baseline windows " + Instant.ofEpochMilli(baselineFirstMs) + ".." + Instant.ofEpochMilli(prev.epochMs())
        + " of version " + baselineVersion;
    String reason = String.format(Locale.ROOT, "learner (%s) tries arm %d %s, chosen with probability %.3f", o.algorithm(), arm,
        values, decision.propensity());
    CanaryStatus c;
    try {
      c = proposeNamingTheArtifact(new Proposal(values, abbreviate(reason), origin(data, figures)));
    } catch (ApiException e) {
      if (e.status() == 409) {
        metrics.failure("conflict");
        say("a canary is already running (409): waiting for it to end");
        phase = Phase.WAITING;
        return;
      }
      throw e;
    }
    decisions++;
    metrics.decision(arm);
    candidateArm = arm;
    candidatePropensity = decision.propensity();
    decisionContext = context.clone();
    candidateVersion = c.version();
    candidate.clear();
    candidateWindows = 0;
    candidateFirstMs = System.currentTimeMillis();
    judge.reset();
    phase = Phase.CANDIDATE;
    figures.put("version", (double) c.version());
    audit("propose", figures, reason + "; canary version " + c.version() + " against " + c.baselineVersion());
  }

  private void candidateWindow(TelemetryWindow w, double r) {
    CanaryStatus c = api.canary();
    if (!CanaryStatus.CANARY.equals(c.state()) || c.version() != candidateVersion) {
      boolean reverted = CanaryStatus.ROLLED_BACK.equals(c.state());
      // the runtime's guard (or its timeout) reverted it: as bad an outcome as a harmful arm gets,
      // and not tried again: the guard would only revert it again
      if (reverted) guardReverted[candidateArm] = true;
      endCandidate(reverted ? "guard_revert" : "lost", reverted ? badOutcome() : Double.NaN,
          "canary version " + candidateVersion + " ended without the learner: " + c.state() + " (" + c.reason() + ")"
          + (reverted ? "; arm " + candidateArm + " is not proposed again in this run" : ""));
      return;
    }
    candidateWindows++;
    if (w.versionChanged() || w.exited() || !Double.isFinite(r) || w.policyVersion() != candidateVersion) {
      metrics.window("skipped");
    } else {
      metrics.window("candidate");
      candidate.add(r);
    }
    double[] cand = candidate.stream().mapToDouble(Double::doubleValue).toArray();
    double[] base = baselineArray();
    CanaryJudge.Judgement j = judge.judge(cand, base);
    Map<String, Double> figures = j.figures(cand, base);
    String data = "candidate windows " + Instant.ofEpochMilli(candidateFirstMs) + ".." + Instant.ofEpochMilli(prev.epochMs())
        + " vs baseline of version " + baselineVersion;
    switch (j.outcome()) {
      case COMMIT -> {
        api.commit(new Reason(abbreviate("learner verdict: commit: " + j.reason()), origin(data, figures)));
        endCandidate("commit", mean(cand), j.reason());
      }
      case ROLLBACK -> {
        api.rollback(new Rollback(null, abbreviate("learner verdict: rollback: " + j.reason()), origin(data, figures)));
        endCandidate("rollback", mean(cand), j.reason());
      }
      case CONTINUE -> {
        if (candidateWindows >= o.maxCandidateWindows()) {
          String why = "no verdict within " + candidateWindows + " windows (" + j.reason() + "): keeping last-known-good";
          api.rollback(new Rollback(null, abbreviate("learner: inconclusive: " + why), origin(data, figures)));
          endCandidate("inconclusive", mean(cand), why);
        }
      }
    }
  }

  /**
   * Ends the running candidate: the bandit learns {@code outcome} (NaN: nothing learned, as when
   * the runtime restarted), the decision log gets one record, one audit line says why.
   */
  private void endCandidate(String verdict, double outcome, String why) {
    double[] cand = candidate.stream().mapToDouble(Double::doubleValue).toArray();
    double[] base = baselineArray();
    LogRecord logged = null;
    if (Double.isFinite(outcome)) {
      bandit.update(decisionContext, candidateArm, outcome);
      logged = new LogRecord(System.currentTimeMillis(), decisionContext, candidateArm, candidatePropensity, outcome);
      if (log != null) {
        try {
          log.append(logged);
          log.sync();
        } catch (IOException e) {
          say("decision log " + o.decisionLog() + " could not be written: " + e.getMessage());
        }
      }
    }
    metrics.verdict(verdict);
    outcomes.merge(verdict, 1, Integer::sum);
    Map<String, Double> figures = new LinkedHashMap<>();
    figures.put("version", (double) candidateVersion);
    figures.put("arm", (double) candidateArm);
    figures.put("propensity", candidatePropensity);
    figures.put("outcome", outcome);
    figures.put("candidate_mean", mean(cand));
    figures.put("candidate_windows", (double) cand.length);
    figures.put("baseline_mean", mean(base));
    figures.put("baseline_windows", (double) base.length);
    audit(verdict, figures, why);
    if (verdict.equals("commit") || verdict.equals("lost")) baseline.clear(); // a new last-known-good
    candidate.clear();
    candidateArm = -1;
    candidateVersion = -1;
    phase = Phase.BASELINE;
    if (logged != null) offPolicy(ope.add(logged));
  }

  /** Reports an off-policy evaluation of the decisions so far (an {@code ope} audit line); the gauges are already set. */
  private void offPolicy(Optional<LearnerOpe.Result> r) {
    r.ifPresent(e -> audit("ope", e.figures(), e.summary()));
  }

  /**
   * The reward a guard-reverted arm is charged: three baseline standard deviations (at least
   * 0.05) below the baseline mean, or the candidate's worst window if that is lower: worse than
   * anything the baseline did, so the bandit avoids the arm, but finite, so one revert of a noisy
   * arm does not ban it forever under forgetting.
   */
  private double badOutcome() {
    double[] b = baselineArray();
    if (b.length == 0) return Double.NaN;
    double m = mean(b);
    double sd = 0;
    for (double x : b) sd += (x - m) * (x - m);
    sd = b.length > 1 ? Math.sqrt(sd / (b.length - 1)) : 0;
    double bad = m - 3 * Math.max(0.05, sd);
    for (double x : candidate) bad = Math.min(bad, x);
    return bad;
  }

  // ------------------------------------------------------------------ output

  /**
   * Proposes {@code p}, its origin naming the artifact the bandit was warm-started from. A runtime
   * older than contract 1.1.0 refuses that field (400): then this and later proposals go without it.
   */
  private CanaryStatus proposeNamingTheArtifact(Proposal p) {
    if (warmArtifact == null) return api.propose(p);
    try {
      return api.propose(new Proposal(p.values(), p.reason(), p.origin().withArtifact(warmArtifact)));
    } catch (ApiException e) {
      if (e.status() != 400 || !e.getMessage().contains("artifact")) throw e;
      say("the runtime refused origin.artifact (an API before 1.1.0?): proposing without naming " + warmArtifact.describe());
      warmArtifact = null;
      return api.propose(p);
    }
  }

  /** Where a change comes from, as the API's origin: this learner, its algorithm, the data and figures behind it. */
  private Origin origin(String data, Map<String, Double> figures) {
    return new Origin("learner", o.algorithm(), abbreviate(data), figures);
  }

  /** The API takes 500 characters of a reason or a data description. */
  private static String abbreviate(String s) {
    return s.length() > 500 ? s.substring(0, 497) + "..." : s;
  }

  private void audit(String event, Map<String, Double> figures, String why) {
    new AuditLine(Instant.now(), event, policy, o.algorithm(), why, figures,
        candidateArm >= 0 && arms != null ? arms.values(candidateArm) : null).emit(out, o.stateDir(), this::say);
  }

  private void say(String msg) {
    out.accept(PROGRAM + ": " + msg);
  }

  /** One line on where the learner stands. */
  public String progressLine() {
    double[] b = baselineArray();
    String where = switch (phase) {
      case BASELINE -> String.format(Locale.ROOT, "baseline of version %d: %d/%d windows", baselineVersion, b.length,
          o.verdict().minSamples());
      case CANDIDATE -> String.format(Locale.ROOT, "canary version %d arm %d %s: %d windows, mean %.3f vs baseline %.3f",
          candidateVersion, candidateArm, arms.values(candidateArm), candidate.size(),
          mean(candidate.stream().mapToDouble(Double::doubleValue).toArray()),
          mean(b));
      case WAITING -> "waiting for another canary to end";
    };
    return String.format(Locale.ROOT, PROGRAM + ": %s; last reward %.3f; decisions %d (+%d replayed), %s; %s", where, lastReward,
        decisions, replayed, outcomes, ope == null ? "no off-policy evaluation yet" : ope.last());
  }

  // ------------------------------------------------------------------ for tests and the CLI

  public int decisions() { return decisions; }
  public int replayed() { return replayed; }
  public Map<String, Integer> outcomes() { return Map.copyOf(outcomes); }
  public BanditPolicy bandit() { return bandit; }
  public Arms arms() { return arms; }

  /** The artifact the bandit was warm-started from, which proposals name; null if none. */
  public ArtifactRef warmArtifact() {
    return warmArtifact;
  }

  Phase phase() {
    return phase;
  }

  private double[] baselineArray() {
    return baseline.stream().mapToDouble(Double::doubleValue).toArray();
  }

  private <T> T retrying(java.util.function.Supplier<T> call, BooleanSupplier stop) throws InterruptedException {
    while (!stop.getAsBoolean()) {
      try {
        T t = call.get();
        if (failuresInARow > 0) say("runtime reachable at " + api.url());
        failuresInARow = 0;
        return t;
      } catch (ApiException e) {
        long ns = unreachable(e);
        StopAwareSleep.sleep(ns, stop);
      }
    }
    return null;
  }

  /**
   * On a clean stop mid-canary: rolls the candidate back now (nobody will judge it) instead of
   * leaving it to the runtime's timeout. Best effort: the runtime may be gone.
   */
  public void abandon() {
    if (phase != Phase.CANDIDATE) return;
    try {
      api.rollback(new Rollback(null, "learner stopping mid-canary: nobody will judge it", origin("", Map.of())));
    } catch (ApiException e) {
      say("could not roll back canary version " + candidateVersion + " on stop (" + e.getMessage() + "); the runtime's timeout will");
    }
    endCandidate("lost", Double.NaN, "the learner stopped during the canary");
  }

  @Override
  public void close() throws IOException {
    if (log != null) log.close();
  }
}
