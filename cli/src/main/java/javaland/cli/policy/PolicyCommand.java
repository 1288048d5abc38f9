package javaland.cli.policy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.ScopeType;

/** {@code javaland policy ...}: the running scheduler's parameters, canary, history and rules, over its REST API. */
@Command(name = "policy", mixinStandardHelpOptions = true,
    description = {"Read and change the running scheduler's parameters and rules through its REST API (docs/api.md)."},
    subcommands = {PolicyCommand.Status.class, PolicyCommand.Params.class, PolicyCommand.SetParams.class,
        PolicyCommand.Commit.class, PolicyCommand.History.class, PolicyCommand.Rollback.class, RulesCommand.class})
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
    return new ApiClient(url, tokenFile);
  }

  /** Prints {@code answer} as JSON with --json, else as {@code text} made from it. */
  int print(JsonObject answer, java.util.function.Function<JsonObject, String> text) {
    System.out.println(json ? (answer == null ? "{}" : answer.encodePrettily()) : text.apply(answer));
    return 0;
  }

  static String canary(JsonObject c) {
    String s = c.getString("state") + ": version " + c.getLong("version") + " (baseline " + c.getLong("baselineVersion") + ")";
    String reason = c.getString("reason", "");
    return s + (reason.isEmpty() ? "" : ", " + reason) + ", since " + Instant.ofEpochMilli(c.getLong("sinceEpochMs"));
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
      return p.print(p.client().send("GET", "/status", null), s -> "policy " + s.getString("policy") + ", version "
          + s.getLong("version") + "\ncanary " + canary(s.getJsonObject("canary")) + "\nrules version " + s.getLong("rulesVersion"));
    }
  }

  @Command(name = "params", description = "The parameters: value in force, range, default, unit.")
  static final class Params implements Callable<Integer> {
    @ParentCommand
    PolicyCommand p;

    @Override
    public Integer call() {
      return p.print(p.client().send("GET", "/parameters", null), v -> {
        JsonObject values = v.getJsonObject("current").getJsonObject("values");
        StringBuilder sb = new StringBuilder(String.format("%-26s %12s  %-22s %10s  %s%n", "parameter", "value", "range", "default", "unit"));
        for (Object o : v.getJsonArray("schema")) {
          JsonObject q = (JsonObject) o;
          Object val = values.getValue(q.getString("name"));
          sb.append(String.format("%-26s %12s  %-22s %10s  %s%n", q.getString("name"),
              val instanceof Number n ? number(n.doubleValue()) : "-",
              number(q.getDouble("min")) + ".." + number(q.getDouble("max")), number(q.getDouble("default")), q.getString("unit")));
        }
        return sb + "version " + v.getJsonObject("current").getLong("version") + "; canary " + canary(v.getJsonObject("canary"));
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
      JsonObject body = new JsonObject().put("values", new JsonObject(new LinkedHashMap<>(values)));
      if (reason != null) body.put("reason", reason);
      return p.print(p.client().send("PUT", "/parameters", body), c -> "proposed; canary " + canary(c)
          + "\ncommit with: javaland policy commit; undo with: javaland policy rollback");
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
      return p.print(p.client().send("POST", "/canary/commit", reason == null ? null : new JsonObject().put("reason", reason)),
          c -> "committed; " + canary(c));
    }
  }

  @Command(name = "history", description = "Every parameter version, oldest first: when, who, why, what changed.")
  static final class History implements Callable<Integer> {
    @ParentCommand
    PolicyCommand p;

    @Override
    public Integer call() {
      return p.print(p.client().send("GET", "/history", null), h -> {
        StringBuilder sb = new StringBuilder();
        JsonObject previous = new JsonObject();
        for (Object o : h.getJsonArray("versions")) {
          JsonObject v = (JsonObject) o;
          JsonObject prov = v.getJsonObject("provenance");
          JsonObject values = v.getJsonObject("values");
          List<String> changed = new ArrayList<>();
          for (String k : new java.util.TreeSet<>(values.fieldNames())) {
            if (!values.getValue(k).equals(previous.getValue(k))) changed.add(k + "=" + number(values.getDouble(k)));
          }
          sb.append(String.format("v%-4d %s  %-16s %s%s%n", v.getLong("version"), prov.getString("at"), prov.getString("author"),
              prov.getString("reason"), changed.isEmpty() ? "" : "  [" + String.join(" ", changed) + "]"));
          previous = values;
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
      JsonObject body = new JsonObject();
      if (version != null) body.put("version", version);
      if (reason != null) body.put("reason", reason);
      return p.print(p.client().send("POST", "/rollback", body), v -> "rolled back to "
          + (version == null ? "last-known-good" : "version " + version) + ": version " + v.getLong("version") + " now in force");
    }
  }

  /** A rule from a YAML or JSON file (one rule: the shape of one entry of the rules file). */
  static JsonObject readRule(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new IllegalArgumentException("-f " + file + ": " + e.getMessage(), e);
    }
    Object parsed;
    try {
      // YAML is a superset of JSON. Jackson's reader, not SnakeYAML's Yaml class, which needs
      // java.beans (module java.desktop): a jlinked runtime may not have it.
      parsed = text.isBlank() ? null
          : new com.fasterxml.jackson.databind.ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory()).readValue(text, Object.class);
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("-f " + file + ": not YAML or JSON: " + e.getMessage().lines().findFirst().orElse(""), e);
    }
    if (!(parsed instanceof Map<?, ?> m)) throw new IllegalArgumentException("-f " + file + ": expected one rule (a mapping with name, match, class, ...; docs/rules.md)");
    @SuppressWarnings("unchecked")
    Map<String, Object> map = (Map<String, Object>) m;
    return new JsonObject(map);
  }

  /** " 1. web   latency-critical priority 10 slice_us 500..3000 cpus 0-3  match {...}" */
  static String ruleLine(int i, JsonObject r) {
    StringBuilder sb = new StringBuilder(String.format("%2d. %-20s %-16s", i, r.getString("name"), r.getString("class")));
    if (r.containsKey("priority")) sb.append(" priority ").append(r.getValue("priority"));
    if (r.getValue("slice_us") instanceof JsonObject sl) {
      sb.append(" slice_us ").append(sl.getValue("min", "")).append("..").append(sl.getValue("max", ""));
    }
    if (r.containsKey("cpus")) sb.append(" cpus ").append(r.getValue("cpus"));
    Object match = r.getValue("match");
    return sb.append("  match ").append(match == null ? "every task" : match).toString();
  }

  static String ruleList(JsonObject l) {
    JsonArray rules = l.getJsonArray("rules");
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < rules.size(); i++) sb.append(ruleLine(i + 1, rules.getJsonObject(i))).append('\n');
    return sb + (rules.isEmpty() ? "no rules; " : "") + "rules version " + l.getLong("version");
  }
}
