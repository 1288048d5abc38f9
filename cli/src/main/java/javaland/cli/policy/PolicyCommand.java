package javaland.cli.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import javaland.api.ApiClient;
import javaland.api.ApiCodec;
import javaland.api.ParameterInfo;
import javaland.api.ParametersView;
import javaland.api.Proposal;
import javaland.api.Reason;
import javaland.api.RuleList;
import javaland.models.canary.CanaryStatus;
import javaland.models.registry.PolicyVersion;
import javaland.models.registry.Provenance;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.ScopeType;
import javaland.sdk.Policy;

/** {@code javaland policy ...}: the running scheduler's parameters, canary, history and rules, over its REST API. */
@Command(name = "policy", mixinStandardHelpOptions = true,
    description = {"Read and change the running scheduler's parameters and rules through its REST API (docs/api.md)."},
    subcommands = {PolicyCommand.Status.class, PolicyCommand.Params.class, PolicyCommand.SetParams.class,
        PolicyCommand.Commit.class, PolicyCommand.History.class, PolicyCommand.Rollback.class, PolicyCommand.Use.class,
        RulesCommand.class})
public final class PolicyCommand implements Runnable {
  @Option(names = "--url", defaultValue = "http://127.0.0.1:8740", scope = ScopeType.INHERIT,
      description = "The runtime's control plane. Default ${DEFAULT-VALUE}.")
  String url;

  @Option(names = "--token-file", paramLabel = "FILE", scope = ScopeType.INHERIT,
      description = "Bearer token: the file given to 'run --api-token-file', or a file holding a JWT.")
  Path tokenFile;

  @Option(names = "--json", scope = ScopeType.INHERIT, description = "Print the API's JSON answer instead of text.")
  boolean json;

  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  ApiClient client() {
    return ApiClient.withTokenFile(url, tokenFile);
  }

  /** Prints {@code answer} as JSON with --json, else as {@code text} made from it. */
  <T> int print(T answer, java.util.function.Function<T, String> text) {
    System.out.println(json ? (answer == null ? "{}" : ApiCodec.encodePretty(answer)) : text.apply(answer));
    return 0;
  }

  static String canary(CanaryStatus c) {
    String s = c.state() + ": version " + c.version() + " (baseline " + c.baselineVersion() + ")";
    String reason = c.reason() == null ? "" : c.reason();
    return s + (reason.isEmpty() ? "" : ", " + reason) + ", since " + Instant.ofEpochMilli(c.sinceEpochMs());
  }

  static String number(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
  }

  @Command(name = "status", description = "Policy, version in force, canary and rules version.")
  static final class Status implements Callable<Integer> {
    @ParentCommand
    PolicyCommand p;

    @Override
    public Integer call() {
      return p.print(p.client().status(), s -> "policy " + s.policy() + ", version "
          + s.version() + "\ncanary " + canary(s.canary()) + "\nrules version " + s.rulesVersion());
    }
  }

  @Command(name = "params", description = "The parameters: value in force, range, default, unit.")
  static final class Params implements Callable<Integer> {
    @ParentCommand
    PolicyCommand p;

    @Override
    public Integer call() {
      return p.print(p.client().parameters(), (ParametersView v) -> {
        Map<String, Double> values = v.current().values();
        StringBuilder sb = new StringBuilder(String.format("%-26s %12s  %-22s %10s  %s%n", "parameter", "value", "range", "default", "unit"));
        for (ParameterInfo q : v.schema()) {
          Double val = values.get(q.name());
          sb.append(String.format("%-26s %12s  %-22s %10s  %s%n", q.name(), val != null ? number(val) : "-",
              number(q.min()) + ".." + number(q.max()), number(q.defaultValue()), q.unit()));
        }
        return sb + "version " + v.current().version() + "; canary " + canary(v.canary());
      });
    }
  }

  @Command(name = "set", description = "Propose parameter values; they run as a canary until committed or rolled back.")
  static final class SetParams implements Callable<Integer> {
    @ParentCommand
    PolicyCommand p;

    @Parameters(arity = "1..*", paramLabel = "KEY=VALUE", description = "e.g. slice_max_us=10000 kernel.rescue_ms=50")
    List<String> pairs;

    @Option(names = "--reason", description = "Why (recorded in the version's provenance).")
    String reason;

    @Override
    public Integer call() {
      Map<String, Double> values = new LinkedHashMap<>();
      for (String pair : pairs) {
        int eq = pair.indexOf('=');
        if (eq <= 0) throw new IllegalArgumentException("'" + pair + "' is not KEY=VALUE");
        try {
          values.put(pair.substring(0, eq), Double.parseDouble(pair.substring(eq + 1)));
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("'" + pair + "': the value is not a number");
        }
      }
      return p.print(p.client().propose(new Proposal(values, reason, null)), c -> "proposed; canary " + canary(c)
          + "\ncommit with: javaland policy commit; undo with: javaland policy rollback");
    }
  }

  @Command(name = "use", description = {"Swap in policy NAME while the kernel half stays attached (no moment on the default "
      + "scheduler); it runs as a canary against the policy in force, until committed or reverted. Without NAME: the "
      + "policy in force and the installed ones."})
  static final class Use implements Callable<Integer> {
    @ParentCommand
    PolicyCommand p;

    @picocli.CommandLine.Parameters(arity = "0..1", paramLabel = "NAME", description = "A policy the runtime has installed.")
    String name;

    @Option(names = "--reason", description = "Why (recorded in the provenance).")
    String reason;

    @Override
    public Integer call() {
      if (name == null) {
        return p.print(p.client().policy(), c -> "in force: " + c.inForce() + "\ninstalled: " + String.join(", ", c.installed()));
      }
      return p.print(p.client().swapPolicy(new javaland.api.PolicySwap(name, reason, null)), c -> "swapped in " + name
          + "; canary " + canary(c) + "\nkeep it with: javaland policy commit; undo with: javaland policy rollback");
    }
  }

  @Command(name = "commit", description = "Keep the running canary's candidate as last-known-good.")
  static final class Commit implements Callable<Integer> {
    @ParentCommand
    PolicyCommand p;

    @Option(names = "--reason", description = "Why (recorded in the provenance).")
    String reason;

    @Override
    public Integer call() {
      return p.print(p.client().commit(new Reason(reason, null)), c -> "committed; " + canary(c));
    }
  }

  @Command(name = "history", description = {"Every parameter version, oldest first: when, who, why, what changed, and the "
      + "model artifact (number, name, SHA-256) a learner's version was warm-started from."})
  static final class History implements Callable<Integer> {
    @ParentCommand
    PolicyCommand p;

    @Override
    public Integer call() {
      return p.print(p.client().history(), h -> {
        StringBuilder sb = new StringBuilder();
        Map<String, Double> previous = Map.of();
        for (PolicyVersion v : h.versions()) {
          Provenance prov = v.provenance();
          List<String> changed = new ArrayList<>();
          for (var e : v.values().entrySet()) { // sorted by name
            if (!e.getValue().equals(previous.get(e.getKey()))) changed.add(e.getKey() + "=" + number(e.getValue()));
          }
          sb.append(String.format("v%-4d %s  %-16s %s%s%n", v.version(), prov.at(), prov.author(),
              prov.reason(), changed.isEmpty() ? "" : "  [" + String.join(" ", changed) + "]"));
          // the link to the model that chose it; the artifact's metadata names its traces and commit (docs/learner.md)
          if (prov.artifact() != null) sb.append("      warm-started from ").append(prov.artifact().describe()).append('\n');
          previous = v.values();
        }
        return sb.toString().stripTrailing();
      });
    }
  }

  @Command(name = "rollback", description = "Put VERSION (default: the last-known-good one) back in force now, as a new version.")
  static final class Rollback implements Callable<Integer> {
    @ParentCommand
    PolicyCommand p;

    @Parameters(arity = "0..1", paramLabel = "VERSION")
    Long version;

    @Option(names = "--reason", description = "Why (recorded in the provenance).")
    String reason;

    @Override
    public Integer call() {
      if (version != null && version < 1) throw new IllegalArgumentException("VERSION must be 1 or more, got " + version);
      return p.print(p.client().rollback(new javaland.api.Rollback(version, reason, null)), v -> "rolled back to "
          + (version == null ? "last-known-good" : "version " + version) + ": version " + v.version() + " now in force");
    }
  }

  /** A rule from a YAML or JSON file (one rule: the shape of one entry of the rules file). */
  static ObjectNode readRule(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new IllegalArgumentException("-f " + file + ": " + e.getMessage(), e);
    }
    JsonNode parsed;
    try {
      // YAML is a superset of JSON. Jackson's reader, not SnakeYAML's Yaml class, which needs
      // java.beans (module java.desktop): a jlinked runtime may not have it.
      parsed = text.isBlank() ? null
          : new com.fasterxml.jackson.databind.ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory()).readTree(text);
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("-f " + file + ": not YAML or JSON: " + e.getMessage().lines().findFirst().orElse(""), e);
    }
    if (!(parsed instanceof ObjectNode rule)) {
      throw new IllegalArgumentException("-f " + file + ": expected one rule (a mapping with name, match, class, ...; docs/rules.md)");
    }
    return rule;
  }

  /** " 1. web   latency-critical priority 10 slice_us 500..3000 cpus 0-3  match {...}" */
  static String ruleLine(int i, ObjectNode r) {
    StringBuilder sb = new StringBuilder(String.format("%2d. %-20s %-16s", i, text(r.get("name")), text(r.get("class"))));
    if (r.has("priority")) sb.append(" priority ").append(text(r.get("priority")));
    if (r.get("slice_us") instanceof ObjectNode sl) {
      sb.append(" slice_us ").append(sl.has("min") ? text(sl.get("min")) : "").append("..").append(sl.has("max") ? text(sl.get("max")) : "");
    }
    if (r.has("cpus")) sb.append(" cpus ").append(text(r.get("cpus")));
    JsonNode match = r.get("match");
    return sb.append("  match ").append(match == null || match.isNull() ? "every task" : ApiCodec.encode(match)).toString();
  }

  /** A scalar as the rule has it (a string without quotes), anything else as JSON. */
  private static String text(JsonNode n) {
    return n == null || n.isNull() ? "null" : n.isValueNode() ? n.asText() : ApiCodec.encode(n);
  }

  static String ruleList(RuleList l) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < l.rules().size(); i++) sb.append(ruleLine(i + 1, l.rules().get(i))).append('\n');
    return sb + (l.rules().isEmpty() ? "no rules; " : "") + "rules version " + l.version();
  }
}
