package javaland.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Supplier;
import javaland.models.FieldError;
import javaland.models.params.ParameterException;
import javaland.runtime.config.Utf8Text;
import javaland.runtime.config.YamlTree;
import javaland.runtime.config.YamlTree.Entry;
import javaland.runtime.config.YamlTree.ListNode;
import javaland.runtime.config.YamlTree.MapNode;
import javaland.runtime.config.YamlTree.Node;
import javaland.runtime.config.YamlTree.Scalar;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * A command's options read from a YAML file ({@code /etc/javaland/javaland.yaml}, docs/operations.md).
 * The keys are the command's own long options without their dashes, so a new option is a new key
 * with nothing else to declare; every value goes through picocli's own conversion, as if typed on
 * the command line. Options given on the command line win; a map option ({@code set}) is merged
 * key by key. Any error (unknown key, wrong type, bad value) refuses the whole file, each error
 * named by file, line and key, before anything is applied.
 */
final class ConfigFile {
  /** The option that names the file, which the file itself cannot set. */
  static final String OPTION = "--config";

  private ConfigFile() {}

  /** What a file set, to name the line of a mistake that only the command finds later. */
  record Applied(Path file, Map<String, Integer> optionLines, Map<String, Integer> setLines) {
    static final Applied NONE = new Applied(null, Map.of(), Map.of());

    /**
     * {@code e} with the file, line and key of the value it is about when that value came from the
     * file (its message names the option as {@code --name}, or a {@code set} key); else {@code e}.
     */
    RuntimeException locate(IllegalArgumentException e) {
      if (file == null || e.getMessage() == null) return e;
      if (e instanceof ParameterException pe) {
        List<String> out = new ArrayList<>();
        boolean any = false;
        for (FieldError f : pe.errors()) {
          Integer line = setLines.get(f.path());
          any |= line != null;
          out.add(line == null ? f.message() : file + ":" + line + ": key 'set." + f.path() + "': " + YamlTree.oneLine(f.message()));
        }
        return any ? new ConfigException(String.join("\n", out)) : e;
      }
      String msg = e.getMessage();
      String best = null;
      for (String opt : optionLines.keySet()) {
        if (mentions(msg, opt) && (best == null || opt.length() > best.length())) best = opt;
      }
      if ("--set".equals(best) || best == null) {
        for (var s : setLines.entrySet()) {
          if (mentions(msg, s.getKey())) return new ConfigException(file + ":" + s.getValue() + ": key 'set." + s.getKey() + "': " + YamlTree.oneLine(msg));
        }
      }
      if (best == null) return e;
      return new ConfigException(file + ":" + optionLines.get(best) + ": key '" + best.substring(2) + "': " + YamlTree.oneLine(msg));
    }

    private static boolean mentions(String msg, String name) {
      int i = msg.indexOf(name);
      while (i >= 0) {
        int end = i + name.length();
        boolean startOk = i == 0 || !(Character.isLetterOrDigit(msg.charAt(i - 1)) || msg.charAt(i - 1) == '_' || msg.charAt(i - 1) == '.');
        boolean endOk = end == msg.length() || !(Character.isLetterOrDigit(msg.charAt(end)) || msg.charAt(end) == '_' || msg.charAt(end) == '-');
        if (startOk && endOk) return true;
        i = msg.indexOf(name, i + 1);
      }
      return false;
    }
  }

  /** A configuration file that was refused; exit code 2, like a usage error. */
  static final class ConfigException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    ConfigException(String message) {
      super(message);
    }
  }

  /** The options a file may set: every long option but help, version and {@code --config}. */
  static Map<String, OptionSpec> keys(CommandSpec spec) {
    Map<String, OptionSpec> out = new LinkedHashMap<>();
    for (OptionSpec o : spec.options()) {
      String name = o.longestName();
      if (o.usageHelp() || o.versionHelp() || name.equals(OPTION) || !name.startsWith("--")) continue;
      out.put(name.substring(2), o);
    }
    return out;
  }

  /**
   * Reads {@code given}, else {@code fallback} when it exists, into the options of {@code spec}
   * that its command line did not set; {@code fresh} makes a new, unparsed instance of the command
   * to convert values with.
   */
  static Applied apply(CommandSpec spec, Path given, Path fallback, Supplier<Object> fresh) {
    Path file = given != null ? given : fallback != null && Files.exists(fallback) ? fallback : null;
    if (file == null) return Applied.NONE;
    String text;
    try {
      text = Utf8Text.read(file);
    } catch (Utf8Text.Malformed e) {
      throw new ConfigException(file + ":" + e.line() + ": " + e.getMessage());
    } catch (IOException e) {
      throw new ConfigException(OPTION + " " + file + ": cannot read it ("
          + (e instanceof java.nio.file.NoSuchFileException ? "no such file" : e.getMessage()) + ")");
    }
    Node root;
    try {
      root = YamlTree.parse(text);
    } catch (YamlTree.SyntaxException e) {
      throw new ConfigException(file + ":" + e.line() + ": " + e.getMessage());
    }
    if (!(root instanceof MapNode top)) {
      throw new ConfigException(file + ":" + root.line() + ": expected a mapping of option names to values, got " + root.kind());
    }
    Map<String, OptionSpec> keys = keys(spec);
    CommandLine.ParseResult commandLine = spec.commandLine().getParseResult();
    List<String> errors = new ArrayList<>();
    Map<OptionSpec, Object> values = new LinkedHashMap<>();
    Map<String, Integer> optionLines = new LinkedHashMap<>();
    Map<String, Integer> setLines = new LinkedHashMap<>();
    for (Entry e : top.entries().values()) {
      String where = file + ":" + e.line() + ": key '" + e.key() + "': ";
      OptionSpec o = keys.get(e.key());
      if (o == null) {
        errors.add(where + "unknown key; the keys are " + String.join(", ", new TreeSet<>(keys.keySet())));
        continue;
      }
      try {
        List<String> args = args(o, e.value(), file);
        Object value;
        if (args == null) {
          value = Boolean.TRUE.equals(((Scalar) e.value()).value());
        } else {
          CommandLine scratch = new CommandLine(fresh.get());
          CommandLine.ParseResult parsed = scratch.parseArgs(args.toArray(String[]::new));
          // An option whose value is optional (stats) does not take one that looks like an option:
          // "--stats=--policy=fifo" set the policy and left stats at its fallback, without a word.
          for (OptionSpec other : parsed.matchedOptions()) {
            if (!other.longestName().equals(o.longestName())) {
              throw new Wrong("the value " + e.value().kind() + " reads as the option " + other.longestName() + ", not as a value");
            }
          }
          value = scratch.getCommandSpec().findOption(o.longestName()).getValue();
        }
        values.put(o, value);
        boolean onCommandLine = commandLine != null && commandLine.hasMatchedOption(o);
        if (!onCommandLine) optionLines.put(o.longestName(), e.line());
        if (e.value() instanceof MapNode m) {
          for (Entry s : m.entries().values()) {
            if (!(onCommandLine && o.getValue() instanceof Map<?, ?> flags && flags.containsKey(s.key()))) setLines.put(s.key(), s.line());
          }
        }
      } catch (Wrong w) {
        errors.add(where + w.getMessage());
      } catch (CommandLine.ParameterException p) {
        errors.add(where + YamlTree.oneLine(p.getMessage()));
      }
    }
    if (!errors.isEmpty()) throw new ConfigException(String.join("\n", errors));
    values.forEach((o, v) -> {
      boolean onCommandLine = commandLine != null && commandLine.hasMatchedOption(o);
      if (!onCommandLine) {
        o.setValue(v);
      } else if (v instanceof Map<?, ?> fromFile && o.getValue() instanceof Map<?, ?> fromFlags) {
        @SuppressWarnings("unchecked")
        Map<Object, Object> merged = new LinkedHashMap<>((Map<Object, Object>) fromFile);
        merged.putAll(fromFlags);
        o.setValue(merged);
      }
    });
    return new Applied(file, optionLines, setLines);
  }

  /** A value the option cannot take; the message says what it expected. */
  private static final class Wrong extends Exception {
    private static final long serialVersionUID = 1L;

    Wrong(String message) {
      super(message);
    }
  }

  /** The command-line words for one value, or null for a flag (a boolean, set directly). */
  private static List<String> args(OptionSpec o, Node v, Path file) throws Wrong {
    String flag = o.longestName();
    if (o.typeInfo().isBoolean() && o.arity().max() == 0) {
      if (!(v instanceof Scalar s && s.value() instanceof Boolean)) throw new Wrong("expected true or false, got " + v.kind());
      return null;
    }
    List<String> args = new ArrayList<>();
    if (o.typeInfo().isMap()) {
      if (!(v instanceof MapNode m)) throw new Wrong("expected a mapping of NAME: VALUE, got " + v.kind());
      for (Entry e : m.entries().values()) {
        // picocli splits NAME=VALUE at the first '=': "a=b": 1 would silently become a: b=1
        if (e.key().isEmpty() || e.key().contains("=")) throw new Wrong("'" + e.key() + "': a name can be neither empty nor hold '='");
        args.add(flag + "=" + e.key() + "=" + word(o, e.value(), file, "'" + e.key() + "'"));
      }
      return args;
    }
    if (o.typeInfo().isMultiValue()) {
      if (!(v instanceof ListNode l)) throw new Wrong("expected a list, got " + v.kind());
      for (Node item : l.items()) {
        args.add(flag + "=" + word(o, item, file, "an item"));
      }
      return args;
    }
    args.add(flag + "=" + word(o, v, file, "the value")); // one word: a value may start with a dash
    return args;
  }

  /** One scalar as the command line would give it: numbers only where a number is expected, paths beside the file. */
  private static String word(OptionSpec o, Node v, Path file, String what) throws Wrong {
    if (!(v instanceof Scalar s) || s.value() == null) {
      throw new Wrong(what + ": expected a single value, got " + v.kind() + (v instanceof Scalar ? " (leave the key out for the default)" : ""));
    }
    Class<?> type = o.typeInfo().isMultiValue() && !o.typeInfo().isMap()
        ? o.typeInfo().getAuxiliaryTypes()[0] : o.typeInfo().getType();
    boolean integral = type == int.class || type == Integer.class || type == long.class || type == Long.class;
    if (integral && !(s.value() instanceof Long)) throw new Wrong(what + ": expected an integer, got " + s.kind());
    if (type == Path.class) {
      if (!(s.value() instanceof String p)) throw new Wrong(what + ": expected a path, got " + s.kind());
      try {
        return file.toAbsolutePath().getParent().resolve(p).toString(); // relative to the file, not to wherever it is run from
      } catch (java.nio.file.InvalidPathException bad) { // a NUL, say: escaped with "\0" in YAML
        throw new Wrong(what + ": not a path (" + bad.getReason() + "): " + s.kind());
      }
    }
    // 1e3 is 1000, but 1e20 as a long would be Long.MAX_VALUE: only doubles that are exactly an integer become one
    if (s.value() instanceof Double d && d == Math.rint(d) && Math.abs(d) < 0x1p53) return String.valueOf(d.longValue());
    return String.valueOf(s.value());
  }
}
