package javaland.testbed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class FidelityRulesTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final PassRules.Context CTX = PassRules.Context.of("7.3.4+deb13-cloud-amd64");

  private static ObjectNode guest(double measuredP50, double measuredP90, double replayedP50, double replayedP90,
      long events, long lost) throws Exception {
    return (ObjectNode) JSON.readTree("""
        {"scenario":"fidelity","enable_ms":25000,"was_enabled":true,"workload_exit_code":0,"workload_ms":15500,
         "exit_code":0,"state_after":"disabled","trace_bytes":2400000,"replay_exit_code":0,"replay_ms":30000,"guest_hz":250,
         "stats":{"exit_kind":64,"exit_reason":"unregistered from user space",
                  "sched_delay_us":{"all":{"count":40000,"p50":%s,"p90":%s,"p99":90000}},
                  "record":{"file":"/tmp/fidelity.jlt","events":%d,"lost_events":%d,"tasks":40,
                            "slices":{"runs":8000,"preempted":6500,"beyond_us_p50":1900,"beyond_us_p90":3500}}},
         "replay":{"tasks":40,"events":%d,"lost_events":%d,"trace_delay_us":{"count":39500,"p50":%s,"p90":%s},
                   "delay_us":{"count":39000,"p50":%s,"p90":%s,"p99":50000}}}"""
        .formatted(measuredP50, measuredP90, events, lost, events, lost, measuredP50 * 0.95, measuredP90 * 0.9,
            replayedP50, replayedP90));
  }

  private static ScenarioResult eval(ObjectNode g) {
    return PassRules.evaluate("fidelity", g, CTX);
  }

  @Test
  void aReplayWithinTheFactorPasses() throws Exception {
    ScenarioResult r = eval(guest(800, 6000, 1100, 4500, 300_000, 0));
    assertTrue(r.pass(), r::toJson);
  }

  @Test
  void aDelayOffByMoreThanTheFactorFailsEitherWay() throws Exception {
    assertEquals(List.of("delay_p50_within_factor"), eval(guest(800, 6000, 800 * 1.6, 6000, 300_000, 0)).failedChecks());
    assertEquals(List.of("delay_p90_within_factor"), eval(guest(800, 6000, 800, 6000 / 1.6, 300_000, 0)).failedChecks());
  }

  @Test
  void tooManyLostEventsOrNoReplayFail() throws Exception {
    assertEquals(List.of("trace_recorded"), eval(guest(800, 6000, 800, 6000, 100_000, 2_000)).failedChecks());
    ObjectNode g = guest(800, 6000, 800, 6000, 100_000, 0);
    g.put("replay_exit_code", 2);
    g.putNull("replay");
    List<String> failed = eval(g).failedChecks();
    assertTrue(failed.containsAll(List.of("replay_ran", "delay_p50_within_factor", "delay_p90_within_factor")), failed::toString);
  }

  @Test
  void aTraceThatDisagreesWithTheKernelsHistogramFails() throws Exception {
    ObjectNode g = guest(800, 6000, 1100, 4500, 300_000, 0);
    ((ObjectNode) g.path("replay").path("trace_delay_us")).put("p90", 6000 / 1.6);
    assertEquals(List.of("trace_matches_kernel"), eval(g).failedChecks());
    ((ObjectNode) g.path("replay")).remove("trace_delay_us");
    assertEquals(List.of("trace_matches_kernel"), eval(g).failedChecks(), "an older replay without it");
  }

  @Test
  void runsThatOutlivedTheirSlicesByMoreThanATickFailTheRunNotTheReplay() throws Exception {
    ObjectNode g = guest(125_000, 168_000, 72_000, 88_000, 300_000, 0); // a busy host: measured, then replayed
    ((ObjectNode) g.path("stats").path("record").path("slices")).put("beyond_us_p90", 5700);
    ScenarioResult r = eval(g);
    assertTrue(r.failedChecks().contains("slices_end_at_ticks"), r::toJson);
    assertTrue(r.toJson().contains("runs outlived their slices"), r::toJson);
    ((ObjectNode) g.path("stats").path("record")).remove("slices");
    assertTrue(eval(g).failedChecks().contains("slices_end_at_ticks"), "no figures: cannot tell");
    g = guest(800, 6000, 1100, 4500, 300_000, 0);
    g.remove("guest_hz");
    assertEquals(List.of("slices_end_at_ticks"), eval(g).failedChecks(), "no HZ: cannot tell");
  }

  @Test
  void subMicrosecondDelaysCountAsOneMicrosecond() {
    assertTrue(FidelityRules.within("x", "p50", 0.0, 1.4).pass());
    assertFalse(FidelityRules.within("x", "p50", 0.0, 1.6).pass());
  }
}
