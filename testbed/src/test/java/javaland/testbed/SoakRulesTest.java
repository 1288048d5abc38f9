package javaland.testbed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;

/** The soak benchmark's verdicts from fixed sample series: a flat run passes, each kind of growth fails its own check. */
class SoakRulesTest {
  private static final ObjectMapper M = new ObjectMapper();
  private static final int N = 31; // 30 minutes, a sample a minute, both ends

  /** A flat run: RSS, heap floor and direct memory steady, losses a steady 0.2 % of the queued tasks. */
  private static ObjectNode run(BiConsumer<Integer, ObjectNode> tweak) throws Exception {
    ObjectNode g = (ObjectNode) M.readTree("""
        {"scenario":"soak","ops":"javaland","state_during":"enabled","enable_seq":1,"soak_min":30,"sample_s":60,
        "learner_restarts":1,"exit_code":0,"state_after":"disabled","kernel_log":[],
        "runs":{"cpu":{"runs":3,"failed":0,"first_rc":null},"sleepers":{"runs":3,"failed":0,"first_rc":null},
        "hackbench":{"runs":40,"failed":0,"first_rc":null},"server":{"runs":20,"failed":0,"first_rc":null},
        "hogs":{"runs":3,"failed":0,"first_rc":null}},
        "stats":{"exit_kind":64,"stall_exits":0}}""");
    ArrayNode a = g.putArray("samples");
    for (int i = 0; i < N; i++) {
      long queued = 100_000L * i;
      ObjectNode s = a.addObject()
          .put("t", 60 * i).put("state", "enabled").put("enable_seq", 1).put("attached", true)
          // a sawtooth of the young generation on a 30 MB floor; RSS wobbling by 1 MB
          .put("sched_rss_kib", 200_000 + (i % 3) * 1024).put("learner_rss_kib", 300_000 + (i % 2) * 2048)
          .put("heap_kib", 30_000 + (i % 4) * 9_000).put("direct_kib", 512)
          .put("queued", queued).put("fallbacks", queued / 500).put("ring_full", 0).put("dropped_decisions", 0)
          .put("delay_p99_us", 900).put("commits", i / 5).put("rollbacks", i / 7);
      tweak.accept(i, s);
    }
    return g;
  }

  private static List<String> failed(JsonNode g) {
    return PassRules.checks("soak", g, null, null).stream().filter(c -> !c.pass()).map(Check::name).toList();
  }

  @Test
  void aFlatRunPasses() throws Exception {
    ObjectNode g = run((i, s) -> {});
    assertEquals(List.of(), failed(g));
    var r = PassRules.evaluate("soak", g, PassRules.Context.of("7.3"));
    assertTrue(r.pass());
    assertEquals(N, r.figures().get("samples").asInt());
    assertEquals(7, r.figures().get("warmup_samples").asInt()); // ceil(31 * 0.2)
    assertEquals(0.0, r.figures().get("direct_mb").get("slope_mb_per_10min").asDouble(), 1e-9);
  }

  @Test
  void warmUpGrowthIsNotJudged() throws Exception {
    // the first 7 samples climb by 40 MB (JIT, class loading), then the run is flat
    ObjectNode g = run((i, s) -> s.put("sched_rss_kib", 160_000 + Math.min(i, 6) * 6_800));
    assertEquals(List.of(), failed(g));
  }

  @Test
  void aSlowRssLeakFailsItsSlope() throws Exception {
    // 3 MB per 10 minutes: too little for the x1.2 step check over 30 minutes, caught by the slope
    ObjectNode g = run((i, s) -> s.put("sched_rss_kib", 200_000 + i * 307));
    assertEquals(List.of("sched_rss_bounded"), failed(g));
  }

  @Test
  void aLearnerStepFailsTheLastSampleBound() throws Exception {
    // flat but for a 100 MB step in the last sample: the slope of the second half is large too
    ObjectNode g = run((i, s) -> { if (i == N - 1) s.put("learner_rss_kib", 400_000); });
    assertEquals(List.of("learner_rss_bounded"), failed(g));
  }

  @Test
  void aRisingHeapFloorFails() throws Exception {
    // what survives collections grows by 1.5 MB a minute: the second half's floor is 18 MB higher
    ObjectNode g = run((i, s) -> s.put("heap_kib", 30_000 + i * 1536 + (i % 4) * 9_000));
    assertEquals(List.of("heap_floor_bounded"), failed(g));
  }

  @Test
  void growingDirectMemoryFails() throws Exception {
    ObjectNode g = run((i, s) -> s.put("direct_kib", 512 + i * 200));
    assertEquals(List.of("direct_bounded"), failed(g));
  }

  @Test
  void growingLossesFailButASmallShareDoesNot() throws Exception {
    // the second half loses 5 % of the queued tasks to the ring, the first 0.2 %
    ObjectNode g = run((i, s) -> s.put("ring_full", i <= 19 ? 0 : (i - 19) * 5_000L));
    assertEquals(List.of("losses_not_growing"), failed(g));
    // 0.57 % in the second half, nearly three times the first's but under the 1 % floor
    ObjectNode small = run((i, s) -> s.put("dropped_decisions", i <= 19 ? 0 : (i - 19) * 400L));
    assertEquals(List.of(), failed(small));
  }

  @Test
  void anUnloadAndRestartFails() throws Exception {
    // enabled in every sample, but enable_seq moved: the kernel unloaded it and run attached again
    ObjectNode g = run((i, s) -> { if (i >= 12) s.put("enable_seq", 2); });
    assertEquals(List.of("no_unload"), failed(g));
    ObjectNode off = run((i, s) -> { if (i == 3) s.put("state", "disabled"); });
    assertEquals(List.of("no_unload"), failed(off));
  }

  @Test
  void aDeadOrRestartedLearnerFails() throws Exception {
    ObjectNode g = run((i, s) -> { if (i > 20) s.putNull("learner_rss_kib"); });
    assertTrue(failed(g).contains("learner_ran"));
    ObjectNode twice = run((i, s) -> {});
    twice.put("learner_restarts", 2);
    assertEquals(List.of("learner_ran"), failed(twice));
  }

  @Test
  void aFailedOrMissingWorkloadFails() throws Exception {
    ObjectNode g = run((i, s) -> {});
    ((ObjectNode) g.get("runs").get("hackbench")).put("failed", 1).put("first_rc", 137);
    assertEquals(List.of("workloads_exit_0"), failed(g));
    ObjectNode none = run((i, s) -> {});
    ((ObjectNode) none.get("runs")).remove("server");
    assertEquals(List.of("workloads_exit_0"), failed(none));
  }

  @Test
  void aSampleTheApiDidNotAnswerIsSkippedButNotMany() throws Exception {
    // one sample without /status and /metrics figures (its requests timed out): judged on the others
    ObjectNode one = run((i, s) -> { if (i == 20) s.putNull("heap_kib").putNull("direct_kib").putNull("queued"); });
    assertEquals(List.of(), failed(one));
    // a third of them: the API is not answering, whatever the memory did
    ObjectNode many = run((i, s) -> { if (i % 3 == 0) s.putNull("heap_kib").putNull("queued"); });
    assertEquals(List.of("samples_answered"), failed(many));
  }

  @Test
  void aShortRunFailsCoverage() throws Exception {
    ObjectNode g = run((i, s) -> {});
    ArrayNode a = (ArrayNode) g.get("samples");
    while (a.size() > 20) a.remove(a.size() - 1);
    assertEquals(List.of("samples_cover_run"), failed(g));
  }

  @Test
  void leastSquaresSlopeIsInMbPerTenMinutes() throws Exception {
    // 1024 KiB a minute is 10 MB per 10 minutes
    ArrayNode a = M.createArrayNode();
    for (int i = 0; i < 5; i++) a.addObject().put("t", 60 * i).put("x", 1024 * i);
    List<JsonNode> s = List.of(a.get(0), a.get(1), a.get(2), a.get(3), a.get(4));
    assertEquals(10.0, SoakRules.slopeMbPer10Min(s, "x"), 1e-9);
    assertTrue(Double.isNaN(SoakRules.slopeMbPer10Min(s.subList(0, 1), "x")));
  }

  @Test
  void aSoakBootGetsTimeForItsMinutes() {
    VmOptions o = VmOptions.of(List.of("soak"), java.nio.file.Path.of("x.jar")).withVmDir(java.nio.file.Path.of("/tmp"));
    assertEquals(java.time.Duration.ofMinutes(55), o.bootTimeout(List.of("soak"))); // 30 by default, + 25
    assertEquals(java.time.Duration.ofMinutes(15), o.bootTimeout(List.of("smoke")));
    VmOptions longer = o.withGuestParam("soak_min", "60");
    assertEquals(java.time.Duration.ofMinutes(85), longer.bootTimeout(List.of("soak")));
    assertEquals(java.time.Duration.ofMinutes(90), longer.withTimeout(java.time.Duration.ofMinutes(90)).bootTimeout(List.of("soak")));
  }
}
