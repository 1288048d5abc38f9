package javaland.runtime.rules;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import javaland.runtime.config.Utf8Text;

/**
 * Rules kept in a YAML file (or only in memory), reloaded when the file changes on disk.
 *
 * <p>Writes are atomic: the new text goes to a temporary file beside it, is fsynced, then renamed
 * over the file (and the directory fsynced), so a crash leaves either the old file or the new one,
 * never a mix. A temporary file left by a crash is never read. An edit on disk that does not
 * validate is reported (file, line, key) and the rules in force stay; the same bad text is
 * reported once.
 */
public final class FileRuleStore implements RuleStore, AutoCloseable {
  private static final ObjectMapper YAML_OUT = new ObjectMapper(new YAMLFactory()
      .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
      .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
      // without it a rule named "10" is written as 10, an integer, and the file is refused at the next start
      .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS));
  static final String HEADER = "# javaland task-classification rules (docs/rules.md). First match wins.\n";

  private final Path file; // null: in memory only
  private final Consumer<String> log;
  private volatile RuleSet current;
  private String lastText; // the text in force or last refused (guarded by this)
  private Object lastKey; // file identity + mtime + size of the last look (guarded by this)
  private Thread watcher;
  private volatile boolean closed;

  private FileRuleStore(Path file, Consumer<String> log, RuleSet initial, String text) {
    this.file = file;
    this.log = log;
    this.current = initial;
    this.lastText = text;
  }

  /** Loads {@code file}, which must exist and be valid (else throws naming what is wrong). */
  public static FileRuleStore open(Path file, Consumer<String> log) {
    String text = read(file);
    List<Rule> rules = RuleParser.parseYaml(file.toString(), text);
    FileRuleStore s = new FileRuleStore(file, log, new RuleSet(1, rules), text);
    s.lastKey = key(file);
    log.accept("rules: loaded " + rules.size() + " rule(s) from " + file + " (version 1)");
    return s;
  }

  /** Rules with no file behind them (tests, or a run without --rules that the API may edit). */
  public static FileRuleStore inMemory(Consumer<String> log) {
    return new FileRuleStore(null, log, new RuleSet(1, List.of()), "");
  }

  private static String read(Path file) {
    try {
      return Utf8Text.read(file);
    } catch (Utf8Text.Malformed e) {
      throw notText(file, e);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("rules file " + file + " does not exist (an empty one is 'rules: []')");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read rules file " + file + ": " + e.getMessage(), e);
    }
  }

  /** Bytes that are not UTF-8 are a mistake in the file's content, refused like any other: with its line. */
  private static RuleValidationException notText(Path file, Utf8Text.Malformed e) {
    return new RuleValidationException(file.toString(), List.of(new javaland.models.FieldError("(document)", e.line(), e.getMessage())));
  }

  /** The rules in force; a volatile read. */
  public RuleSet current() {
    return current;
  }

  public Optional<Path> file() {
    return Optional.ofNullable(file);
  }

  /** Checks the file every {@code periodMs} and applies a valid change; a daemon thread. */
  public synchronized FileRuleStore watch(long periodMs) {
    if (file == null || watcher != null) return this;
    watcher = Thread.ofPlatform().name("javaland-rules-watch").daemon(true).start(() -> {
      while (!closed) {
        try {
          Thread.sleep(periodMs);
          checkFile();
        } catch (InterruptedException e) {
          return;
        } catch (RuntimeException e) {
          log.accept("rules: cannot check " + file + ": " + e.getMessage());
        }
      }
    });
    return this;
  }

  /**
   * Looks at the file once: applies it if it changed and is valid, else reports it. Returns
   * whether a new version was applied.
   */
  public synchronized boolean checkFile() {
    if (file == null) return false;
    Object k = key(file);
    if (Objects.equals(k, lastKey)) return false;
    lastKey = k;
    String text;
    Utf8Text.Malformed notText = null;
    try {
      text = Utf8Text.read(file);
    } catch (Utf8Text.Malformed e) {
      notText = e;
      text = "\0not UTF-8: " + e.getMessage(); // the same bad bytes are reported once; a NUL-led sentinel no readable rules file equals
    } catch (IOException e) {
      log.accept("rules: cannot read " + file + " (" + e.getMessage() + "); the previous rules stay in force");
      return false;
    }
    if (text.equals(lastText)) return false;
    lastText = text;
    try {
      if (notText != null) throw notText(file, notText);
      List<Rule> rules = RuleParser.parseYaml(file.toString(), text);
      apply(rules, "reloaded from " + file);
      return true;
    } catch (RuleValidationException e) {
      log.accept("rules: refused the change to " + e.getMessage() + "; the previous rules (version "
          + current.version() + ") stay in force");
      return false;
    }
  }

  private static Object key(Path file) {
    try {
      BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
      return List.of(String.valueOf(a.fileKey()), a.lastModifiedTime().toMillis(), a.size());
    } catch (IOException e) {
      return "missing";
    }
  }

  private void apply(List<Rule> rules, String what) {
    RuleSet next = new RuleSet(current.version() + 1, rules);
    current = next;
    log.accept("rules: " + what + ": " + rules.size() + " rule(s), version " + next.version());
  }

  /** Validates, persists, then applies {@code rules}; nothing changes if any step fails. */
  private void commit(List<Rule> rules, String what) {
    RuleParser.checkSet(file == null ? "rules" : file.toString(), rules);
    if (file != null) {
      String text = render(rules);
      writeAtomically(file, text);
      lastText = text;
      lastKey = key(file);
    }
    apply(rules, what);
  }

  static String render(List<Rule> rules) {
    Map<String, Object> doc = new LinkedHashMap<>();
    List<Object> list = new ArrayList<>();
    for (Rule r : rules) list.add(r.json());
    doc.put("rules", list);
    try {
      return HEADER + YAML_OUT.writeValueAsString(doc);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The temporary file a write goes through; a crash may leave it, and it is never read. */
  static Path tempFile(Path file) {
    return file.resolveSibling("." + file.getFileName() + ".tmp");
  }

  static void writeAtomically(Path file, String text) {
    Path tmp = tempFile(file);
    try {
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
          StandardOpenOption.TRUNCATE_EXISTING)) {
        ByteBuffer b = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
        while (b.hasRemaining()) ch.write(b);
        ch.force(true);
      }
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        throw new IOException("cannot replace " + file + " atomically: " + e.getMessage(), e);
      }
      Path dir = file.toAbsolutePath().getParent();
      try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
        d.force(true); // the rename itself is durable
      } catch (IOException ignored) {
        // some file systems cannot open a directory for fsync; the rename is still atomic
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write rules file " + file + ": " + e.getMessage(), e);
    }
  }

  // ---------------------------------------------------------------- RuleStore

  @Override
  public List<ObjectNode> list() {
    List<ObjectNode> a = new ArrayList<>();
    for (Rule r : current.rules()) a.add(r.json().deepCopy());
    return a;
  }

  @Override
  public Optional<ObjectNode> get(String name) {
    return current.rules().stream().filter(r -> r.name().equals(name)).findFirst().map(r -> r.json().deepCopy());
  }

  @Override
  public synchronized ObjectNode create(ObjectNode rule, Integer position) {
    List<Rule> rules = new ArrayList<>(current.rules());
    if (position != null && (position < 0 || position > rules.size())) {
      throw new RuleValidationException("rule", List.of(new javaland.models.FieldError("position", 0,
          position + " is out of range (0.." + rules.size() + ")")));
    }
    Rule r = RuleParser.parseJson(rule, "");
    if (indexOf(rules, r.name()) >= 0) throw new IllegalStateException("a rule named '" + r.name() + "' exists");
    rules.add(position == null ? rules.size() : position, r);
    commit(rules, "created rule '" + r.name() + "'");
    return r.json().deepCopy();
  }

  @Override
  public synchronized ObjectNode replace(String name, ObjectNode rule) {
    List<Rule> rules = new ArrayList<>(current.rules());
    int i = indexOf(rules, name);
    if (i < 0) throw new NoSuchElementException("no rule named '" + name + "'");
    Rule r = RuleParser.parseJson(rule, "");
    if (!r.name().equals(name) && indexOf(rules, r.name()) >= 0) {
      throw new IllegalStateException("a rule named '" + r.name() + "' exists");
    }
    rules.set(i, r);
    commit(rules, "replaced rule '" + name + "'" + (r.name().equals(name) ? "" : " (now '" + r.name() + "')"));
    return r.json().deepCopy();
  }

  @Override
  public synchronized void delete(String name) {
    List<Rule> rules = new ArrayList<>(current.rules());
    int i = indexOf(rules, name);
    if (i < 0) throw new NoSuchElementException("no rule named '" + name + "'");
    rules.remove(i);
    commit(rules, "deleted rule '" + name + "'");
  }

  @Override
  public synchronized List<ObjectNode> reorder(List<String> names) {
    List<Rule> rules = current.rules();
    List<javaland.models.FieldError> errors = new ArrayList<>();
    var seen = new HashSet<String>();
    for (int i = 0; i < names.size(); i++) {
      String n = names.get(i);
      if (!seen.add(n)) errors.add(new javaland.models.FieldError("[" + i + "]", 0, "'" + n + "' is named twice"));
      else if (indexOf(rules, n) < 0) errors.add(new javaland.models.FieldError("[" + i + "]", 0, "no rule named '" + n + "'"));
    }
    for (Rule r : rules) {
      if (!names.contains(r.name())) errors.add(new javaland.models.FieldError("", 0, "rule '" + r.name() + "' is missing; name every rule once"));
    }
    if (!errors.isEmpty()) throw new RuleValidationException("reorder", errors);
    List<Rule> next = new ArrayList<>();
    for (String n : names) next.add(rules.get(indexOf(rules, n)));
    commit(next, "reordered rules");
    return list();
  }

  @Override
  public long version() {
    return current.version();
  }

  private static int indexOf(List<Rule> rules, String name) {
    for (int i = 0; i < rules.size(); i++) if (rules.get(i).name().equals(name)) return i;
    return -1;
  }

  @Override
  public void close() {
    closed = true;
    Thread w;
    synchronized (this) {
      w = watcher;
    }
    if (w != null) w.interrupt();
  }
}
