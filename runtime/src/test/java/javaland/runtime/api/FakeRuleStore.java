package javaland.runtime.api;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import javaland.models.FieldError;
import javaland.runtime.rules.RuleStore;
import javaland.runtime.rules.RuleValidationException;

/**
 * An in-memory RuleStore that validates the way the interface says (the whole resulting set,
 * every error with its path, nothing changed on refusal): known match keys, compilable regexes
 * without nested quantifiers, a known class. Counts accepted changes.
 */
public final class FakeRuleStore implements RuleStore {
  private static final Set<String> MATCH_KEYS = Set.of("comm", "exe", "cgroup", "uid", "gid", "pid", "nice");
  private static final Set<String> CLASSES = Set.of("latency-critical", "interactive", "batch", "background");
  private static final Pattern NESTED_QUANTIFIER = Pattern.compile("\\([^)]*[+*]\\)[+*{]");

  private final List<JsonObject> rules = new ArrayList<>();
  private long version;

  public static JsonObject rule(String name, String comm, String cls) {
    return new JsonObject().put("name", name).put("match", new JsonObject().put("comm", comm))
        .put("action", new JsonObject().put("class", cls));
  }

  @Override
  public synchronized JsonArray list() {
    JsonArray a = new JsonArray();
    rules.forEach(r -> a.add(r.copy()));
    return a;
  }

  @Override
  public synchronized Optional<JsonObject> get(String name) {
    return find(name).map(JsonObject::copy);
  }

  @Override
  public synchronized JsonObject create(JsonObject rule, Integer position) {
    if (find(rule.getString("name")).isPresent()) throw new IllegalStateException("a rule named '" + rule.getString("name") + "' exists");
    List<JsonObject> next = new ArrayList<>(rules);
    int at = position == null ? next.size() : position;
    if (at > next.size()) {
      throw new RuleValidationException("api", List.of(new FieldError("position", 0, "must be within 0.." + next.size())));
    }
    next.add(at, rule.copy());
    return commit(next, rule.getString("name"));
  }

  @Override
  public synchronized JsonObject replace(String name, JsonObject rule) {
    int i = indexOf(name);
    String newName = rule.getString("name");
    if (!newName.equals(name) && find(newName).isPresent()) throw new IllegalStateException("a rule named '" + newName + "' exists");
    List<JsonObject> next = new ArrayList<>(rules);
    next.set(i, rule.copy());
    return commit(next, newName);
  }

  @Override
  public synchronized void delete(String name) {
    List<JsonObject> next = new ArrayList<>(rules);
    next.remove(indexOf(name));
    commit(next, null);
  }

  @Override
  public synchronized JsonArray reorder(List<String> names) {
    Set<String> have = new HashSet<>();
    rules.forEach(r -> have.add(r.getString("name")));
    if (names.size() != rules.size() || !have.equals(new HashSet<>(names))) {
      throw new RuleValidationException("api", List.of(new FieldError("names", 0,
          "must name every rule exactly once: " + String.join(", ", have.stream().sorted().toList()))));
    }
    List<JsonObject> next = new ArrayList<>();
    names.forEach(n -> next.add(find(n).orElseThrow()));
    commit(next, null);
    return list();
  }

  @Override
  public synchronized long version() {
    return version;
  }

  private JsonObject commit(List<JsonObject> next, String name) {
    List<FieldError> errors = new ArrayList<>();
    for (int i = 0; i < next.size(); i++) validate("rules[" + i + "]", next.get(i), errors);
    if (!errors.isEmpty()) throw new RuleValidationException("api", errors);
    rules.clear();
    rules.addAll(next);
    version++;
    return name == null ? null : find(name).orElseThrow().copy();
  }

  private static void validate(String at, JsonObject r, List<FieldError> errors) {
    JsonObject match = r.getJsonObject("match");
    if (match.isEmpty()) errors.add(new FieldError(at + ".match", 0, "needs at least one of " + MATCH_KEYS));
    for (String k : match.fieldNames()) {
      if (!MATCH_KEYS.contains(k)) {
        errors.add(new FieldError(at + ".match." + k, 0, "unknown key"));
      } else if (k.equals("comm") || k.equals("exe")) {
        Object v = match.getValue(k);
        if (!(v instanceof String s)) {
          errors.add(new FieldError(at + ".match." + k, 0, "must be a regex string"));
          continue;
        }
        try {
          Pattern.compile(s);
          if (NESTED_QUANTIFIER.matcher(s).find()) {
            errors.add(new FieldError(at + ".match." + k, 0, "catastrophic regex (nested quantifier): " + s));
          }
        } catch (PatternSyntaxException e) {
          errors.add(new FieldError(at + ".match." + k, 0, "invalid regex: " + e.getDescription()));
        }
      }
    }
    Object cls = r.getJsonObject("action").getValue("class");
    if (!CLASSES.contains(cls)) errors.add(new FieldError(at + ".action.class", 0, "must be one of " + CLASSES + ", got " + cls));
  }

  private Optional<JsonObject> find(String name) {
    return rules.stream().filter(r -> r.getString("name").equals(name)).findFirst();
  }

  private int indexOf(String name) {
    for (int i = 0; i < rules.size(); i++) if (rules.get(i).getString("name").equals(name)) return i;
    throw new NoSuchElementException("no rule named '" + name + "'");
  }
}
