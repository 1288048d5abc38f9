package javaland.runtime.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import javaland.models.FieldError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rules file fuzzed: seeded random text and bytes, and the valid samples (RuleParserTest's
 * file, the examples of docs/rules.md) mutated, truncated and damaged. Every input parses to rules
 * that hold the documented bounds and survive a render-and-parse round trip, or is refused with a
 * {@link RuleValidationException} that names the source, a key path and a line of the text; a
 * reload of a refused file leaves the rules in force untouched. Fixed seeds keep every run identical.
 */
class RulesFuzzTest {
  @TempDir
  Path dir;

  static final List<String> SAMPLES = samples();

  private static List<String> samples() {
    List<String> out = new ArrayList<>(List.of(RuleParserTest.GOOD, "rules: []\n", "", "rules:\n"));
    try {
      var blocks = Pattern.compile("```yaml\n(.*?)```", Pattern.DOTALL).matcher(Files.readString(Path.of("..", "docs", "rules.md")));
      while (blocks.find()) out.add(blocks.group(1));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return List.copyOf(out);
  }

  /** Values put where a sample had one: wrong types, bounds and just past them, YAML's odd corners. */
  static final List<String> VALUES = List.of("", "~", "null", "true", "no", "-1", "0", "-0", "101", "-101", "49", "100001",
      "99999999999999999999", "-9223372036854775808", "9223372036854775807", "4294967295", "1e400", ".nan", ".inf", "-.inf",
      "1.5", "0x1F", "0o17", "017", "\"10\"", "'x'", "[]", "{}", "[1, 2]", "{a: 1}", "{min: 1}", "{max: 30}", "&a x", "*a",
      "*nosuch", "!!binary aGk=", "!!float 1", "!!str 5", "!!map {}", "!nosuch x", "\"\\u0000\"", "\"a\\0b\"", "\t1", "|\n  x",
      "- 1", "\"0-3,6\"", "\"4096\"", "\"3-1\"", "\",\"", "\"^(a+)+$\"", "\"(\"", "\"^(a|aa)+\\\\1$\"", "/x", "x/", "latency-critical",
      "batch", "background", "interactive", "idle", "é", "\"\\uD800\"", "\"bad name\"", "learned:x", "? complex", "{comm: x, comm: y}",
      "[{comm: x}]", "{all: []}", "{any: [{}]}", "{nice: {min: 5, max: 1}}");

  private static final String PUNCTUATION = "\n\t :-[]{},&*!|>'\"#%@`?";

  static String chars(SplittableRandom r, int max) {
    StringBuilder b = new StringBuilder();
    int n = r.nextInt(max + 1);
    for (int i = 0; i < n; i++) {
      b.append((char) switch (r.nextInt(10)) {
        case 0 -> r.nextInt(0x10000);
        case 1 -> PUNCTUATION.charAt(r.nextInt(PUNCTUATION.length()));
        default -> r.nextInt(0x20, 0x7f);
      });
    }
    return b.toString();
  }

  /** Brackets or indented keys {@code depth} deep: past the parser's and the matcher's nesting limits. */
  static String deep(SplittableRandom r, int depth) {
    return switch (r.nextInt(3)) {
      case 0 -> "[".repeat(depth) + "]".repeat(depth);
      case 1 -> "{a: ".repeat(depth) + "1" + "}".repeat(depth);
      default -> "{any: [".repeat(depth) + "{comm: x}" + "]}".repeat(depth); // as a match: all/any too deep
    };
  }

  /** One random change to {@code text}: a value swapped, a key unknown or twice, lines moved, cut, tabs, a BOM... */
  static String mutate(SplittableRandom r, String text) {
    List<String> lines = new ArrayList<>(text.lines().toList());
    if (lines.isEmpty()) lines.add("");
    int i = r.nextInt(lines.size());
    String line = lines.get(i);
    int colon = line.indexOf(": ");
    switch (r.nextInt(14)) {
      case 0, 1 -> lines.set(i, (colon < 0 ? line + ":" : line.substring(0, colon + 1)) + " " + VALUES.get(r.nextInt(VALUES.size())));
      case 2 -> lines.add(i, line.replaceAll("\\S.*", "") + (r.nextBoolean() ? "colour: red" : chars(r, 12) + ": 1"));
      case 3 -> lines.add(i, line); // a key twice, or a rule's name twice
      case 4 -> lines.remove(i);
      case 5 -> {
        int j = r.nextInt(lines.size());
        lines.set(i, lines.get(j));
        lines.set(j, line);
      }
      case 6 -> {
        int j = r.nextInt(lines.size());
        int other = lines.get(j).indexOf(": ");
        if (colon >= 0 && other >= 0) { // two keys swap their values
          lines.set(i, line.substring(0, colon + 2) + lines.get(j).substring(other + 2));
          lines.set(j, lines.get(j).substring(0, other + 2) + line.substring(colon + 2));
        }
      }
      case 7 -> lines.set(i, line.replaceFirst("^ +", "\t"));
      case 8 -> lines.set(i, (colon < 0 ? line + ":" : line.substring(0, colon + 1)) + " \"" + "x".repeat(r.nextInt(1, 200_000)) + "\"");
      case 9 -> lines.set(i, (colon < 0 ? line + ":" : line.substring(0, colon + 1)) + " " + deep(r, r.nextInt(10, 3000)));
      case 10 -> lines.add(i, chars(r, 30));
      case 11 -> {
        String whole = String.join("\n", lines);
        return whole.substring(0, r.nextInt(whole.length() + 1));
      }
      case 12 -> {
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

  /** Parses {@code text} and checks the properties either way; returns the rules, or null when refused. */
  static List<Rule> check(String source, String text) {
    List<Rule> rules;
    try {
      rules = RuleParser.parseYaml(source, text);
    } catch (RuleValidationException e) {
      checkRefusal(source, text, e);
      return null;
    } catch (Throwable t) {
      throw new AssertionError("not a RuleValidationException for: " + show(text), t);
    }
    checkRules(rules, text);
    return rules;
  }

  static void checkRefusal(String source, String text, RuleValidationException e) {
    String why = e.getMessage() + " for: " + show(text);
    assertTrue(e.getMessage().startsWith(source + ": "), "names the source: " + why);
    assertTrue(!e.errors().isEmpty(), why);
    long lines = Math.max(1, text.lines().count());
    for (FieldError f : e.errors()) {
      assertTrue(!f.path().isBlank() && !f.message().isBlank(), "a key path and what was wrong: " + why);
      assertTrue(f.line() >= 1 && f.line() <= lines + 1, "a line of the text (1.." + lines + "): " + f.line() + ": " + why);
      assertTrue(!f.message().contains("Exception") && !f.message().contains("org.yaml"), "no library's words: " + why);
    }
  }

  /** The bounds RuleParser claims, checked again here, and the round trip through the file's written form. */
  static void checkRules(List<Rule> rules, String text) {
    String why = " for: " + show(text);
    assertTrue(rules.size() <= RuleParser.MAX_RULES, rules.size() + why);
    Set<String> names = new HashSet<>();
    for (Rule r : rules) {
      assertTrue(names.add(r.name()), "unique names: " + r.name() + why);
      assertTrue(r.name().matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}"), r.name() + why);
      Rule.Action a = r.action();
      assertTrue(a.taskClass() != null && javaland.sdk.TaskClass.assignable(a.taskClass().label()).isPresent(), r.name() + why);
      assertTrue(a.priority() >= -100 && a.priority() <= 100, a.priority() + why);
      for (long s : new long[] {a.sliceMinNs(), a.sliceMaxNs()}) {
        assertTrue(s == 0 || s >= RuleParser.SLICE_MIN_US * 1000 && s <= RuleParser.SLICE_MAX_US * 1000, s + why);
      }
      assertTrue(a.sliceMinNs() == 0 || a.sliceMaxNs() == 0 || a.sliceMinNs() <= a.sliceMaxNs(), why);
      if (a.preferredCpus() != null) {
        assertTrue(a.preferredCpus().length > 0 && a.preferredCpus().length <= (CpuList.MAX_CPU + 1) / 64, why);
      }
      checkDepth(r.match(), 0, why);
    }
    String written = FileRuleStore.render(rules);
    List<Rule> again = RuleParser.parseYaml("rendered", written);
    assertEquals(rules.stream().map(Rule::json).toList(), again.stream().map(Rule::json).toList(), "round trip" + why);
    assertEquals(written, FileRuleStore.render(again), "written the same way twice" + why);
  }

  private static void checkDepth(Match m, int depth, String why) {
    assertTrue(depth <= RuleParser.MAX_DEPTH + 2, "nesting " + depth + why);
    List<Match> parts = switch (m) {
      case Match.All a -> a.parts();
      case Match.Any a -> a.parts();
      case null, default -> List.of();
    };
    if (m instanceof Match.Any || m instanceof Match.All) assertTrue(!parts.isEmpty(), why);
    for (Match p : parts) checkDepth(p, depth + 1, why);
  }

  @Test
  void randomTextIsRefusedWithSourceLineAndKey() {
    SplittableRandom r = new SplittableRandom(20_261_501);
    int n = 0;
    int parsed = 0;
    for (; n < 1500; n++) {
      String text = switch (n % 3) {
        case 0 -> chars(r, 400);
        case 1 -> "rules:\n" + chars(r, 400);
        default -> "rules:\n  - " + chars(r, 200);
      };
      if (check("random.yaml", text) != null) parsed++;
    }
    System.out.println("RulesFuzzTest.randomText: " + n + " cases, " + parsed + " parsed");
  }

  @Test
  void mutatedSamplesParseWithinTheirBoundsOrAreRefused() {
    SplittableRandom r = new SplittableRandom(20_261_502);
    int n = 0;
    int parsed = 0;
    for (; n < 3000; n++) {
      String text = SAMPLES.get(r.nextInt(SAMPLES.size()));
      for (int k = r.nextInt(1, 4); k > 0; k--) text = mutate(r, text);
      if (check("rules.yaml", text) != null) parsed++;
    }
    assertTrue(parsed > n / 20, "mutations keep some files valid: " + parsed);
    System.out.println("RulesFuzzTest.mutatedSamples: " + n + " cases, " + parsed + " parsed");
  }

  @Test
  void everySampleCutAtEveryPosition() {
    int n = 0;
    for (String s : SAMPLES) {
      for (int p = 0; p <= s.length(); p++, n++) check("cut.yaml", s.substring(0, p));
    }
    System.out.println("RulesFuzzTest.cutSamples: " + n + " cases");
  }

  @Test
  void randomBytesOnDiskAreRefusedWhenOpenedAndLeaveTheRulesInForceOnReload() throws Exception {
    SplittableRandom r = new SplittableRandom(20_261_503);
    Path f = dir.resolve("rules.yaml");
    Files.writeString(f, RuleParserTest.GOOD);
    List<String> log = new CopyOnWriteArrayList<>();
    int n = 0;
    try (FileRuleStore s = FileRuleStore.open(f, log::add)) {
      RuleSet before = s.current();
      for (; n < 300; n++) {
        byte[] b = new byte[r.nextInt(16, 2000)];
        r.nextBytes(b);
        int good = n % 2 == 0 ? Math.min(b.length - 8, r.nextInt(200)) : 0; // a valid start, then garbage
        System.arraycopy(RuleParserTest.GOOD.getBytes(StandardCharsets.UTF_8), 0, b, 0, good);
        b[r.nextInt(good, b.length)] = (byte) 0xff; // never UTF-8, so the file is refused however the dice fall
        Files.write(f, b);
        Files.setLastModifiedTime(f, FileTime.fromMillis(1_000_000L + n * 1000L));
        try {
          assertTrue(!s.checkFile(), "random bytes applied as rules");
        } catch (Throwable t) {
          throw new AssertionError("reload of random bytes threw", t);
        }
        assertSame(before, s.current(), "the rules in force did not change");
        String last = log.getLast();
        assertTrue(last.contains(f.toString()) && last.contains("stay in force"), last);
        try {
          FileRuleStore.open(f, log::add).close();
          fail("random bytes opened as rules");
        } catch (RuleValidationException e) {
          assertTrue(e.getMessage().startsWith(f + ": "), e.getMessage());
        }
      }
    }
    System.out.println("RulesFuzzTest.randomBytesOnDisk: " + n + " cases");
  }

  @Test
  void aRefusedEditOnDiskChangesNothingAndTheNextGoodOneIsApplied() throws Exception {
    SplittableRandom r = new SplittableRandom(20_261_504);
    Path f = dir.resolve("rules.yaml");
    Files.writeString(f, RuleParserTest.GOOD);
    List<String> log = new CopyOnWriteArrayList<>();
    int n = 0;
    int applied = 0;
    int refused = 0;
    try (FileRuleStore s = FileRuleStore.open(f, log::add)) {
      for (; n < 600; n++) {
        String text = SAMPLES.get(r.nextInt(SAMPLES.size()));
        if (r.nextInt(3) > 0) text = mutate(r, text);
        Files.write(f, text.getBytes(StandardCharsets.UTF_8)); // a lone surrogate is written as '?'
        text = Files.readString(f);
        Files.setLastModifiedTime(f, FileTime.fromMillis(1_000_000L + n * 1000L)); // seen as changed, however fast
        RuleSet before = s.current();
        List<Rule> expected;
        try {
          expected = RuleParser.parseYaml(f.toString(), text);
        } catch (RuleValidationException e) {
          expected = null;
        }
        boolean changed = s.checkFile();
        if (expected == null) {
          refused++;
          assertTrue(!changed, show(text));
          assertSame(before, s.current(), "refused: the rules in force stay, the same object: " + show(text));
        } else if (changed) {
          applied++;
          assertEquals(before.version() + 1, s.current().version());
          assertEquals(expected.stream().map(Rule::json).toList(), s.current().rules().stream().map(Rule::json).toList());
        } else {
          // unchanged text, or the same text as the last refused one: either way what is in force is a valid set
          assertSame(before, s.current(), show(text));
        }
        assertEquals(s.current().rules().stream().map(Rule::json).toList(), s.list(), "what is listed is what is in force");
      }
    }
    assertTrue(applied > 20 && refused > 20, applied + " applied, " + refused + " refused");
    System.out.println("RulesFuzzTest.reloads: " + n + " cases, " + applied + " applied, " + refused + " refused");
  }

  /** Minimized from the mutations: an empty key (a BOM, then "? ") gave the error an empty path. */
  @Test
  void anEmptyKeyIsNamed() {
    FieldError e = RuleParserTest.onlyError("\uFEFF? \n");
    RuleParserTest.assertError(e, "''", 1, "unknown key");
    RuleParserTest.assertError(RuleParserTest.onlyError("rules:\n  - name: a\n    class: batch\n    '': 1\n"), "rules[0].''", 4, "unknown key");
  }

  /** Minimized from the random bytes: the JDK's "Input length = 1", in an UncheckedIOException, named neither line nor what. */
  @Test
  void bytesThatAreNotUtf8AreRefusedWithTheirLine() throws Exception {
    Path f = dir.resolve("rules.yaml");
    Files.write(f, new byte[] {'r', 'u', 'l', 'e', 's', ':', '\n', ' ', ' ', '-', ' ', (byte) 0xff, '\n'});
    RuleValidationException e = org.junit.jupiter.api.Assertions.assertThrows(RuleValidationException.class, () -> FileRuleStore.open(f, l -> {}));
    assertEquals(f + ": line 2: (document): not UTF-8 text: byte 0xFF at line 2, column 5 (offset 11)", e.getMessage());
  }

  /** Minimized from the mutations: an alias as a key was reported by SnakeYAML's class name. */
  @Test
  void anAliasAsAKeyIsReportedInYamlsWords() {
    FieldError e = RuleParserTest.onlyError("rules:\n  - name: a\n    *x: 1\n");
    assertEquals("not valid YAML: Expected a field name (Scalar value in YAML), got this instead: the alias *x", e.message());
  }

  /** Minimized from the round trip: a name that looks like a number was written unquoted and refused when read back. */
  @Test
  void aNameThatLooksLikeANumberSurvivesTheFile() throws Exception {
    Path f = dir.resolve("rules.yaml");
    Files.writeString(f, "rules: []\n");
    try (FileRuleStore s = FileRuleStore.open(f, l -> {})) {
      for (String name : List.of("10", "0x1F", "1e3", "017", "1.5")) s.create(FileRuleStoreTest.rule(name, "batch", "^x"), null);
    }
    try (FileRuleStore again = FileRuleStore.open(f, l -> {})) {
      assertEquals(List.of("10", "0x1F", "1e3", "017", "1.5"), again.current().rules().stream().map(Rule::name).toList());
    }
  }
}
