package javaland.learner.classes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javaland.api.TaskProfile;
import javaland.api.TaskProfiles;
import org.junit.jupiter.api.Test;

class ClassProposerTest {
  private static final long S = 1_000_000_000L;

  private static Map<Integer, ClassProposal> byTgid(List<ClassProposal> ps) {
    return ps.stream().collect(Collectors.toMap(ClassProposal::tgid, p -> p));
  }

  @Test
  void eachKindGetsItsClassWithTheFiguresItWasChosenOn() {
    TaskProfiles before = new TaskProfiles(0, 4, 0, List.of());
    TaskProfiles after = new TaskProfiles(2 * S, 4, 0, List.of(
        // 200 wakeups/s, 100 us each, never preempted
        new TaskProfile(10, 10, "probe", 100, 400, 400, 0, 400, 40_000_000L),
        // 50 wakeups/s, 4 ms each: interactive, not latency-critical
        new TaskProfile(11, 11, "editor", 100, 100, 110, 10, 100, 400_000_000L),
        // never wakes, a whole CPU, preempted every time
        new TaskProfile(12, 12, "hog", 100, 0, 500, 500, 0, 2 * S),
        new TaskProfile(13, 13, "nicehog", 25, 0, 300, 300, 0, S),
        // sleeps: nothing to say
        new TaskProfile(14, 14, "idle", 100, 1, 1, 0, 1, 10_000L),
        // a process of two threads: summed
        new TaskProfile(20, 20, "server", 100, 100, 100, 0, 100, 10_000_000L),
        new TaskProfile(21, 20, "server-w", 100, 100, 100, 0, 100, 10_000_000L)));
    Map<Integer, ClassProposal> p = byTgid(new ClassProposer().propose(before, after));
    assertEquals("latency-critical", p.get(10).taskClass());
    assertEquals(200.0, p.get(10).evidence().get("wakeups_per_s"), 1e-9);
    assertEquals(100.0, p.get(10).evidence().get("run_per_wakeup_us"), 1e-9);
    assertTrue(p.get(10).reason().contains("200 wakeups/s"), p.get(10).reason());
    assertEquals("interactive", p.get(11).taskClass());
    assertEquals("batch", p.get(12).taskClass());
    assertEquals(1.0, p.get(12).evidence().get("cpu_share"), 1e-9);
    assertEquals(1.0, p.get(12).evidence().get("involuntary_fraction"), 1e-9);
    assertEquals("background", p.get(13).taskClass());
    assertEquals(25.0, p.get(13).evidence().get("weight"), 1e-9);
    assertEquals(null, p.get(14));
    assertEquals("latency-critical", p.get(20).taskClass());
    assertEquals("server", p.get(20).comm());
    assertEquals(2.0, p.get(20).evidence().get("threads"), 1e-9);
    assertEquals(100.0, p.get(20).evidence().get("wakeups_per_s"), 1e-9);
  }

  @Test
  void theLearnersOwnProcessIsLeftOut() {
    TaskProfiles before = new TaskProfiles(0, 2, 0, List.of());
    TaskProfiles after = new TaskProfiles(2 * S, 2, 0, List.of(
        new TaskProfile(30, 30, "learner", 100, 0, 500, 500, 0, 2 * S),
        new TaskProfile(31, 30, "C1 CompilerThre", 100, 0, 500, 500, 0, S),
        new TaskProfile(40, 40, "learner", 100, 0, 500, 500, 0, 2 * S)));
    assertEquals(java.util.Set.of(30, 40), byTgid(new ClassProposer().propose(before, after)).keySet());
    assertEquals(java.util.Set.of(40), byTgid(new ClassProposer().withoutProcess(30).propose(before, after)).keySet());
  }

  @Test
  void onlyTheWindowCountsAndAnExecStartsOver() {
    // Before the window the probe was a hog; in the window it wakes often and runs briefly.
    TaskProfiles before = new TaskProfiles(10 * S, 4, 0, List.of(
        new TaskProfile(10, 10, "probe", 100, 0, 1000, 1000, 0, 10 * S),
        new TaskProfile(11, 11, "sh", 100, 5, 5, 0, 5, 1000L)));
    TaskProfiles after = new TaskProfiles(12 * S, 4, 0, List.of(
        new TaskProfile(10, 10, "probe", 100, 400, 1400, 1000, 400, 10 * S + 40_000_000L),
        // exec'd into a hog: its counters are its new image's
        new TaskProfile(11, 11, "hog", 100, 0, 200, 200, 0, 2 * S)));
    Map<Integer, ClassProposal> p = byTgid(new ClassProposer().propose(before, after));
    assertEquals("latency-critical", p.get(10).taskClass());
    assertEquals(0.0, p.get(10).evidence().get("involuntary_fraction"), 1e-9);
    assertEquals("batch", p.get(11).taskClass());
  }

  @Test
  void aWindowTooShortProposesNothing() {
    TaskProfiles before = new TaskProfiles(0, 4, 0, List.of());
    TaskProfiles after = new TaskProfiles(S / 10, 4, 0, List.of(new TaskProfile(12, 12, "hog", 100, 0, 500, 500, 0, S / 10)));
    assertTrue(new ClassProposer().propose(before, after).isEmpty());
  }

  /** A class by command name would apply to every process of that name: interpreters and shells get none. */
  @Test
  void aCommandNameManyProcessesShareGetsNoProposal() {
    TaskProfiles before = new TaskProfiles(0, 4, 0, List.of());
    TaskProfiles after = new TaskProfiles(2 * S, 4, 0, List.of(
        new TaskProfile(10, 10, "java", 100, 0, 500, 500, 0, 2 * S),
        new TaskProfile(11, 11, "python3", 100, 400, 400, 0, 400, 40_000_000L),
        new TaskProfile(12, 12, "sh", 100, 0, 500, 500, 0, 2 * S),
        new TaskProfile(13, 13, "hog", 100, 0, 500, 500, 0, 2 * S)));
    Map<Integer, ClassProposal> p = byTgid(new ClassProposer().propose(before, after));
    assertEquals(List.of(13), List.copyOf(p.keySet()), p.toString());
    assertEquals("batch", p.get(13).taskClass());
  }
}
