package javaland.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import javaland.learner.ope.DecisionLog;
import javaland.learner.ope.Estimate;
import javaland.learner.ope.Evaluation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "evaluate", description = {
    "Off-policy evaluation of a learner's decision log: the logged policy's mean reward, and IPS, self-normalised "
    + "IPS and doubly robust estimates (standard error, 95%% interval, effective sample size) of playing each arm "
    + "always and of the greedy policy of a reward model fitted on the log (docs/learner.md)."})
final class LearnEvaluateCommand implements Callable<Integer> {
  @Option(names = "--decision-log", paramLabel = "FILE",
      description = "The decision log. Default: STATE_DIR/decisions.jldlog as learn writes it.")
  Path decisionLog;

  @Option(names = "--state-dir", paramLabel = "DIR", description = "As learn's; used only for the default --decision-log.")
  Path stateDir;

  @Option(names = "--arm-count", paramLabel = "N", defaultValue = "0",
      description = "Arms of the learner's grid (0: the largest arm in the log + 1; arms never played get estimates too).")
  int arms;

  @Option(names = "--json", description = "Print, as the last line, one JSON object with every figure.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    Path file = decisionLog != null ? decisionLog
        : (stateDir != null ? stateDir : LearnCommand.defaultStateDir(System.getenv())).resolve("decisions.jldlog");
    if (!Files.isRegularFile(file)) throw new IllegalArgumentException("--decision-log " + file + ": no such file");
    DecisionLog.Contents c;
    try {
      c = DecisionLog.read(file);
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException("--decision-log " + e.getMessage(), e);
    }
    if (!c.complete() && !c.tornTail()) {
      throw new IllegalArgumentException("--decision-log " + file + " is corrupt: " + c.stopReason() + " (" + c.records().size()
          + " good records before it, " + (c.fileBytes() - c.validBytes()) + " bytes after); not evaluating part of a damaged log");
    }
    if (arms < 0) throw new IllegalArgumentException("--arm-count must be >= 0, got " + arms);
    int k = arms == 0 ? Evaluation.armsOf(c.records()) : arms;
    if (c.records().size() < 2) {
      throw new IllegalArgumentException("--decision-log " + file + " has " + c.records().size() + " decisions; evaluation needs at least 2");
    }
    Evaluation.Report r;
    try {
      r = Evaluation.of(c.records(), k);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--decision-log " + file + ": " + e.getMessage(), e);
    }
    if (c.tornTail()) System.err.println("javaland: " + file + ": " + c.stopReason() + " (a torn last record, as a crash leaves it): ignored");
    System.out.printf(Locale.ROOT, "%s: %d decisions over %d arms; logged policy: mean reward %.4f (se %.4f)%n", file, r.records(),
        r.arms(), r.loggedMean(), r.loggedSe());
    System.out.printf(Locale.ROOT, "%-8s %6s  %-26s %-26s %-26s %8s%n", "target", "played", "IPS [95%]", "SNIPS [95%]",
        "DR [95%]", "ESS");
    int[] plays = r.playsPerArm();
    for (Evaluation.Target t : r.targets()) {
      String played = t.name().startsWith("arm ") ? Integer.toString(plays[Integer.parseInt(t.name().substring(4))]) : "";
      System.out.printf(Locale.ROOT, "%-8s %6s  %-26s %-26s %-26s %8.1f%s%n", t.name(), played, cell(t.ips()), cell(t.snips()),
          cell(t.dr()), t.ips().effectiveSampleSize(), t.problem() == null ? "" : "  (" + t.problem() + ")");
    }
    Evaluation.Target g = r.greedy();
    System.out.printf(Locale.ROOT, "greedy policy vs logged: DR %+.4f [%+.4f, %+.4f]%n", g.dr().value() - r.loggedMean(),
        g.dr().lo() - r.loggedMean(), g.dr().hi() - r.loggedMean());
    if (json) System.out.println(json(file, r));
    return 0;
  }

  private static String cell(Estimate e) {
    return e == null ? "-" : String.format(Locale.ROOT, "%.4f [%.3f, %.3f]", e.value(), e.lo(), e.hi());
  }

  static String json(Path file, Evaluation.Report r) {
    ObjectMapper m = new ObjectMapper();
    ObjectNode o = m.createObjectNode();
    o.put("decision_log", file.toString()).put("records", r.records()).put("arms", r.arms());
    o.putObject("logged").put("mean", r.loggedMean()).put("se", r.loggedSe());
    var plays = o.putArray("plays_per_arm");
    for (int p : r.playsPerArm()) plays.add(p);
    var targets = o.putArray("targets");
    for (Evaluation.Target t : r.targets()) {
      ObjectNode j = targets.addObject().put("target", t.name());
      for (Estimate e : new Estimate[] {t.ips(), t.snips(), t.dr()}) {
        if (e == null) continue;
        j.putObject(e.method()).put("value", e.value()).put("se", e.standardError()).put("lo", e.lo()).put("hi", e.hi())
            .put("ess", e.effectiveSampleSize());
      }
      if (t.problem() != null) j.put("problem", t.problem());
    }
    return o.toString();
  }
}
