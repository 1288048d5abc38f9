package javaland.cli.policy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import javaland.api.ApiCodec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code javaland policy rules ...}: the task-classification rules, first match wins. */
@Command(name = "rules", mixinStandardHelpOptions = true, description = "List, show, add, replace, delete and reorder rules; list, pin and reject learned classes.",
    subcommands = {RulesCommand.ListRules.class, RulesCommand.Get.class, RulesCommand.Add.class, RulesCommand.Replace.class,
        RulesCommand.Delete.class, RulesCommand.Reorder.class, LearnedCommands.Learned.class, LearnedCommands.Pin.class,
        LearnedCommands.Reject.class})
final class RulesCommand implements Runnable {
  @ParentCommand
  PolicyCommand p;

  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  @Command(name = "list", description = "The rules in evaluation order.")
  static final class ListRules implements Callable<Integer> {
    @ParentCommand
    RulesCommand r;

    @Override
    public Integer call() {
      return r.p.print(r.p.client().rules(), PolicyCommand::ruleList);
    }
  }

  @Command(name = "get", description = "One rule, as JSON.")
  static final class Get implements Callable<Integer> {
    @ParentCommand
    RulesCommand r;

    @Parameters(paramLabel = "NAME")
    String name;

    @Override
    public Integer call() {
      System.out.println(ApiCodec.encodePretty(r.p.client().rule(name)));
      return 0;
    }
  }

  @Command(name = "add", description = "Add the rule in FILE (YAML or JSON), last or at --position.")
  static final class Add implements Callable<Integer> {
    @ParentCommand
    RulesCommand r;

    @Option(names = "-f", required = true, paramLabel = "FILE",
        description = "One rule, YAML or JSON, in the shape of one entry of the rules file (docs/rules.md): name, match, class, ...")
    Path file;

    @Option(names = "--position", description = "0 = first. Default: last.")
    Integer position;

    @Override
    public Integer call() {
      ObjectNode rule = PolicyCommand.readRule(file);
      if (position != null && position < 0) throw new IllegalArgumentException("--position must be 0 or more, got " + position);
      ObjectNode stored = r.p.client().createRule(rule, position);
      return r.p.print(stored, s -> "added rule " + s.path("name").asText());
    }
  }

  @Command(name = "replace", description = "Replace rule NAME with the rule in FILE (which may rename it).")
  static final class Replace implements Callable<Integer> {
    @ParentCommand
    RulesCommand r;

    @Parameters(paramLabel = "NAME")
    String name;

    @Option(names = "-f", required = true, paramLabel = "FILE",
        description = "One rule, YAML or JSON, in the shape of one entry of the rules file (docs/rules.md): name, match, class, ...")
    Path file;

    @Override
    public Integer call() {
      ObjectNode stored = r.p.client().replaceRule(name, PolicyCommand.readRule(file));
      String now = stored.path("name").asText();
      return r.p.print(stored, s -> "replaced rule " + name + (name.equals(now) ? "" : " (now " + now + ")"));
    }
  }

  @Command(name = "delete", description = "Delete rule NAME.")
  static final class Delete implements Callable<Integer> {
    @ParentCommand
    RulesCommand r;

    @Parameters(paramLabel = "NAME")
    String name;

    @Override
    public Integer call() {
      r.p.client().deleteRule(name);
      return r.p.print(Map.of("deleted", name), s -> "deleted rule " + name);
    }
  }

  @Command(name = "reorder", description = "Put the rules in this order (every rule named once).")
  static final class Reorder implements Callable<Integer> {
    @ParentCommand
    RulesCommand r;

    @Parameters(arity = "1..*", paramLabel = "NAME")
    List<String> names;

    @Override
    public Integer call() {
      return r.p.print(r.p.client().reorderRules(names), PolicyCommand::ruleList);
    }
  }
}
