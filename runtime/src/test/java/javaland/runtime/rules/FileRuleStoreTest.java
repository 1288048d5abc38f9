package javaland.runtime.rules;

import javaland.sdk.TaskClass;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import javaland.models.json.JsonCodec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileRuleStoreTest {
  @TempDir
  Path dir;

  final List<String> log = new CopyOnWriteArrayList<>();

  static ObjectNode rule(String name, String cls, String comm) {
    ObjectNode r = JsonCodec.object().put("name", name);
    r.putObject("match").put("comm", comm);
    return r.put("class", cls);
  }

  private FileRuleStore open(Path f) {
    return FileRuleStore.open(f, log::add);
  }

  private Path file(String text) throws Exception {
    Path f = dir.resolve("rules.yaml");
    Files.writeString(f, text);
    return f;
  }

  private static List<String> names(FileRuleStore s) {
    List<String> n = new ArrayList<>();
    for (ObjectNode o : s.list()) n.add(o.path("name").asText());
    return n;
  }

  @Test
  void changesPersistAcrossARestart() throws Exception {
    Path f = file("rules: []\n");
    try (FileRuleStore s = open(f)) {
      s.create(rule("web", "latency-critical", "^nginx"), null);
      s.create(rule("build", "batch", "^cc1$"), null);
      s.create(rule("backup", "background", "^restic"), 0);
      ObjectNode builds = rule("builds", "batch", "^(cc1|rustc)$");
      builds.putObject("slice_us").put("max", 100000);
      s.replace("build", builds);
      s.reorder(List.of("web", "builds", "backup"));
      s.delete("backup");
      assertEquals(7, s.version(), "1 for the load, 1 per change");
    }
    try (FileRuleStore again = open(f)) {
      assertEquals(List.of("web", "builds"), names(again));
      assertEquals(100000, again.get("builds").orElseThrow().path("slice_us").path("max").asInt());
      assertEquals(TaskClass.BATCH, again.current().rules().get(1).action().taskClass());
    }
    assertTrue(Files.readString(f).startsWith(FileRuleStore.HEADER));
    assertFalse(Files.exists(FileRuleStore.tempFile(f)), "no temporary file left after a clean write");
  }

  @Test
  void aWriteKilledHalfwayLeavesThePreviousFileInForce() throws Exception {
    Path f = file("rules:\n  - name: web\n    match: {comm: ^nginx}\n    class: latency-critical\n");
    String before = Files.readString(f);
    // What a kill between write and rename leaves: a partial temporary file beside the real one.
    Files.writeString(FileRuleStore.tempFile(f), "rules:\n  - name: web\n    match: {comm: ^ngi");
    try (FileRuleStore s = open(f)) {
      assertEquals(List.of("web"), names(s));
      assertEquals(before, Files.readString(f));
      // And the next write goes through the same temporary file, replacing the leftover.
      s.create(rule("db", "latency-critical", "^postgres"), null);
    }
    try (FileRuleStore s = open(f)) {
      assertEquals(List.of("web", "db"), names(s));
    }
    assertFalse(Files.exists(FileRuleStore.tempFile(f)));
  }

  @Test
  void aRefusedChangeChangesNothing() throws Exception {
    Path f = file("rules:\n  - name: web\n    match: {comm: ^nginx}\n    class: latency-critical\n");
    String before = Files.readString(f);
    try (FileRuleStore s = open(f)) {
      RuleValidationException bad = assertThrows(RuleValidationException.class,
          () -> s.create(rule("x", "batch", "(a+)+$").put("priority", 1000), null));
      assertEquals(List.of("match.comm", "priority"), bad.errors().stream().map(javaland.models.FieldError::path).sorted().toList());
      assertThrows(IllegalStateException.class, () -> s.create(rule("web", "batch", "^x"), null));
      assertThrows(IllegalStateException.class, () -> {
        s.create(rule("db", "batch", "^pg"), null);
        s.replace("db", rule("web", "batch", "^pg")); // renaming onto an existing name
      });
      assertThrows(NoSuchElementException.class, () -> s.delete("nope"));
      assertThrows(NoSuchElementException.class, () -> s.replace("nope", rule("nope", "batch", "x")));
      assertThrows(RuleValidationException.class, () -> s.reorder(List.of("web")), "db missing");
      assertThrows(RuleValidationException.class, () -> s.reorder(List.of("web", "db", "web")));
      assertThrows(RuleValidationException.class, () -> s.create(rule("z", "batch", "x"), 7));
      assertEquals(List.of("web", "db"), names(s));
      assertEquals(2, s.version());
    }
    assertTrue(Files.readString(f).contains("name: db") && !before.contains("db"));
  }

  @Test
  void aValidEditOnDiskIsAppliedAndLogged() throws Exception {
    Path f = file("rules: []\n");
    try (FileRuleStore s = open(f)) {
      Files.writeString(f, "rules:\n  - name: web\n    match: {comm: ^nginx}\n    class: latency-critical\n");
      assertTrue(s.checkFile());
      assertEquals(2, s.version());
      assertEquals(List.of("web"), names(s));
      assertFalse(s.checkFile(), "nothing changed since");
      assertTrue(log.getLast().contains("reloaded from " + f) && log.getLast().contains("version 2"), log.toString());
    }
  }

  @Test
  void aBadEditOnDiskIsReportedWithFileAndLineAndThePreviousRulesStay() throws Exception {
    Path f = file("rules:\n  - name: web\n    match: {comm: ^nginx}\n    class: latency-critical\n");
    try (FileRuleStore s = open(f)) {
      Files.writeString(f, "rules:\n  - name: web\n    match: {comm: ^nginx}\n    class: latency-critical\n    priority: 1000\n");
      assertFalse(s.checkFile());
      assertEquals(1, s.version());
      assertEquals(0, s.current().rules().getFirst().action().priority());
      String msg = log.getLast();
      assertTrue(msg.contains(f + ": line 5: rules[0].priority: 1000 is out of range"), msg);
      assertTrue(msg.contains("previous rules (version 1) stay in force"), msg);
      int logged = log.size();
      Files.setLastModifiedTime(f, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 5000));
      assertFalse(s.checkFile());
      assertEquals(logged, log.size(), "the same bad text is reported once");
      Files.writeString(f, Files.readString(f) + "\n");
      s.checkFile();
      assertEquals(logged + 1, log.size(), "a different text is checked again");
    }
  }

  @Test
  void theWatcherPicksUpAnEditByItself() throws Exception {
    Path f = file("rules: []\n");
    try (FileRuleStore s = open(f).watch(20)) {
      Files.writeString(f, "rules:\n  - name: bg\n    match: {nice: {min: 10}}\n    class: background\n");
      long until = System.nanoTime() + 5_000_000_000L;
      while (s.version() == 1 && System.nanoTime() < until) Thread.sleep(10);
      assertEquals(2, s.version());
      assertEquals(List.of("bg"), names(s));
    }
  }

  @Test
  void aMissingOrInvalidFileIsRefusedAtStart() throws Exception {
    IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> open(dir.resolve("nope.yaml")));
    assertTrue(missing.getMessage().contains("does not exist"));
    Path f = file("rules:\n  - name: a\n    class: nope\n");
    RuleValidationException e = assertThrows(RuleValidationException.class, () -> open(f));
    assertTrue(e.getMessage().startsWith(f + ": line 3: rules[0].class"), e.getMessage());
  }
}
