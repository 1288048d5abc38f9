package javaland.learner.online;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import javaland.api.ApiClient;
import javaland.api.ApiException;
import javaland.api.LearnedClass;
import javaland.api.LearnedClassProposal;
import javaland.api.Origin;
import javaland.api.Reason;
import javaland.api.TaskProfiles;
import javaland.learner.classes.ClassProposal;
import javaland.learner.classes.ClassProposer;
import javaland.learner.reward.Reward;
import javaland.learner.reward.RewardConfig;
import javaland.learner.verdict.CanaryJudge;
import javaland.learner.verdict.VerdictConfig;
import javaland.models.telemetry.TelemetryWindow;

/**
 * Learned task classes as the learner's actions: from the runtime's per-task counters
 * ({@code GET /tasks}) over a baseline, {@link ClassProposer} proposes classes for the processes
 * that have none yet; they go to the runtime as one canary ({@code POST /learned-classes}, in
 * force at once, below the person's rules), the canary judge compares the windows after with the
 * baseline, and all of them are committed or rolled back together. Each step is an audit line
 * ({@code class_propose}, {@code class_commit}, {@code class_rollback}, {@code class_inconclusive})
 * with the evidence, and propensity 1: the classifier is deterministic, so off-policy estimates
 * over these actions can only evaluate this same policy.
 *
 * <p>The reward judged is the delay of every woken task ({@code latency_class=wakeup}) unless
 * given: the default judges the latency-critical class first, whose members are what a class
 * proposal changes, so it would compare two different populations. While a parameter canary runs
 * nothing is proposed (and the parameter learner waits while a class canary runs, {@link #busy}):
 * one change at a time, so a verdict judges one change. A class a person pinned or rejected, or
 * one this learner rolled back in this run, is not proposed again. The learner's own process is
 * not classified: in the VM it was proposed batch, by its name {@code java}, which every JVM has.
 */
final class ClassCanary {
  static final String WAKEUP = "wakeup";
  private static final int MAX_BASELINE = 30;

  private final ApiClient api;
  private final Reward reward;
  private final CanaryJudge judge;
  private final VerdictConfig verdict;
  private final int maxCandidateWindows;
  private final ClassProposer proposer = new ClassProposer().withoutProcess((int) ProcessHandle.current().pid());
  private final Path stateDir;
  private final Consumer<String> out;
  private final Consumer<String> say;
  private final ArrayDeque<Double> baseline = new ArrayDeque<>();
  private final List<Double> candidate = new ArrayList<>();
  private final Set<String> rolledBack = new HashSet<>();
  private List<ClassProposal> inFlight = List.of();
  private TaskProfiles profilesAtStart;
  private long baselineVersion = -1;
  private int candidateWindows;
  private int proposals;
  private int commits;
  private boolean looked;

  /** @param reward built on {@link #rewardFor} of the learner's */
  ClassCanary(ApiClient api, Reward reward, VerdictConfig verdict, int maxCandidateWindows, long seed, Path stateDir,
      Consumer<String> out, Consumer<String> say) {
    this.api = api;
    this.reward = reward;
    this.verdict = verdict;
    this.judge = new CanaryJudge(verdict, seed ^ 0x6C617373L);
    this.maxCandidateWindows = maxCandidateWindows;
    this.stateDir = stateDir;
    this.out = out;
    this.say = say;
  }

  /** The reward a class canary is judged by: the given one, on the delay of every woken task unless a class was named. */
  static RewardConfig rewardFor(RewardConfig given) {
    if (!given.latencyClass().equals(RewardConfig.DEFAULT.latencyClass())) return given;
    return new RewardConfig(given.delayWeight(), given.throughputWeight(), given.pressureWeight(), given.fallbackWeight(), WAKEUP,
        given.quantile());
  }

  /** Whether a class canary is in flight. */
  boolean busy() {
    return !inFlight.isEmpty();
  }

  /**
   * Whether the parameter learner must wait: while a class canary runs, and until the classifier
   * has looked once over a full baseline (else the parameter learner, needing one window less,
   * would always propose first).
   */
  boolean holdsParameters() {
    return busy() || !looked;
  }

  int proposals() {
    return proposals;
  }

  int commits() {
    return commits;
  }

  /** One window; {@code parametersSettled}: no parameter canary runs. */
  void window(TelemetryWindow w, boolean parametersSettled) {
    double r = reward.score(w);
    if (busy()) {
      candidate(w, r);
      return;
    }
    if (!parametersSettled || w.versionChanged() || w.exited() || !Double.isFinite(r)) {
      if (!parametersSettled) restartBaseline();
      return;
    }
    if (w.policyVersion() != baselineVersion) {
      restartBaseline();
      baselineVersion = w.policyVersion();
    }
    TaskProfiles now = api.tasks();
    if (profilesAtStart == null) {
      profilesAtStart = now; // the baseline's evidence starts here
      return;
    }
    baseline.addLast(r);
    while (baseline.size() > MAX_BASELINE) baseline.removeFirst();
    if (baseline.size() < verdict.minSamples()) return;
    List<LearnedClass> classes = api.learnedClasses().classes();
    if (orphansRolledBack(classes)) {
      restartBaseline(); // measured with the orphans in force: no baseline of what runs now
      return; // and not looked yet: the parameter learner keeps waiting for this round
    }
    List<ClassProposal> fresh = fresh(proposer.propose(profilesAtStart, now), classes);
    profilesAtStart = now;
    looked = true;
    if (!fresh.isEmpty()) propose(fresh, now);
  }

  private void restartBaseline() {
    baseline.clear();
    profilesAtStart = null;
  }

  /**
   * One proposal per command name (a learned class is by name): names whose processes got
   * different proposals are left out as ambiguous, and so are names the runtime already holds a
   * class for (any state but rolled back) and those rolled back in this run.
   */
  private List<ClassProposal> fresh(List<ClassProposal> all, List<LearnedClass> classes) {
    Map<String, ClassProposal> byComm = new LinkedHashMap<>();
    Set<String> ambiguous = new HashSet<>();
    for (ClassProposal p : all) {
      if (p.comm().isEmpty()) continue;
      ClassProposal o = byComm.putIfAbsent(p.comm(), p);
      if (o != null && !o.taskClass().equals(p.taskClass())) ambiguous.add(p.comm());
    }
    Set<String> held = new HashSet<>();
    for (LearnedClass c : classes) if (!c.state().equals("rolled_back")) held.add(c.comm());
    List<ClassProposal> out = new ArrayList<>();
    for (ClassProposal p : byComm.values()) {
      if (!ambiguous.contains(p.comm()) && !held.contains(p.comm()) && !rolledBack.contains(p.comm())) out.add(p);
    }
    return out;
  }

  /**
   * With no class canary of its own in flight, a learner's class canary in the runtime is an
   * orphan that nobody will judge: its proposal was recorded but the answer was lost (under TCG a
   * proposal's answer took longer than the client's timeout, and redis-server stayed a canary to
   * the phase's end, boot 2026-12-07 18:15), or an earlier run of the learner left it. Each is
   * rolled back (audit {@code class_orphan_rollback}) and may be proposed again. Returns whether
   * there were any.
   */
  private boolean orphansRolledBack(List<LearnedClass> classes) {
    boolean any = false;
    for (LearnedClass c : classes) {
      if (!c.state().equals("canary") || c.author() == null || !c.author().startsWith("learner")) continue;
      Map<String, Double> figures = new LinkedHashMap<>(c.evidence());
      try {
        LearnedClass after = api.changeLearnedClass(c.comm(), "rollback",
            new Reason("learner: an orphaned class canary (version " + c.version() + "), which no verdict would end", null));
        figures.put("version", (double) after.version());
      } catch (ApiException e) {
        if (e.transientFailure()) throw e;
        continue; // ended meanwhile (a person pinned or rejected it)
      }
      any = true;
      audit("class_orphan_rollback", new ClassProposal(0, c.comm(), c.taskClass(), c.evidence(), c.reason()), figures,
          "rolled back version " + c.version() + ", a class canary this learner is not judging");
    }
    return any;
  }

  private void propose(List<ClassProposal> ps, TaskProfiles now) {
    List<ClassProposal> sent = new ArrayList<>();
    for (ClassProposal p : ps) {
      Map<String, Double> figures = new LinkedHashMap<>(p.evidence());
      figures.put("propensity", 1.0);
      figures.put("baseline_mean", mean(baseline));
      figures.put("baseline_windows", (double) baseline.size());
      try {
        LearnedClass c = api.proposeLearnedClass(new LearnedClassProposal(p.comm(), p.taskClass(), p.reason(), p.evidence(),
            new Origin("learner", "classifier", "task counters over the baseline windows of version " + baselineVersion, null, null)));
        figures.put("version", (double) c.version());
        sent.add(p);
        audit("class_propose", p, figures, p.reason());
      } catch (ApiException e) {
        if (e.transientFailure()) throw e;
        say.accept("class for " + p.comm() + " refused: " + e.getMessage()); // a person pinned or rejected it meanwhile
      }
    }
    if (sent.isEmpty()) return;
    proposals++;
    inFlight = List.copyOf(sent);
    candidate.clear();
    candidateWindows = 0;
    judge.reset();
  }

  private void candidate(TelemetryWindow w, double r) {
    candidateWindows++;
    if (!w.versionChanged() && !w.exited() && Double.isFinite(r)) candidate.add(r);
    double[] cand = candidate.stream().mapToDouble(Double::doubleValue).toArray();
    double[] base = baseline.stream().mapToDouble(Double::doubleValue).toArray();
    CanaryJudge.Judgement j = judge.judge(cand, base);
    switch (j.outcome()) {
      case COMMIT -> end("commit", "class_commit", j, cand, base);
      case ROLLBACK -> end("rollback", "class_rollback", j, cand, base);
      case CONTINUE -> {
        if (candidateWindows >= maxCandidateWindows) end("rollback", "class_inconclusive", j, cand, base);
      }
    }
  }

  private void end(String action, String event, CanaryJudge.Judgement j, double[] cand, double[] base) {
    Map<String, Double> verdictFigures = j.figures(cand, base);
    for (ClassProposal p : inFlight) {
      Map<String, Double> figures = new LinkedHashMap<>(verdictFigures);
      figures.put("propensity", 1.0);
      try {
        LearnedClass c = api.changeLearnedClass(p.comm(), action, new Reason(abbreviate("learner verdict: " + event + ": " + j.reason()), null));
        figures.put("version", (double) c.version());
      } catch (ApiException e) {
        if (e.transientFailure()) throw e;
        figures.put("version", Double.NaN); // a person pinned or rejected it meanwhile: theirs stands
      }
      if (!action.equals("commit")) rolledBack.add(p.comm());
      audit(event, p, figures, j.reason());
    }
    if (action.equals("commit")) {
      commits++;
      baseline.clear(); // the classes are part of what runs now
    }
    inFlight = List.of();
    profilesAtStart = null;
  }

  private void audit(String event, ClassProposal p, Map<String, Double> figures, String why) {
    Map<String, Double> f = new LinkedHashMap<>();
    f.put("tgid", (double) p.tgid());
    f.putAll(figures);
    new AuditLine(Instant.now(), event, "classes", "classifier", p.comm() + " " + p.taskClass() + ": " + why, f, null)
        .emit(out, stateDir, say);
  }

  private static double mean(Iterable<Double> xs) {
    double s = 0;
    int n = 0;
    for (double x : xs) {
      s += x;
      n++;
    }
    return n == 0 ? Double.NaN : s / n;
  }

  private static String abbreviate(String s) {
    return s.length() <= 480 ? s : s.substring(0, 477) + "...";
  }
}
