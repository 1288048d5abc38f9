package javaland.runtime.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.atomic.AtomicLong;
import javaland.runtime.kernel.TaskInfo;
import javaland.sdk.TaskClass;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LearnedClassStoreTest {
  private final List<String> log = new ArrayList<>();

  private static TaskInfo task(String comm) {
    return new TaskInfo(42, 42, comm, "/usr/bin/" + comm, "/user.slice", 1000, 1000, 0, 1);
  }

  private static TaskClass classOf(RuleSet rs, String comm) {
    Rule r = rs.firstMatch(task(comm), new AtomicLong());
    return r == null ? null : r.action().taskClass();
  }

  @Test
  void aProposalIsInForceBelowThePersonsRules() {
    LearnedClassStore s = LearnedClassStore.inMemory(log::add);
    RuleSet person = new RuleSet(3, RuleParser.parseYaml("rules.yaml", """
        rules:
          - name: probe-is-batch
            match: {comm: "^probe$"}
            class: batch
        """));
    RuleSet before = s.below(person);
    s.propose("probe", "latency-critical", Map.of("wakeups_per_s", 200.0), "short bursts", "learner via api:token");
    s.propose("hog", "batch", Map.of("cpu_share", 1.0), "cpu-bound", "learner via api:token");
    RuleSet rs = s.below(person);
    assertNotEquals(before.version(), rs.version(), "the classifier must see a new version");
    assertEquals(TaskClass.BATCH, classOf(rs, "probe"), "the person's rule wins");
    assertEquals(TaskClass.BATCH, classOf(rs, "hog"));
    assertNull(classOf(rs, "probe2"), "matches the whole command name only");
    assertTrue(rs.rules().stream().anyMatch(r -> r.name().equals("learned:hog")), rs.rules().toString());
    // Without the person's rule, the learned class applies.
    assertEquals(TaskClass.LATENCY_CRITICAL, classOf(s.below(RuleSet.EMPTY), "probe"));
    assertEquals(200.0, s.list().classes().get(1).evidence().get("wakeups_per_s"));
  }

  @Test
  void rejectTakesItOutAndRefusesItAgainPinKeepsIt() {
    LearnedClassStore s = LearnedClassStore.inMemory(log::add);
    s.propose("probe", "interactive", Map.of(), "r", "learner");
    s.propose("hog", "batch", Map.of(), "r", "learner");
    s.reject("probe", "not ours", "person");
    assertNull(classOf(s.below(RuleSet.EMPTY), "probe"));
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> s.propose("probe", "batch", Map.of(), "r", "learner"));
    assertTrue(e.getMessage().contains("rejected by person"), e.getMessage());
    s.pin("hog", "keep", "person");
    assertThrows(IllegalStateException.class, () -> s.propose("hog", "background", Map.of(), "r", "learner"));
    assertThrows(IllegalStateException.class, () -> s.rollback("hog", "worse", "learner"));
    assertEquals(TaskClass.BATCH, classOf(s.below(RuleSet.EMPTY), "hog"));
    assertThrows(NoSuchElementException.class, () -> s.pin("nobody", "", "person"));
    assertThrows(IllegalArgumentException.class, () -> s.propose("x", "urgent", Map.of(), "r", "learner"));
  }

  /** A class by command name applies to every process of that name: interpreters, shells and wrappers are refused. */
  @Test
  void aCommandNameManyUnrelatedProcessesShareIsRefused() {
    LearnedClassStore s = LearnedClassStore.inMemory(log::add);
    for (String comm : new String[] {"java", "python3", "python3.11", "sh", "bash", "node", "perl", "busybox"}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.propose(comm, "batch", Map.of(), "r", "learner"));
      assertTrue(e.getMessage().contains("'" + comm + "' is the command name of many unrelated processes"), e.getMessage());
    }
    assertEquals(0, s.version(), "nothing recorded");
    for (String comm : new String[] {"redis-server", "javac", "shellcheck", "python-app", "stress-ng-cpu"}) {
      s.propose(comm, "batch", Map.of(), "r", "learner");
    }
    assertEquals(5, s.list().classes().size());
  }

  @Test
  void commitAndRollbackAreTheLearnersVerdict() {
    LearnedClassStore s = LearnedClassStore.inMemory(log::add);
    s.propose("a", "batch", Map.of(), "r", "learner");
    s.commit("a", "better", "learner");
    assertEquals("committed", s.list().classes().get(0).state());
    assertThrows(IllegalStateException.class, () -> s.commit("a", "again", "learner"));
    s.rollback("a", "worse", "learner");
    assertNull(classOf(s.below(RuleSet.EMPTY), "a"));
    assertThrows(NoSuchElementException.class, () -> s.pin("a", "", "person"));
    s.propose("a", "interactive", Map.of(), "r", "learner"); // a rolled-back class may be proposed again
    assertEquals(TaskClass.INTERACTIVE, classOf(s.below(RuleSet.EMPTY), "a"));
  }

  @Test
  void theHistoryIsReplayedAtStartAndATornLastLineIgnored(@TempDir Path dir) throws Exception {
    LearnedClassStore s = LearnedClassStore.open(dir, log::add);
    s.propose("probe", "latency-critical", Map.of("wakeups_per_s", 200.0), "r", "learner");
    s.propose("hog", "batch", Map.of(), "r", "learner");
    s.reject("hog", "no", "person");
    s.pin("probe", "yes", "person");
    Files.writeString(dir.resolve(LearnedClassStore.FILE), "{\"comm\":\"x", java.nio.file.StandardOpenOption.APPEND);
    LearnedClassStore t = LearnedClassStore.open(dir, log::add);
    assertEquals(4, t.version());
    assertEquals(TaskClass.LATENCY_CRITICAL, classOf(t.below(RuleSet.EMPTY), "probe"));
    assertNull(classOf(t.below(RuleSet.EMPTY), "hog"));
    assertThrows(IllegalStateException.class, () -> t.propose("hog", "batch", Map.of(), "r", "learner"));
    assertTrue(log.stream().anyMatch(l -> l.contains(":5: torn last line ignored")), log.toString());
  }
}
