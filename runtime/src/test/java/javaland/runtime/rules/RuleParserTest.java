package javaland.runtime.rules;

import javaland.sdk.TaskClass;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import javaland.models.json.JsonCodec;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javaland.models.FieldError;
import javaland.runtime.kernel.TaskBatch;
import javaland.runtime.kernel.TaskInfo;
import org.junit.jupiter.api.Test;

class RuleParserTest {
  static final String GOOD = """
      rules:
        - name: databases
          match:
            any:
              - comm: "^(nginx|postgres)"
              - cgroup: /system.slice/postgresql
          class: latency-critical
          priority: 10
          cpus: "0-3,6"
        - name: backup
          match: {cgroup: /system.slice/backup.service}
          class: background
        - name: builds
          match:
            all:
              - uid: [1000, 1001]
              - any:
                  - comm: "^(cc1|rustc|javac)$"
                  - exe: "/usr/bin/make$"
          class: batch
          slice_us: {min: 20000, max: 100000}
        - name: niced
          match: {nice: {min: 10}}
          class: background
      """;

  static TaskInfo task(String comm, String exe, String cgroup, int uid, int nice) {
    return new TaskInfo(4242, 4242, comm, exe, cgroup, uid, uid, nice, 1);
  }

  /** The single error of parsing {@code yaml}. */
  static FieldError onlyError(String yaml) {
    RuleValidationException e = assertThrows(RuleValidationException.class, () -> RuleParser.parseYaml("rules.yaml", yaml));
    assertEquals(1, e.errors().size(), e.getMessage());
    assertTrue(e.getMessage().startsWith("rules.yaml: line "), e.getMessage());
    return e.errors().getFirst();
  }

  static void assertError(FieldError e, String path, int line, String words) {
    assertEquals(path, e.path(), e.toString());
    assertEquals(line, e.line(), e.toString());
    assertTrue(e.message().contains(words), e.toString());
  }

  @Test
  void theDocumentedExampleParses() {
    List<Rule> rules = RuleParser.parseYaml("rules.yaml", GOOD);
    assertEquals(List.of("databases", "backup", "builds", "niced"), rules.stream().map(Rule::name).toList());
    Rule.Action db = rules.get(0).action();
    assertEquals(TaskClass.LATENCY_CRITICAL, db.taskClass());
    assertEquals(10, db.priority());
    assertEquals(0b1001111L, db.preferredCpus()[0]);
    assertEquals(20_000_000L, rules.get(2).action().sliceMinNs());
    assertEquals(100_000_000L, rules.get(2).action().sliceMaxNs());
    assertEquals("^(nginx|postgres)", rules.get(0).json().path("match").path("any").path(0).path("comm").asText());
  }

  @Test
  void firstMatchWinsInOrder() {
    RuleSet rs = new RuleSet(1, RuleParser.parseYaml("r", GOOD));
    AtomicLong regex = new AtomicLong();
    assertEquals("databases", rs.firstMatch(task("nginx", "/usr/sbin/nginx", "/system.slice/nginx.service", 0, 0), regex).name());
    // in the backup cgroup AND niced: backup comes first
    assertEquals("backup", rs.firstMatch(task("restic", "", "/system.slice/backup.service", 0, 15), regex).name());
    assertEquals("niced", rs.firstMatch(task("restic", "", "/user.slice", 0, 15), regex).name());
    assertNull(rs.firstMatch(task("bash", "/bin/bash", "/user.slice", 1000, 0), regex));
    // Reordered, the other rule wins.
    List<Rule> r = RuleParser.parseYaml("r", GOOD);
    RuleSet swapped = new RuleSet(2, List.of(r.get(3), r.get(1)));
    assertEquals("niced", swapped.firstMatch(task("restic", "", "/system.slice/backup.service", 0, 15), regex).name());
  }

  @Test
  void allAndAnyNest() {
    RuleSet rs = new RuleSet(1, RuleParser.parseYaml("r", GOOD));
    AtomicLong regex = new AtomicLong();
    // all: uid in [1000,1001] and (comm or exe)
    assertEquals("builds", rs.firstMatch(task("rustc", "/usr/bin/rustc", "/user.slice", 1000, 0), regex).name());
    assertEquals("builds", rs.firstMatch(task("make", "/usr/bin/make", "/user.slice", 1001, 0), regex).name());
    assertNull(rs.firstMatch(task("rustc", "/usr/bin/rustc", "/user.slice", 0, 0), regex), "uid does not match");
    assertNull(rs.firstMatch(task("rustc-wrapper", "/x", "/user.slice", 1000, 0), regex), "comm anchored with $");
    assertTrue(regex.get() > 0);
    // A mapping with several keys is their 'all'.
    Rule both = RuleParser.parseJson((ObjectNode) JsonCodec.readTree("{\"name\":\"b\",\"class\":\"batch\",\"match\":{\"comm\":\"^x\",\"uid\":7}}"), "");
    assertTrue(both.matches(task("xz", "", "", 7, 0), regex));
    assertTrue(!both.matches(task("xz", "", "", 8, 0), regex));
  }

  @Test
  void unknownKeysNameTheirPathAndLine() {
    assertError(onlyError("""
        rules:
          - name: a
            class: batch
            colour: red
        """), "rules[0].colour", 4, "unknown key");
    assertError(onlyError("""
        rules:
          - name: a
            class: batch
            match:
              any:
                - comm: x
                - command: y
        """), "rules[0].match.any[1].command", 7, "unknown key");
    assertError(onlyError("rule:\n  - name: a\n"), "rule", 1, "unknown key");
  }

  @Test
  void wrongTypesNameTheirPathAndLine() {
    assertError(onlyError("""
        rules:
          - name: a
            class: batch
            priority: high
        """), "rules[0].priority", 4, "expected an integer, got the string 'high'");
    assertError(onlyError("""
        rules:
          - name: a
            class: batch
            match:
              uid: [1000, "root"]
        """), "rules[0].match.uid[1]", 5, "expected an integer");
    assertError(onlyError("rules: {name: a}\n"), "rules", 1, "expected a list of rules");
    assertError(onlyError("""
        rules:
          - name: a
            class: [batch]
        """), "rules[0].class", 3, "expected a string, got a list");
  }

  @Test
  void outOfRangeValuesNameTheirPathAndLine() {
    assertError(onlyError("""
        rules:
          - name: a
            class: batch
            priority: 500
        """), "rules[0].priority", 4, "500 is out of range (-100..100)");
    assertError(onlyError("""
        rules:
          - name: a
            class: batch
            slice_us:
              min: 10
        """), "rules[0].slice_us.min", 5, "out of range (50..100000)");
    assertError(onlyError("""
        rules:
          - name: a
            class: batch
            slice_us: {min: 5000, max: 1000}
        """), "rules[0].slice_us.min", 4, "greater than max");
    assertError(onlyError("""
        rules:
          - name: a
            match: {nice: 30}
            class: batch
        """), "rules[0].match.nice", 3, "out of range (-20..19)");
    assertError(onlyError("""
        rules:
          - name: a
            class: batch
            cpus: "0-3,9000"
        """), "rules[0].cpus", 4, "CPU 9000 is out of range");
    assertError(onlyError("""
        rules:
          - name: a
            class: urgent
        """), "rules[0].class", 3, "not a class; expected one of latency-critical, interactive, batch, background");
  }

  @Test
  void invalidRegexesNameTheirPathAndLine() {
    assertError(onlyError("""
        rules:
          - name: a
            class: batch
            match:
              comm: "nginx("
        """), "rules[0].match.comm", 5, "invalid regex");
  }

  @Test
  void catastrophicRegexesAreRefusedStatically() {
    assertError(onlyError("""
        rules:
          - name: a
            class: batch
            match:
              exe: "^(a+)+$"
        """), "rules[0].match.exe", 5, "catastrophic regex (static check): '(a+)+'");
    assertTrue(Regexes.nestedQuantifier("(\\w*x?)*y").isPresent());
    assertTrue(Regexes.nestedQuantifier("((ab)+c)*").isPresent());
    assertTrue(Regexes.nestedQuantifier("^(a{1,30}){1,30}$").isPresent(), "large counted repetitions nest too");
    assertTrue(Regexes.nestedQuantifier("^(\\d{1,3}\\.){3}\\d{1,3}$").isEmpty(), "small counts are harmless");
    assertTrue(Regexes.nestedQuantifier("^(nginx|postgres)+$").isEmpty(), "alternation of literals repeated is fine");
    assertTrue(Regexes.nestedQuantifier("(a+)++").isEmpty(), "possessive: no backtracking");
    assertTrue(Regexes.nestedQuantifier("[(a+)]+").isEmpty(), "inside a class, parentheses are characters");
    assertTrue(Regexes.nestedQuantifier("\\(a+\\)+").isEmpty(), "escaped parentheses are characters");
  }

  @Test
  void catastrophicRegexesTheStaticCheckMissesFailTheBoundedMatchTest() {
    // Exponential in Java through the backreference, with no nested quantifier to see.
    assertTrue(Regexes.nestedQuantifier("^(a|aa)+\\1$").isEmpty(), "no nested quantifier here");
    FieldError e = onlyError("""
        rules:
          - name: a
            class: batch
            match:
              comm: '^(a|aa)+\\1$'
        """);
    assertError(e, "rules[0].match.comm", 5, "catastrophic regex (bounded match test)");
    // Ordinary patterns pass the probe.
    assertNotNull(Regexes.compile("^(nginx|postgres|redis-server)$"));
    assertNotNull(Regexes.compile("^/usr/(s?bin)/.*\\.sh$"));
  }

  @Test
  void namesAreRequiredAndUnique() {
    assertError(onlyError("""
        rules:
          - name: a
            class: batch
          - name: a
            class: background
        """), "rules[1].name", 4, "already the name of rules[0]");
    assertError(onlyError("""
        rules:
          - class: batch
        """), "rules[0].name", 2, "required");
  }

  @Test
  void yamlSyntaxErrorsHaveALine() {
    FieldError e = onlyError("rules:\n  - name: a\n    class: [batch\n");
    assertTrue(e.line() >= 3, e.toString());
    assertTrue(e.message().startsWith("not valid YAML"), e.toString());
  }

  @Test
  void everyErrorOfAFileIsReportedAtOnce() {
    RuleValidationException e = assertThrows(RuleValidationException.class, () -> RuleParser.parseYaml("f", """
        rules:
          - name: a
            class: batch
            priority: 1000
          - name: b
            class: nope
            match: {comm: "("}
        """));
    assertEquals(List.of("rules[0].priority", "rules[1].match.comm", "rules[1].class"),
        e.errors().stream().map(FieldError::path).toList(), e.getMessage());
    assertEquals(List.of(4, 7, 6), e.errors().stream().map(FieldError::line).toList());
  }

  @Test
  void jsonBodiesGetPathsWithoutLines() {
    RuleValidationException e = assertThrows(RuleValidationException.class,
        () -> RuleParser.parseJson((ObjectNode) JsonCodec.readTree("{\"name\":\"a\",\"class\":\"batch\",\"priority\":\"x\"}"), ""));
    assertError(e.errors().getFirst(), "priority", 0, "expected an integer");
  }

  @Test
  void anEmptyFileHasNoRules() {
    assertEquals(List.of(), RuleParser.parseYaml("f", ""));
    assertEquals(List.of(), RuleParser.parseYaml("f", "rules: []\n"));
  }

  @Test
  void everyExampleInTheDocumentationIsValid() throws Exception {
    String doc = java.nio.file.Files.readString(java.nio.file.Path.of("..", "docs", "rules.md"));
    var blocks = java.util.regex.Pattern.compile("```yaml\n(.*?)```", java.util.regex.Pattern.DOTALL).matcher(doc);
    int n = 0;
    while (blocks.find()) {
      assertTrue(RuleParser.parseYaml("docs/rules.md", blocks.group(1)).size() >= 1);
      n++;
    }
    assertEquals(2, n, "yaml blocks in docs/rules.md");
    RuleSet rs = new RuleSet(1, RuleParser.parseYaml("docs", doc.substring(doc.indexOf("## Example"))
        .replaceAll("(?s)^.*?```yaml\n(.*?)```.*$", "$1")));
    AtomicLong regex = new AtomicLong();
    assertEquals("web-and-db", rs.firstMatch(task("postgres", "/usr/lib/postgresql/bin/postgres", "/system.slice/postgresql.service", 0, 0), regex).name());
    assertEquals("backup", rs.firstMatch(task("restic", "/usr/bin/restic", "/system.slice/backup.service", 0, 15), regex).name());
    assertEquals("builds", rs.firstMatch(task("rustc", "/usr/bin/rustc", "/user.slice", 1001, 0), regex).name());
    assertNull(rs.firstMatch(task("rustc", "/usr/bin/rustc", "/user.slice", 1000, 0), regex));
  }

  @Test
  void classesMapToTheBatchConstants() {
    assertEquals(TaskClass.LATENCY_CRITICAL.id(), TaskClass.LATENCY_CRITICAL.id());
    assertEquals(TaskClass.BACKGROUND.id(), TaskClass.BACKGROUND.id());
  }
}
