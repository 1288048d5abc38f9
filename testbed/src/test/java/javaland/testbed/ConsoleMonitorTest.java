package javaland.testbed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConsoleMonitorTest {

  private static List<ConsoleMonitor.Event> feed(ConsoleMonitor m, String... lines) {
    List<ConsoleMonitor.Event> all = new ArrayList<>();
    for (String l : lines) all.addAll(m.accept(l));
    return all;
  }

  @Test
  void readsMarkersAndResults() {
    var m = new ConsoleMonitor();
    var events = feed(m,
        "\u001Bc\u001B[?7l\u001B[2JSeaBIOS (version 1.16.2-debian-1.16.2-1)",
        "\u001Bc\u001B[?7l\u001B[2JJL_MARK boot booted uptime_ms=5060 kernel=7.3.4 cpus=2",
        "JL_MARK smoke start",
        "JL_MARK smoke scheduler enabled after 5.1 s (ops=javaland)",
        "JL_RESULT smoke {\"scenario\":\"smoke\",\"state_during\":\"enabled\"}\r",
        "JL_MARK smoke end rc=0 state=disabled",
        "JL_MARK boot done uptime_ms=55450",
        "[   55.444080] reboot: Power down");
    assertTrue(m.booted());
    assertTrue(m.done());
    assertEquals("uptime_ms=5060 kernel=7.3.4 cpus=2", m.bootInfo());
    assertEquals("enabled", m.results().get("smoke").get("state_during").asText());
    assertTrue(m.hasResults(List.of("smoke")));
    assertFalse(m.hasResults(List.of("smoke", "kill")));
    assertNull(m.crash());
    assertEquals(ConsoleMonitor.Kind.BOOTED, events.get(0).kind());
    assertEquals("scheduler enabled after 5.1 s (ops=javaland)", events.get(2).text());
    assertEquals(ConsoleMonitor.Kind.DONE, events.get(events.size() - 1).kind());
  }

  @Test
  void recognisesAnOopsAndWhereItHappened() {
    var m = new ConsoleMonitor();
    feed(m,
        "JL_MARK boot booted uptime_ms=5060",
        "JL_MARK smoke start",
        "JL_RESULT smoke {\"scenario\":\"smoke\"}",
        "JL_MARK smoke end rc=0 state=disabled",
        "JL_MARK kill start",
        "[   40.1] Oops: int3: 0000 [#1] SMP NOPTI",
        "[   40.2] BUG: kernel NULL pointer dereference");
    assertEquals("[   40.1] Oops: int3: 0000 [#1] SMP NOPTI", m.crash());
    assertEquals("kill", m.crashDuring());
    assertEquals(java.util.Set.of("smoke"), m.finishedBeforeCrash());
    var outcome = new BootOutcome(m.results(), m.crash(), m.crashDuring(), m.finishedBeforeCrash(), false, false,
        5, 60, -1, java.nio.file.Path.of("x"));
    assertNull(outcome.crashAffecting("smoke"));
    assertEquals(m.crash(), outcome.crashAffecting("kill"));
    assertTrue(outcome.retryReason(List.of("smoke", "kill")).startsWith("guest crash during kill: "));
  }

  @Test
  void otherCrashPatterns() {
    for (String l : List.of("[ 3.0] Kernel panic - not syncing: Attempted to kill init!",
        "[ 3.0] general protection fault, probably for non-canonical address", "[ 3.0] kernel BUG at mm/slub.c:1")) {
      var m = new ConsoleMonitor();
      m.accept(l);
      assertEquals(l, m.crash());
      assertEquals("boot", m.crashDuring());
    }
  }

  @Test
  void aSchedulerErrorExitIsNotACrash() {
    var m = new ConsoleMonitor();
    feed(m,
        "[   15.925124] sched_ext: BPF scheduler \"javaland\" disabled (runnable task stall)",
        "[   15.925202] sched_ext: javaland: stress-ng-cpu[315] failed to run for 5.220s");
    assertNull(m.crash());
  }

  @Test
  void logBlocksAreNeverParsed() {
    var m = new ConsoleMonitor();
    feed(m,
        "JL_LOG_BEGIN smoke.sched.out",
        "BUG: this is the scheduler's own text",
        "JL_RESULT smoke {\"fake\":true}",
        "JL_MARK smoke end",
        "JL_LOG_END smoke.sched.out",
        "JL_RESULT smoke {\"real\":true}");
    assertNull(m.crash());
    assertTrue(m.results().get("smoke").has("real"));
  }

  @Test
  void resultsFromTheSecondSerialPortWin() {
    var m = new ConsoleMonitor();
    var events = feed(m, "JL_RESULT kill {\"a\":1,\"b\":[   12.3] sched_ext: garbled");
    assertEquals(ConsoleMonitor.Kind.BAD_RESULT, events.get(0).kind());
    assertFalse(m.hasResults(List.of("kill")));
    m.acceptResultLines(List.of("JL_RESULT kill {\"a\":1,\"b\":2}\r", "", "noise"));
    assertEquals(2, m.results().get("kill").get("b").asInt());
  }

  @Test
  void missingResultIsARetryReason() {
    var outcome = new BootOutcome(java.util.Map.of(), null, null, java.util.Set.of(), true, false, 5, 900, -1,
        java.nio.file.Path.of("x"));
    assertEquals("no JL_RESULT for smoke (timed out)", outcome.retryReason(List.of("smoke")));
  }
}
