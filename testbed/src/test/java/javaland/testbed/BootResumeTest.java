package javaland.testbed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which scenarios a crashed boot leaves for the next one, and when to stop booting. */
class BootResumeTest {
  private static final JsonNode RESULT = JsonNodeFactory.instance.objectNode().put("scenario", "x");
  private static final List<String> ALL = List.of("smoke", "fidelity", "kill", "bench");

  private static BootOutcome crashedDuring(String scenario, Set<String> finished) {
    Map<String, JsonNode> results = new HashMap<>();
    for (String s : finished) results.put(s, RESULT);
    return new BootOutcome(results, "Oops: int3: 0000 [#1] SMP NOPTI", scenario, finished, false, false, 3.6, 55, 0,
        Path.of("console.log"));
  }

  @Test
  void aCrashLeavesTheScenarioItHitAndThoseAfterIt() {
    BootOutcome o = crashedDuring("fidelity", Set.of("smoke"));
    assertEquals(List.of("fidelity", "kill", "bench"), o.unfinished(ALL));
    assertEquals(null, o.crashAffecting("smoke"), "smoke finished before the crash: its result stands");
    assertTrue(o.retryReason(ALL).startsWith("guest crash during fidelity"));
  }

  @Test
  void aCleanBootLeavesNothing() {
    Map<String, JsonNode> results = new HashMap<>();
    for (String s : ALL) results.put(s, RESULT);
    BootOutcome o = new BootOutcome(results, null, null, Set.copyOf(ALL), false, true, 3.6, 400, 0, Path.of("c.log"));
    assertEquals(List.of(), o.unfinished(ALL));
    assertEquals(null, o.retryReason(ALL));
  }

  @Test
  void bootAgainOnceAlwaysThenAfterProgressOrACrashAndNeverPastTheLimit() {
    assertTrue(VmTestBed.nextBoot(true, 1, 4, 4, false), "a first boot that timed out still gets a second");
    assertTrue(VmTestBed.nextBoot(true, 1, 4, 3, true));
    assertTrue(VmTestBed.nextBoot(true, 2, 3, 2, false), "boot 2 finished one: a third for the rest");
    assertTrue(VmTestBed.nextBoot(true, 2, 1, 1, true), "boot 2 crashed in its only scenario: the race is random, try once more");
    assertTrue(VmTestBed.nextBoot(true, 4, 1, 1, true), "crashes come in bursts on a busy host: a fifth boot after a fourth crash");
    assertFalse(VmTestBed.nextBoot(true, 2, 3, 3, false), "boot 2 finished nothing and did not crash (a hang): stop");
    assertFalse(VmTestBed.nextBoot(true, VmTestBed.MAX_BOOTS, 2, 1, true), "never past the limit");
    assertFalse(VmTestBed.nextBoot(false, 1, 4, 4, true), "--no-retry");
    assertFalse(VmTestBed.nextBoot(true, 1, 4, 0, true), "nothing left");
  }

  @Test
  void timingScenariosBootApartWithParallelVcpusTheRestSingleThreaded() {
    var groups = VmTestBed.groupByTcg(List.of("smoke", "kill", "bench", "rules", "canary", "fidelity"), TcgThreads.AUTO);
    assertEquals(List.of(TcgThreads.SINGLE, TcgThreads.MULTI), List.copyOf(groups.keySet()), "first mode first");
    assertEquals(List.of("smoke", "kill", "canary"), groups.get(TcgThreads.SINGLE));
    assertEquals(List.of("bench", "rules", "fidelity"), groups.get(TcgThreads.MULTI));
    assertEquals(Map.of(TcgThreads.MULTI, List.of("fidelity", "smoke")),
        VmTestBed.groupByTcg(List.of("fidelity", "smoke"), TcgThreads.MULTI), "a forced mode: one boot, order kept");
  }

  @Test
  void tcgModesParseAndNameTheirQemuFlag() {
    assertEquals("tcg,thread=single", TcgThreads.parse(" Single ").qemuAccel());
    assertEquals("tcg,thread=multi", TcgThreads.AUTO.forScenario("bench").qemuAccel());
    assertEquals(TcgThreads.SINGLE, TcgThreads.AUTO.forScenario("kill"));
    var e = assertThrows(IllegalArgumentException.class, () -> TcgThreads.parse("mttcg"));
    assertTrue(e.getMessage().contains("'mttcg'") && e.getMessage().contains("auto, single, multi"), e.getMessage());
    assertThrows(IllegalStateException.class, TcgThreads.AUTO::qemuAccel);
  }
}
