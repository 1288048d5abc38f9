package javaland.cli.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.ZoneOffset;
import javaland.models.json.JsonCodec;
import org.junit.jupiter.api.Test;

/** The block run --stats and stats --monitor print, from two /status objects made up here. */
class StatsBlockTest {
  private static final Instant AT = Instant.parse("2026-12-07T15:04:05Z");

  /** A /status object as Scheduler.status() writes it, with the counters given. */
  private static JsonNode status(double uptime, long user, long kernel, long exempt, long idle, long rule, long fallbacks,
      long ringFull, long threw, long batches, long tasks, String canaryState) {
    String canary = canaryState == null ? ""
        : ",\"canary\":{\"state\":\"" + canaryState + "\",\"version\":4,\"baseline_version\":3,\"reason\":\"learner: arm 2\"}";
    return JsonCodec.read("{\"policy\":\"deadline\",\"uptime_s\":" + uptime + ",\"policy_version\":4,\"attached\":true" + canary
        + ",\"kernel\":\"simulated, 4 CPUs\",\"simulated\":true,\"dispatch\":{\"user_dispatches\":" + user
        + ",\"kernel_dispatches\":" + kernel + ",\"exempt_dispatches\":" + exempt + ",\"idle_dispatches\":" + idle
        + ",\"class_dispatches\":0,\"rule_dispatches\":" + rule + ",\"rule_yields\":0,\"rule_requeues\":0,\"fallbacks\":"
        + fallbacks + ",\"ring_full\":" + ringFull + ",\"congested\":0,\"cancelled\":0,\"bounced\":0,\"slice_clamped\":0,"
        + "\"deadline_clamped\":0,\"roundtrip_us\":{\"count\":9,\"p50\":27.0,\"p99\":450.5,\"max\":900.0},"
        + "\"sched_delay_us\":{\"wakeup\":{\"count\":5,\"p50\":1.0,\"p99\":115.0},\"all\":{\"count\":5,\"p50\":1.0,\"p99\":115.0}}},"
        + "\"queue_depth\":{\"ring\":7},\"loop\":{\"batches\":" + batches + ",\"tasks\":" + tasks + ",\"largest_batch\":13,"
        + "\"policy_faults\":{\"threw\":" + threw + ",\"overran\":0,\"undecided\":0}}}", JsonNode.class);
  }

  @Test
  void ratesAndSharesAreOverTheIntervalBetweenTheTwoObjects() {
    JsonNode before = status(10, 1_000, 3_000, 500, 200, 1_000, 50, 10, 1, 100, 1_000, "canary");
    // in 2 s: 1,200 by Java, 2,800 by BPF: 200 exempt, 400 idle, 1,600 by rule, 100 fallbacks, 20 ring full
    JsonNode now = status(12, 2_200, 5_800, 700, 600, 2_600, 150, 30, 3, 300, 2_200, "canary");
    String b = StatsBlock.format(now, before, 2.0, AT, ZoneOffset.UTC);

    assertTrue(b.startsWith("## javaland 2026-12-07 15:04:05  policy deadline v4  up 12.0 s  attached\n"), b);
    assertTrue(b.contains("  kernel    SIMULATED: simulated, 4 CPUs\n"), b);
    // 4,000 dispatches in 2 s; decidable 3,800: Java 1,200 (31.6%), its rules 2,000 (52.6%), rescued 120 (3.2%)
    assertTrue(b.contains("  dispatch  2,000/s  java-decided 84.2% (per task 31.6%, by its rules in BPF 52.6%)  rescued 3.2%\n"), b);
    // other BPF: 4,000 - 1,200 - 200 - 2,000 - 120 = 480 in 2 s
    assertTrue(b.contains("  paths/s   java 600  rule 800  class 0  idle 200  exempt 100  rescue 60  other-bpf 240\n"), b);
    assertTrue(b.contains("  rescue    fallback 50/s (150 total)  ring-full 10/s"), b);
    assertTrue(b.contains("  faults    threw 3 (+2) overran 0 (+0) undecided 0 (+0)"), b);
    assertTrue(b.contains("  queue     ring 7  batches 100/s  tasks/batch 6.0  largest 13  round trip p50 27 us p99 451 us"), b);
    assertTrue(b.contains("  delay     wakeup p50 1 us p99 115 us, all p50 1 us p99 115 us (since attach)\n"), b);
    assertTrue(b.endsWith("  canary    canary: version 4 (baseline 3), learner: arm 2\n"), b);
  }

  @Test
  void withoutAnEarlierObjectTheRatesAreSinceAttach() {
    JsonNode now = status(4, 1_000, 3_000, 0, 0, 0, 0, 0, 0, 40, 400, null);
    String b = StatsBlock.format(now, null, 99, AT, ZoneOffset.UTC);
    assertTrue(b.contains("  dispatch  1,000/s  java-decided 25.0% (per task 25.0%, by its rules in BPF 0.0%)  rescued 0.0%\n"), b);
    assertTrue(b.contains("  faults    threw 0 overran 0 undecided 0  slice-clamped 0  deadline-clamped 0\n"), b);
    assertTrue(b.endsWith("  canary    none (no registry)\n"), b);
  }

  @Test
  void aSchedulerNotYetAttachedSaysSoAndNothingElse() {
    JsonNode j = JsonCodec.read("{\"policy\":\"fifo\",\"uptime_s\":0.2,\"policy_version\":1,\"attached\":false,"
        + "\"kernel\":\"not attached yet\"}", JsonNode.class);
    String b = StatsBlock.format(j, null, 1, AT, ZoneOffset.UTC);
    assertEquals("## javaland 2026-12-07 15:04:05  policy fifo v1  up 0.2 s  NOT ATTACHED\n  kernel    not attached yet\n", b);
    assertFalse(b.contains("dispatch"));
  }
}
