package javaland.runtime.rules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import javaland.sdk.TaskClass;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javaland.models.FieldError;
import javaland.runtime.config.YamlTree;
import javaland.runtime.config.YamlTree.Entry;
import javaland.runtime.config.YamlTree.ListNode;
import javaland.runtime.config.YamlTree.MapNode;
import javaland.runtime.config.YamlTree.Node;
import javaland.runtime.config.YamlTree.Scalar;

/**
 * Validates rules (the format is documented in docs/rules.md). Every error is collected with its
 * key path and line; a rule set with any error is refused as a whole.
 */
public final class RuleParser {
  static final Set<String> TOP_KEYS = Set.of("rules");
  static final List<String> RULE_KEYS = List.of("name", "description", "match", "class", "priority", "slice_us", "cpus");
  static final List<String> MATCH_KEYS = List.of("comm", "exe", "cgroup", "uid", "gid", "pid", "tgid", "nice", "all", "any");
  static final int MAX_RULES = 1024;
  static final int MAX_DEPTH = 8;
  // a rule's slice bounds are what the kernel holds any decision's slice to
  static final long SLICE_MIN_US = javaland.runtime.kernel.KernelKnob.DECISION_SLICE_MIN_NS / 1000;
  static final long SLICE_MAX_US = javaland.runtime.kernel.KernelKnob.DECISION_SLICE_MAX_NS / 1000;

  private final List<FieldError> errors = new ArrayList<>();

  private RuleParser() {}

  /** The rules of a whole file; {@code source} names it in errors. */
  public static List<Rule> parseYaml(String source, String text) {
    Node root;
    try {
      root = YamlTree.parse(text);
    } catch (YamlTree.SyntaxException e) {
      throw new RuleValidationException(source, List.of(new FieldError("(document)", e.line(), e.getMessage())));
    }
    RuleParser p = new RuleParser();
    List<Rule> rules = p.document(root);
    p.throwIfAny(source);
    return rules;
  }

  /** One rule given as JSON (an API body); {@code path} prefixes its key paths. */
  public static Rule parseJson(ObjectNode json, String path) {
    RuleParser p = new RuleParser();
    Rule r = p.rule(YamlTree.fromJson(json), path);
    p.throwIfAny("rule");
    return r;
  }

  /** Checks what only a whole set can break: unique names, size. */
  public static void checkSet(String source, List<Rule> rules) {
    RuleParser p = new RuleParser();
    p.checkNames(rules, null);
    if (rules.size() > MAX_RULES) p.error("rules", 0, "at most " + MAX_RULES + " rules, got " + rules.size());
    p.throwIfAny(source);
  }

  private void throwIfAny(String source) {
    if (!errors.isEmpty()) throw new RuleValidationException(source, errors);
  }

  private void error(String path, int line, String message) {
    errors.add(new FieldError(path, line, message));
  }

  private List<Rule> document(Node root) {
    List<Rule> rules = new ArrayList<>();
    if (!(root instanceof MapNode top)) {
      error("(document)", root.line(), "expected a mapping with a 'rules' list, got " + root.kind());
      return rules;
    }
    unknownKeys(top, "", TOP_KEYS);
    Entry e = top.entries().get("rules");
    if (e == null) return rules; // an empty file: no rules
    if (e.value() instanceof Scalar s && s.value() == null) return rules;
    if (!(e.value() instanceof ListNode list)) {
      error("rules", e.value().line(), "expected a list of rules, got " + e.value().kind());
      return rules;
    }
    if (list.items().size() > MAX_RULES) error("rules", list.line(), "at most " + MAX_RULES + " rules, got " + list.items().size());
    List<Integer> lines = new ArrayList<>();
    for (int i = 0; i < list.items().size(); i++) {
      Rule r = rule(list.items().get(i), "rules[" + i + "]");
      if (r != null) {
        rules.add(r);
        lines.add(list.items().get(i).line());
      }
    }
    checkNames(rules, lines);
    return rules;
  }

  private void checkNames(List<Rule> rules, List<Integer> lines) {
    Map<String, Integer> seen = new HashMap<>();
    for (int i = 0; i < rules.size(); i++) {
      Integer first = seen.putIfAbsent(rules.get(i).name(), i);
      if (first != null) {
        error("rules[" + i + "].name", lines == null ? 0 : lines.get(i),
            "'" + rules.get(i).name() + "' is already the name of rules[" + first + "]; names must be unique");
      }
    }
  }

  private void unknownKeys(MapNode m, String path, java.util.Collection<String> allowed) {
    for (Entry e : m.entries().values()) {
      if (!allowed.contains(e.key())) {
        // an empty key ("? " or '': 1) would leave the path naming nothing
        error(join(path, e.key().isEmpty() ? "''" : e.key()), e.line(), "unknown key; expected one of " + String.join(", ", allowed));
      }
    }
  }

  private static String join(String path, String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  /** One rule, or null when it has errors (they are recorded). */
  private Rule rule(Node n, String path) {
    int before = errors.size();
    if (!(n instanceof MapNode m)) {
      error(path, n.line(), "expected a rule (a mapping with name, match, class, ...), got " + n.kind());
      return null;
    }
    unknownKeys(m, path, RULE_KEYS);
    String name = null;
    Entry ne = m.entries().get("name");
    if (ne == null) {
      error(join(path, "name"), m.line(), "required: every rule has a unique name");
    } else {
      name = string(ne, join(path, "name"));
      if (name != null && !name.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")) {
        error(join(path, "name"), ne.value().line(), "'" + name + "' is not a valid name (letters, digits, _ . -, 1..64 characters, starting with a letter or digit)");
      }
    }
    Entry de = m.entries().get("description");
    if (de != null) string(de, join(path, "description"));
    Match match = null;
    Entry me = m.entries().get("match");
    if (me != null) match = match(me.value(), join(path, "match"), 0);
    TaskClass cls = null;
    Entry ce = m.entries().get("class");
    if (ce == null) {
      error(join(path, "class"), m.line(), "required: one of " + String.join(", ", TaskClass.assignableLabels()));
    } else {
      String c = string(ce, join(path, "class"));
      if (c != null) {
        cls = TaskClass.assignable(c).orElse(null);
        if (cls == null) error(join(path, "class"), ce.value().line(), "'" + c + "' is not a class; expected one of " + String.join(", ", TaskClass.assignableLabels()));
      }
    }
    long priority = 0;
    Entry pe = m.entries().get("priority");
    if (pe != null) priority = integer(pe.value(), join(path, "priority"), -100, 100, 0);
    long sliceMin = 0;
    long sliceMax = 0;
    Entry se = m.entries().get("slice_us");
    if (se != null) {
      String sp = join(path, "slice_us");
      if (!(se.value() instanceof MapNode sm)) {
        error(sp, se.value().line(), "expected a mapping {min: US, max: US}, got " + se.value().kind());
      } else {
        unknownKeys(sm, sp, List.of("min", "max"));
        Entry lo = sm.entries().get("min");
        Entry hi = sm.entries().get("max");
        if (lo == null && hi == null) error(sp, sm.line(), "give min, max or both (microseconds)");
        if (lo != null) sliceMin = integer(lo.value(), sp + ".min", SLICE_MIN_US, SLICE_MAX_US, 0);
        if (hi != null) sliceMax = integer(hi.value(), sp + ".max", SLICE_MIN_US, SLICE_MAX_US, 0);
        if (sliceMin > 0 && sliceMax > 0 && sliceMin > sliceMax) {
          error(sp + ".min", lo.value().line(), "min (" + sliceMin + ") is greater than max (" + sliceMax + ")");
        }
      }
    }
    long[] cpus = null;
    Entry cpe = m.entries().get("cpus");
    if (cpe != null) {
      String text = cpe.value() instanceof Scalar s && s.value() instanceof Long l ? Long.toString(l) : string(cpe, join(path, "cpus"));
      if (text != null) {
        try {
          cpus = CpuList.parse(text);
        } catch (IllegalArgumentException ex) {
          error(join(path, "cpus"), cpe.value().line(), ex.getMessage());
        }
      }
    }
    if (errors.size() > before) return null;
    Rule.Action action = new Rule.Action(cls, (int) priority, sliceMin * 1000, sliceMax * 1000, cpus);
    return new Rule(name, match, action, toJson(m));
  }

  private Match match(Node n, String path, int depth) {
    if (depth > MAX_DEPTH) {
      error(path, n.line(), "all/any nested deeper than " + MAX_DEPTH);
      return null;
    }
    if (!(n instanceof MapNode m)) {
      error(path, n.line(), "expected a mapping of conditions (" + String.join(", ", MATCH_KEYS) + "), got " + n.kind());
      return null;
    }
    unknownKeys(m, path, MATCH_KEYS);
    if (m.entries().isEmpty()) {
      error(path, m.line(), "no condition; leave 'match' out to match every task");
      return null;
    }
    List<Match> parts = new ArrayList<>();
    for (Entry e : m.entries().values()) {
      String p = join(path, e.key());
      Match part = switch (e.key()) {
        case "comm", "exe" -> {
          String re = string(e, p);
          if (re == null) yield null;
          try {
            var pattern = Regexes.compile(re);
            yield e.key().equals("comm") ? new Match.Comm(pattern) : new Match.Exe(pattern);
          } catch (IllegalArgumentException ex) {
            error(p, e.value().line(), ex.getMessage());
            yield null;
          }
        }
        case "cgroup" -> {
          String prefix = string(e, p);
          if (prefix == null) yield null;
          if (!prefix.startsWith("/")) {
            error(p, e.value().line(), "'" + prefix + "' is not a cgroup path; expected a prefix starting with / (e.g. /system.slice/nginx.service)");
            yield null;
          }
          yield new Match.Cgroup(prefix);
        }
        case "uid" -> ids(e, p, Match.Id.UID, 0, 0xffff_fffeL);
        case "gid" -> ids(e, p, Match.Id.GID, 0, 0xffff_fffeL);
        case "pid" -> ids(e, p, Match.Id.PID, 1, 4_194_304);
        case "tgid" -> ids(e, p, Match.Id.TGID, 1, 4_194_304);
        case "nice" -> nice(e, p);
        case "all", "any" -> {
          if (!(e.value() instanceof ListNode l) || l.items().isEmpty()) {
            error(p, e.value().line(), "expected a non-empty list of match mappings, got " + e.value().kind());
            yield null;
          }
          List<Match> subs = new ArrayList<>();
          for (int i = 0; i < l.items().size(); i++) subs.add(match(l.items().get(i), p + "[" + i + "]", depth + 1));
          if (subs.contains(null)) yield null;
          yield e.key().equals("all") ? new Match.All(subs) : new Match.Any(subs);
        }
        default -> null; // reported as unknown above
      };
      parts.add(part);
    }
    if (parts.contains(null)) return null;
    return parts.size() == 1 ? parts.getFirst() : new Match.All(parts);
  }

  private Match ids(Entry e, String p, Match.Id id, long min, long max) {
    List<Node> items = e.value() instanceof ListNode l ? l.items() : List.of(e.value());
    if (items.isEmpty()) {
      error(p, e.value().line(), "expected an integer or a non-empty list of integers");
      return null;
    }
    long[] values = new long[items.size()];
    int before = errors.size();
    for (int i = 0; i < items.size(); i++) {
      values[i] = integer(items.get(i), e.value() instanceof ListNode ? p + "[" + i + "]" : p, min, max, 0);
    }
    return errors.size() > before ? null : new Match.Ids(id, values);
  }

  private Match nice(Entry e, String p) {
    int before = errors.size();
    if (e.value() instanceof MapNode m) {
      unknownKeys(m, p, List.of("min", "max"));
      Entry lo = m.entries().get("min");
      Entry hi = m.entries().get("max");
      long min = lo == null ? -20 : integer(lo.value(), p + ".min", -20, 19, -20);
      long max = hi == null ? 19 : integer(hi.value(), p + ".max", -20, 19, 19);
      if (lo == null && hi == null) error(p, m.line(), "give min, max or both (-20..19)");
      if (min > max) error(p + ".min", lo.value().line(), "min (" + min + ") is greater than max (" + max + ")");
      return errors.size() > before ? null : new Match.Nice((int) min, (int) max);
    }
    long v = integer(e.value(), p, -20, 19, 0);
    return errors.size() > before ? null : new Match.Nice((int) v, (int) v);
  }

  /** An integer in [min, max]; records an error and returns {@code fallback} otherwise. */
  private long integer(Node n, String path, long min, long max, long fallback) {
    if (!(n instanceof Scalar s) || !(s.value() instanceof Long v)) {
      error(path, n.line(), "expected an integer, got " + n.kind());
      return fallback;
    }
    if (v < min || v > max) {
      error(path, n.line(), v + " is out of range (" + min + ".." + max + ")");
      return fallback;
    }
    return v;
  }

  private String string(Entry e, String path) {
    if (!(e.value() instanceof Scalar s) || !(s.value() instanceof String v)) {
      error(path, e.value().line(), "expected a string, got " + e.value().kind());
      return null;
    }
    return v;
  }

  /** The node as JSON, keys in the order given. */
  static ObjectNode toJson(MapNode m) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    for (Entry e : m.entries().values()) o.set(e.key(), toJsonValue(e.value()));
    return o;
  }

  private static JsonNode toJsonValue(Node n) {
    return switch (n) {
      case MapNode m -> toJson(m);
      case ListNode l -> {
        ArrayNode a = JsonNodeFactory.instance.arrayNode();
        for (Node i : l.items()) a.add(toJsonValue(i));
        yield a;
      }
      case Scalar s -> switch (s.value()) {
        case null -> JsonNodeFactory.instance.nullNode();
        case Long v -> JsonNodeFactory.instance.numberNode(v);
        case Double v -> JsonNodeFactory.instance.numberNode(v);
        case Boolean v -> JsonNodeFactory.instance.booleanNode(v);
        default -> JsonNodeFactory.instance.textNode(String.valueOf(s.value()));
      };
    };
  }
}
