package javaland.runtime.rules;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import javaland.api.ApiCodec;
import javaland.api.LearnedClass;
import javaland.api.LearnedClassList;
import javaland.runtime.config.Utf8Text;
import javaland.sdk.TaskClass;

/**
 * The classes the learner assigned to processes (by command name), kept beside the person's rules
 * and below them: {@link #below} appends one rule per entry in force after the person's rules, so
 * a person's rule that matches the same task always wins (first match wins). Every change is a new
 * version, appended as one JSON line to the history file in the registry
 * ({@code learned-classes.jsonl}); at start the history is replayed, so what was learned, pinned
 * and rejected survives a restart. A torn last line (a crash mid-append) is reported and ignored.
 *
 * <p>The learner proposes ({@code canary}, in force at once), then commits or rolls back; a
 * person pins (kept; the learner can no longer change or drop it) or rejects (out of force; the
 * learner may not propose it again). A refused change throws {@link IllegalStateException} and
 * changes nothing.
 */
public final class LearnedClassStore {
  public static final String FILE = "learned-classes.jsonl";
  /** Rule names of learned classes start with this; a person's rule names cannot contain ':'. */
  public static final String RULE_PREFIX = "learned:";
  /** The states a learned class can be in (docs/learner.md#learned-classes). */
  public static final List<String> STATES = List.of("canary", "committed", "rolled_back", "pinned", "rejected");

  private final Path history; // null: in memory only
  private final Consumer<String> log;
  private final TreeMap<String, LearnedClass> entries = new TreeMap<>();
  private long version;
  private volatile List<Rule> rules = List.of();
  private volatile long rulesVersion;
  private volatile RuleSet combinedFor;
  private volatile RuleSet combined;

  private LearnedClassStore(Path history, Consumer<String> log) {
    this.history = history;
    this.log = log;
  }

  public static LearnedClassStore inMemory(Consumer<String> log) {
    return new LearnedClassStore(null, log);
  }

  /** The store whose history is {@code dir/learned-classes.jsonl}, replayed (created on the first change). */
  public static LearnedClassStore open(Path dir, Consumer<String> log) {
    LearnedClassStore s = new LearnedClassStore(dir.resolve(FILE), log);
    if (!Files.exists(s.history)) return s;
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(s.history);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + s.history + ": " + e.getMessage(), e);
    }
    // Line by line from the bytes: a crash mid-append can cut a character of a reason in two, and
    // that must read as a torn last line, not stop the whole history from being read.
    List<byte[]> lines = new ArrayList<>();
    for (int start = 0, i = 0; i <= bytes.length; i++) {
      if (i == bytes.length || bytes[i] == '\n') {
        if (i > start || i < bytes.length) lines.add(java.util.Arrays.copyOfRange(bytes, start, i));
        start = i + 1;
      }
    }
    for (int i = 0; i < lines.size(); i++) {
      String where = s.history + ":" + (i + 1) + ": ";
      LearnedClass c;
      try {
        String line = Utf8Text.decode(lines.get(i)).strip();
        if (line.isEmpty()) continue;
        c = ApiCodec.decode(line, LearnedClass.class);
      } catch (Utf8Text.Malformed | RuntimeException e) {
        // every append ends with its newline, so only a last line without one can be a cut-off write
        if (i == lines.size() - 1 && bytes[bytes.length - 1] != '\n') {
          log.accept("learned classes: " + where + "torn last line ignored");
          continue;
        }
        // Malformed's own line and column count within this one line; the file's line is in 'where'
        throw new IllegalArgumentException(where + "not a learned class: " + (e instanceof Utf8Text.Malformed ? "not UTF-8 text" : e.getMessage()), e);
      }
      // A whole line that decodes but holds what no change could have written is refused, torn or not:
      // replayed, it would put a class no rule can express in force, or fail later without a line.
      String wrong = invalid(c);
      if (wrong != null) throw new IllegalArgumentException(where + wrong);
      s.entries.put(c.comm(), c);
      s.version = Math.max(s.version, c.version());
    }
    s.rebuild();
    if (!s.entries.isEmpty()) log.accept("learned classes: " + s.entries.size() + " from " + s.history + " (version " + s.version + ")");
    return s;
  }

  /** What is wrong with a replayed entry, or null: the checks {@link #propose} and the state changes make. */
  private static String invalid(LearnedClass c) {
    if (c == null) return "not a learned class: null";
    if (c.comm() == null || c.comm().isEmpty() || c.comm().length() > 15) return "comm: 1..15 characters expected, got " + quoted(c.comm());
    if (c.taskClass() == null || TaskClass.assignable(c.taskClass()).isEmpty())
      return "taskClass: " + quoted(c.taskClass()) + " is not one of " + TaskClass.assignableLabels();
    if (c.state() == null || !STATES.contains(c.state())) return "state: " + quoted(c.state()) + " is not one of " + STATES;
    if (c.version() < 1) return "version: " + c.version() + ", expected 1 or more";
    return null;
  }

  private static String quoted(String s) {
    return s == null ? "nothing (null)" : "'" + s + "'";
  }

  public synchronized LearnedClassList list() {
    return new LearnedClassList(version, List.copyOf(entries.values()));
  }

  /** How many command names hold class {@code taskClass} in {@code state} (a metric's value). */
  public synchronized long count(String taskClass, String state) {
    long n = 0;
    for (LearnedClass c : entries.values()) if (c.taskClass().equals(taskClass) && c.state().equals(state)) n++;
    return n;
  }

  public synchronized long version() {
    return version;
  }

  /** The learner proposes {@code taskClass} for processes named {@code comm}: in force at once, as a canary. */
  public synchronized LearnedClass propose(String comm, String taskClass, Map<String, Double> evidence, String reason, String author) {
    if (comm == null || comm.isEmpty() || comm.length() > 15) throw new IllegalArgumentException("comm: 1..15 characters expected, got '" + comm + "'");
    if (TaskClass.assignable(taskClass).isEmpty())
      throw new IllegalArgumentException("taskClass: '" + taskClass + "' is not one of " + TaskClass.assignableLabels());
    java.util.Optional<String> shared = javaland.api.SharedCommandNames.refusal(comm);
    if (shared.isPresent()) throw new IllegalArgumentException("comm: " + shared.get());
    LearnedClass old = entries.get(comm);
    if (old != null && old.state().equals("pinned")) throw new IllegalStateException(comm + ": pinned as " + old.taskClass() + " by " + old.author() + "; the learner cannot change it");
    if (old != null && old.state().equals("rejected")) throw new IllegalStateException(comm + ": rejected by " + old.author() + "; not proposed again");
    return put(new LearnedClass(comm, taskClass, "canary", version + 1, Instant.now().toString(), author, reason, evidence));
  }

  /** The learner keeps its canary. */
  public synchronized LearnedClass commit(String comm, String reason, String author) {
    LearnedClass old = existing(comm);
    if (!old.state().equals("canary")) throw new IllegalStateException(comm + ": " + old.state() + ", not a canary");
    return put(with(old, "committed", reason, author));
  }

  /** The learner drops its canary or committed class; a pinned or rejected one stays. */
  public synchronized LearnedClass rollback(String comm, String reason, String author) {
    LearnedClass old = existing(comm);
    if (!old.state().equals("canary") && !old.state().equals("committed"))
      throw new IllegalStateException(comm + ": " + old.state() + "; only a canary or committed class can be rolled back");
    return put(with(old, "rolled_back", reason, author));
  }

  /** A person keeps the class in force: the learner can no longer change or drop it. */
  public synchronized LearnedClass pin(String comm, String reason, String author) {
    LearnedClass old = existing(comm);
    if (!inForce(old)) throw new IllegalStateException(comm + ": " + old.state() + ", not in force; nothing to pin");
    return put(with(old, "pinned", reason, author));
  }

  /** A person refuses the class: out of force at once, never proposed again. */
  public synchronized LearnedClass reject(String comm, String reason, String author) {
    return put(with(existing(comm), "rejected", reason, author));
  }

  private LearnedClass existing(String comm) {
    LearnedClass c = entries.get(comm);
    if (c == null || c.state().equals("rolled_back")) throw new NoSuchElementException("no learned class for '" + comm + "'");
    return c;
  }

  private LearnedClass with(LearnedClass c, String state, String reason, String author) {
    return new LearnedClass(c.comm(), c.taskClass(), state, version + 1, Instant.now().toString(), author,
        reason == null || reason.isBlank() ? c.reason() : reason, c.evidence());
  }

  private static boolean inForce(LearnedClass c) {
    return c.state().equals("canary") || c.state().equals("committed") || c.state().equals("pinned");
  }

  private LearnedClass put(LearnedClass c) {
    if (history != null) {
      try {
        Files.writeString(history, ApiCodec.encode(c) + "\n", StandardCharsets.UTF_8,
            StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE, StandardOpenOption.SYNC);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot append to " + history + ": " + e.getMessage(), e);
      }
    }
    entries.put(c.comm(), c);
    version = c.version();
    rebuild();
    log.accept("learned classes: version " + version + ": " + c.comm() + " " + c.taskClass() + " " + c.state() + " by " + c.author());
    return c;
  }

  private void rebuild() {
    List<Rule> rs = new ArrayList<>();
    for (LearnedClass c : entries.values()) {
      if (!inForce(c)) continue;
      ObjectNode j = javaland.models.json.JsonCodec.object();
      j.put("name", "learned");
      j.putObject("match").put("comm", "^" + Pattern.quote(c.comm()) + "$");
      j.put("class", c.taskClass());
      Rule r = RuleParser.parseJson(j, "learned class " + c.comm());
      // Named outside the person's name space (':' is not allowed there), so they never collide.
      j.put("name", RULE_PREFIX + c.comm());
      rs.add(new Rule(RULE_PREFIX + c.comm(), r.match(), r.action(), j));
    }
    rules = List.copyOf(rs);
    rulesVersion = version;
  }

  /**
   * The person's rules {@code person}, then the learned classes in force: the rule set the
   * classifier evaluates. Its version changes whenever either does.
   */
  public RuleSet below(RuleSet person) {
    RuleSet c = combined;
    long v = person.version() * 1_000_000L + rulesVersion;
    if (c != null && combinedFor == person && c.version() == v) return c;
    List<Rule> all = new ArrayList<>(person.rules());
    all.addAll(rules);
    c = new RuleSet(v, all);
    combinedFor = person;
    combined = c;
    return c;
  }
}
