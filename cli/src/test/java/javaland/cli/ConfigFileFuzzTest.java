package javaland.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import javaland.runtime.config.YamlTree;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The config file ({@code run --config}, /etc/javaland/javaland.yaml) fuzzed: seeded random text
 * and bytes, and valid files (ConfigFileTest's, the shipped file with keys uncommented) mutated,
 * cut and damaged. Every file is applied with each value exactly as written (checked here
 * independently of picocli's conversion), or refused whole with a ConfigException whose every
 * line names the file and a line of it, the options all left at their defaults; a value the
 * command refuses later is located to the file's line and key. Fixed seeds keep every run identical.
 */
class ConfigFileFuzzTest {
  @TempDir
  Path dir;

  static final String VALID = """
      policy: fifo
      http-port: 9000
      learner: false
      progress: 2s
      rules: rules.yaml
      set: {slice_max_us: 10000, kernel.rescue_ms: 50}
      learner-arg: [window=1s, --min-windows=4]
      seed: -5
      """;

  static final List<String> SAMPLES = samples();

  private static List<String> samples() {
    List<String> out = new ArrayList<>(List.of(VALID, "", "{}\n", "# nothing but a comment\n"));
    try {
      StringBuilder shipped = new StringBuilder();
      for (String line : Files.readAllLines(Path.of("..", "packaging", "javaland.yaml"))) {
        if (line.matches("^#[a-z][a-z-]*: *\\S.*$")) shipped.append(line.substring(1)).append('\n');
      }
      out.add(shipped.toString());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return List.copyOf(out);
  }

  static final List<String> VALUES = List.of("", "~", "true", "no", "-1", "0", "65536", "-2", "99999999999", "99999999999999999999",
      "-9223372036854775808", "1e400", "1e20", ".nan", ".inf", "-.inf", "1.5", "2.0", "0x1F", "017", "\"10\"", "'x'", "[]", "{}",
      "[1, 2]", "{a: 1}", "{\"a=b\": 1}", "{\"\": 1}", "[a, [b]]", "{a: [1]}", "&a x", "*a", "!!binary aGk=", "!!str 5",
      "\"a\\0b\"", "\"\\u0000\"", "\t1", "|\n  x", "- 1", "10s", "-1s", "0s", "1e20s", "5d", "NaNs", "Infinitys", "1fs", "250ms",
      "1.5m", "1h", "fifo", "deadline", "nosuch", "json", "text", "debug", "/etc/passwd", "../x", "é", "--policy=fifo", "=", "a=b");

  private static final String PUNCTUATION = "\n\t :-[]{},&*!|>'\"#%@`?=";

  static String chars(SplittableRandom r, int max) {
    StringBuilder b = new StringBuilder();
    for (int n = r.nextInt(max + 1); n > 0; n--) {
      b.append((char) switch (r.nextInt(10)) {
        case 0 -> r.nextInt(0x10000);
        case 1 -> PUNCTUATION.charAt(r.nextInt(PUNCTUATION.length()));
        default -> r.nextInt(0x20, 0x7f);
      });
    }
    return b.toString();
  }

  /** One random change: a value swapped or of the wrong type, a key unknown or twice, lines moved or cut, tabs, a BOM... */
  static String mutate(SplittableRandom r, String text) {
    List<String> lines = new ArrayList<>(text.lines().toList());
    if (lines.isEmpty()) lines.add("");
    int i = r.nextInt(lines.size());
    String line = lines.get(i);
    int colon = line.indexOf(": ");
    String key = colon < 0 ? line + ":" : line.substring(0, colon + 1);
    switch (r.nextInt(13)) {
      case 0, 1, 2 -> lines.set(i, key + " " + VALUES.get(r.nextInt(VALUES.size())));
      case 3 -> lines.add(i, r.nextBoolean() ? "http-prot: 1" : chars(r, 12) + ": 1");
      case 4 -> lines.add(i, line); // a key twice
      case 5 -> lines.remove(i);
      case 6 -> {
        int j = r.nextInt(lines.size());
        int other = lines.get(j).indexOf(": ");
        if (colon >= 0 && other >= 0) { // two keys swap their values
          lines.set(i, line.substring(0, colon + 2) + lines.get(j).substring(other + 2));
          lines.set(j, lines.get(j).substring(0, other + 2) + line.substring(colon + 2));
        }
      }
      case 7 -> lines.set(i, "\t" + line);
      case 8 -> lines.set(i, key + " \"" + "x".repeat(r.nextInt(1, 100_000)) + "\"");
      case 9 -> {
        int d = r.nextInt(10, 3000);
        lines.set(i, key + " " + (r.nextBoolean() ? "[".repeat(d) + "]".repeat(d) : "{a: ".repeat(d) + "1" + "}".repeat(d)));
      }
      case 10 -> {
        String whole = String.join("\n", lines);
        return whole.substring(0, r.nextInt(whole.length() + 1));
      }
      case 11 -> {
        return "\uFEFF" + String.join("\n", lines) + "\n";
      }
      default -> {
        return String.join("\r\n", lines) + "\r\n";
      }
    }
    return String.join("\n", lines) + "\n";
  }

  static String show(String text) {
    String t = text.length() > 600 ? text.substring(0, 600) + "... (" + text.length() + " chars)" : text;
    return t.replace("\n", "\\n").replace("\t", "\\t").replace("\r", "\\r");
  }

  private static RunCommand fresh() {
    RunCommand run = new RunCommand();
    new CommandLine(run).parseArgs();
    return run;
  }

  private static Map<String, Object> values(RunCommand run) {
    Map<String, Object> out = new LinkedHashMap<>();
    ConfigFile.keys(run.spec).forEach((k, o) -> out.put(k, o.getValue()));
    return out;
  }

  private static final Map<String, Object> DEFAULTS = values(fresh());
  private static final Method CHECK_OPTIONS = checkOptions();

  private static Method checkOptions() {
    try {
      Method m = RunCommand.class.getDeclaredMethod("checkOptions");
      m.setAccessible(true);
      return m;
    } catch (NoSuchMethodException e) {
      throw new AssertionError(e);
    }
  }

  /** Applies {@code bytes} as the config file and checks the properties either way; true when applied. */
  boolean check(byte[] bytes, String shown) throws Exception {
    Path f = dir.resolve("javaland.yaml");
    Files.write(f, bytes);
    RunCommand run = fresh();
    String why = " for: " + shown;
    try {
      ConfigFile.apply(run.spec, f, null, RunCommand::new);
    } catch (ConfigFile.ConfigException e) {
      long lines = Math.max(1, new String(bytes, StandardCharsets.UTF_8).lines().count());
      for (String m : e.getMessage().split("\n")) {
        assertTrue(m.startsWith(f + ":"), "names the file: " + m + why);
        String rest = m.substring(f.toString().length() + 1);
        assertTrue(rest.matches("(?s)\\d+: .+"), "then a line: " + m + why);
        long line = Long.parseLong(rest.substring(0, rest.indexOf(':')));
        assertTrue(line >= 1 && line <= lines + 1, "a line of the file (1.." + lines + "): " + m + why);
        assertTrue(!m.contains("Exception") && !m.contains("org.yaml") && !m.contains("java.lang"), "no library's words: " + m + why);
      }
      assertEquals(DEFAULTS, values(run), "refused whole: nothing applied" + why);
      return false;
    } catch (Throwable t) {
      throw new AssertionError("not a ConfigException" + why, t);
    }
    checkApplied(f, run, why);
    try {
      CHECK_OPTIONS.invoke(run);
    } catch (InvocationTargetException e) {
      if (!(e.getCause() instanceof IllegalArgumentException iae)) throw new AssertionError("the command's check threw" + why, e.getCause());
      RuntimeException located = new ConfigFile.Applied(f, lineOf(f), Map.of()).locate(iae);
      assertTrue(located instanceof ConfigFile.ConfigException && located.getMessage().startsWith(f + ":"),
          "a value the command refuses is located in the file: " + located.getMessage() + why);
    }
    return true;
  }

  /** Each top-level key's line, as apply records it for {@link ConfigFile.Applied#locate}. */
  private static Map<String, Integer> lineOf(Path f) throws Exception {
    Map<String, Integer> out = new LinkedHashMap<>();
    if (YamlTree.parse(Files.readString(f)) instanceof YamlTree.MapNode m) m.entries().values().forEach(e -> out.put("--" + e.key(), e.line()));
    return out;
  }

  /** Every key of the file holds what the file wrote, converted here without picocli. */
  private static void checkApplied(Path f, RunCommand run, String why) throws Exception {
    YamlTree.MapNode top = (YamlTree.MapNode) YamlTree.parse(Files.readString(f));
    Map<String, OptionSpec> keys = ConfigFile.keys(run.spec);
    for (YamlTree.Entry e : top.entries().values()) {
      OptionSpec o = keys.get(e.key());
      Object got = o.getValue();
      String what = e.key() + ": " + e.value() + " -> " + got + why;
      switch (e.value()) {
        case YamlTree.MapNode m -> {
          Map<String, String> expected = new LinkedHashMap<>();
          m.entries().values().forEach(s -> expected.put(s.key(), text(((YamlTree.Scalar) s.value()).value())));
          assertEquals(expected, got, what);
        }
        case YamlTree.ListNode l -> {
          boolean paths = o.typeInfo().getAuxiliaryTypes()[0] == Path.class;
          assertEquals(l.items().stream().map(i -> text(((YamlTree.Scalar) i).value()))
              .map(t -> paths ? (Object) f.toAbsolutePath().getParent().resolve(t) : t).toList(), got, what);
        }
        case YamlTree.Scalar s when got instanceof Path p -> assertEquals(f.toAbsolutePath().getParent().resolve((String) s.value()), p, what);
        case YamlTree.Scalar s when got instanceof Duration d -> assertEquals(duration(text(s.value())), d, what);
        case YamlTree.Scalar s when got instanceof Number || got instanceof Boolean -> assertEquals(s.value(), got instanceof Integer i ? (long) i : got, what);
        case YamlTree.Scalar s -> assertEquals(text(s.value()), got, what);
      }
    }
  }

  /** A scalar as text: an integral number as an integer, when it is one exactly. */
  private static String text(Object v) {
    if (v instanceof Double d && d == Math.rint(d) && Math.abs(d) < 0x1p53) return Long.toString(d.longValue());
    return String.valueOf(v);
  }

  /** What docs/operations.md says a duration is: a number and ms, s, m or h (s without one). */
  private static Duration duration(String s) {
    var m = java.util.regex.Pattern.compile("(-?)(\\d+(?:\\.\\d+)?)(ms|s|m|h)?").matcher(s.strip().toLowerCase(java.util.Locale.ROOT));
    assertTrue(m.matches(), "not a duration, yet accepted: '" + s + "'");
    java.math.BigDecimal v = new java.math.BigDecimal(m.group(2));
    long unitMs = switch (Objects.requireNonNullElse(m.group(3), "s")) {
      case "ms" -> 1;
      case "s" -> 1000;
      case "m" -> 60_000;
      default -> 3_600_000;
    };
    Duration d = Duration.ofMillis(v.multiply(java.math.BigDecimal.valueOf(unitMs)).setScale(0, java.math.RoundingMode.HALF_UP).longValueExact());
    return m.group(1).isEmpty() ? d : d.negated();
  }

  @Test
  void randomTextAndBytesAreRefusedByFileAndLine() throws Exception {
    SplittableRandom r = new SplittableRandom(20_261_520);
    int n = 0;
    int applied = 0;
    for (; n < 600; n++) {
      if (n % 3 == 2) {
        byte[] b = new byte[r.nextInt(1, 600)];
        r.nextBytes(b);
        if (check(b, "random bytes")) applied++;
      } else {
        String t = n % 3 == 0 ? chars(r, 300) : "policy: fifo\n" + chars(r, 300);
        if (check(t.getBytes(StandardCharsets.UTF_8), show(t))) applied++;
      }
    }
    System.out.println("ConfigFileFuzzTest.randomTextAndBytes: " + n + " cases, " + applied + " applied");
  }

  @Test
  void mutatedFilesApplyAsWrittenOrAreRefusedWhole() throws Exception {
    SplittableRandom r = new SplittableRandom(20_261_521);
    int n = 0;
    int applied = 0;
    for (; n < 1200; n++) {
      String t = SAMPLES.get(r.nextInt(SAMPLES.size()));
      for (int k = r.nextInt(1, 4); k > 0; k--) t = mutate(r, t);
      if (check(t.getBytes(StandardCharsets.UTF_8), show(t))) applied++;
    }
    assertTrue(applied > n / 20, "mutations keep some files valid: " + applied);
    System.out.println("ConfigFileFuzzTest.mutatedFiles: " + n + " cases, " + applied + " applied");
  }

  @Test
  void everySampleCutAtEveryFourthPosition() throws Exception {
    int n = 0;
    for (String s : SAMPLES) {
      for (int p = 0; p <= s.length(); p += 4, n++) check(s.substring(0, p).getBytes(StandardCharsets.UTF_8), show(s.substring(0, p)));
    }
    System.out.println("ConfigFileFuzzTest.cutSamples: " + n + " cases");
  }

  /** Systematic where the mutations are random: each value of the pool at each key the command has. */
  @Test
  void everyValueAtEveryKey() throws Exception {
    int n = 0;
    int applied = 0;
    for (String key : ConfigFile.keys(fresh().spec).keySet()) {
      for (String v : VALUES) {
        String t = "policy: fifo\n" + key + ": " + v + "\n";
        if (key.equals("policy")) t = t.substring("policy: fifo\n".length());
        if (check(t.getBytes(StandardCharsets.UTF_8), show(t))) applied++;
        n++;
      }
    }
    System.out.println("ConfigFileFuzzTest.everyValueAtEveryKey: " + n + " cases, " + applied + " applied");
  }

  /** Minimized from the fuzzing: each was applied as something else than written, or refused without file and line. */
  @Test
  void whatTheFuzzingFound() throws Exception {
    Path f = dir.resolve("javaland.yaml");
    for (String[] c : new String[][] {
        {"progress: 5d\n", ":1: key 'progress': Invalid value for option '--progress': '5d' is not a duration"}, // was 5 seconds
        {"progress: 1e20s\n", ":1: key 'progress': Invalid value for option '--progress': '1e20s' is not a duration"}, // was Long.MAX_VALUE ms
        {"progress: 99999999999999999h\n", ":1: key 'progress': Invalid value for option '--progress': '99999999999999999h' is too long a duration"},
        {"set: {\"a=b\": 1}\n", ":1: key 'set': 'a=b': a name can be neither empty nor hold '='"}, // was a: b=1
        {"stats: --policy=fifo\n", ":1: key 'stats': the value the string '--policy=fifo' reads as the option --policy"}, // was 1s and fifo
        {"rules: \"a\\0b\"\n", ":1: key 'rules': the value: not a path (Nul character not allowed)"}, // was an InvalidPathException
        {"duration: |\n  x\n", ":1: key 'duration': Invalid value for option '--duration': 'x\\n' is not a duration"}}) { // was two lines
      Files.writeString(f, c[0]);
      var e = org.junit.jupiter.api.Assertions.assertThrows(ConfigFile.ConfigException.class,
          () -> ConfigFile.apply(fresh().spec, f, null, RunCommand::new));
      assertTrue(e.getMessage().startsWith(f + c[1]), c[0] + " -> " + e.getMessage());
    }
    Files.write(f, new byte[] {'p', 'o', 'l', 'i', 'c', 'y', ':', ' ', (byte) 0xe9, '\n'}); // Latin-1, not UTF-8
    var e = org.junit.jupiter.api.Assertions.assertThrows(ConfigFile.ConfigException.class,
        () -> ConfigFile.apply(fresh().spec, f, null, RunCommand::new));
    assertEquals(f + ":1: not UTF-8 text: byte 0xE9 at line 1, column 9 (offset 8)", e.getMessage());
    RunCommand run = fresh();
    Files.writeString(f, "api-jwt-audience: 1e20\n");
    ConfigFile.apply(run.spec, f, null, RunCommand::new);
    assertEquals("1.0E20", run.apiJwtAudience, "was 9223372036854775807, Long.MAX_VALUE");
  }
}
