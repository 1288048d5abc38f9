package javaland.cli.policy;

import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import javaland.api.LearnedClass;
import javaland.api.LearnedClassList;
import javaland.api.Reason;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code javaland policy rules learned | pin | reject}: the classes the learner assigned, below the
 * person's rules (docs/learner.md#learned-classes).
 */
final class LearnedCommands {
  private LearnedCommands() {}

  static String list(LearnedClassList l) {
    if (l.classes().isEmpty()) return "no learned classes (version " + l.version() + ")";
    StringBuilder b = new StringBuilder("learned classes, version " + l.version() + " (below every rule a person wrote):");
    for (LearnedClass c : l.classes()) b.append('\n').append(line(c));
    return b.toString();
  }

  static String line(LearnedClass c) {
    String ev = c.evidence().entrySet().stream().sorted(Map.Entry.comparingByKey())
        .map(e -> e.getKey() + "=" + String.format("%.3g", e.getValue())).collect(Collectors.joining(" "));
    return String.format("  %-15s %-16s %-11s v%d by %s: %s [%s]", c.comm(), c.taskClass(), c.state(), c.version(),
        c.author(), c.reason() == null ? "" : c.reason(), ev);
  }

  @Command(name = "learned", description = "The classes the learner assigned, with the evidence it decided on.")
  static final class Learned implements Callable<Integer> {
    @ParentCommand
    RulesCommand r;

    @Override
    public Integer call() {
      return r.p.print(r.p.client().learnedClasses(), LearnedCommands::list);
    }
  }

  abstract static class Change implements Callable<Integer> {
    @ParentCommand
    RulesCommand r;

    @Parameters(paramLabel = "COMM", description = "the command name the learned class is for")
    String comm;

    @Option(names = "--reason", description = "Why (kept in the learned class's history).")
    String reason;

    abstract String action();

    @Override
    public Integer call() {
      LearnedClass c = r.p.client().changeLearnedClass(comm, action(), new Reason(reason, null));
      return r.p.print(c, LearnedCommands::line);
    }
  }

  @Command(name = "pin", description = "Keep the learned class of COMM: the learner can no longer change or drop it.")
  static final class Pin extends Change {
    @Override
    String action() {
      return "pin";
    }
  }

  @Command(name = "reject", description = "Refuse the learned class of COMM: out of force at once, never proposed again.")
  static final class Reject extends Change {
    @Override
    String action() {
      return "reject";
    }
  }
}
