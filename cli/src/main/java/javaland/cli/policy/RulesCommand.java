package javaland.cli.policy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code javaland policy rules ...}: the task-classification rules, first match wins. */
@Command(name = "rules", mixinStandardHelpOptions = true, description = "List, show, add, replace, delete and reorder rules.",
    subcommands = {RulesCommand.ListRules.class, RulesCommand.Get.class, RulesCommand.Add.class, RulesCommand.Replace.class,
        RulesCommand.Delete.class, RulesCommand.Reorder.class})
final class RulesCommand implements Runnable {
  @ParentCommand
  PolicyCommand p;

  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  static String path(String name) {
    return "/rules/" + URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
  }

  @Command(name = "list", description = "The rules in evaluation order.")
  static final class ListRules implements Callable<Integer> {
    @ParentCommand
    RulesCommand r;

    @Override
    public Integer call() {
      return r.p.print(r.p.client().send("GET", "/rules", null), PolicyCommand::ruleList);
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
      System.out.println(r.p.client().send("GET", path(name), null).encodePrettily());
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
      JsonObject rule = PolicyCommand.readRule(file);
      if (position != null && position < 0) throw new IllegalArgumentException("--position must be 0 or more, got " + position);
      JsonObject stored = r.p.client().send("POST", "/rules" + (position == null ? "" : "?position=" + position), rule);
      return r.p.print(stored, s -> "added rule " + s.getString("name"));
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
      JsonObject stored = r.p.client().send("PUT", path(name), PolicyCommand.readRule(file));
      return r.p.print(stored, s -> "replaced rule " + name + (name.equals(s.getString("name")) ? "" : " (now " + s.getString("name") + ")"));
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
      r.p.client().send("DELETE", path(name), null);
      return r.p.print(new JsonObject().put("deleted", name), s -> "deleted rule " + name);
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
      return r.p.print(r.p.client().send("PUT", "/rule-order", new JsonObject().put("names", new JsonArray(names))),
          PolicyCommand::ruleList);
    }
  }
}
