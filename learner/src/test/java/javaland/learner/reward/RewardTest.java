package javaland.learner.reward;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import javaland.models.telemetry.TelemetryWindow;
import org.junit.jupiter.api.Test;

class RewardTest {
  static final long[] BOUNDS = {10_000, 100_000, 1_000_000, 10_000_000}; // ns

  /** A window where latency-critical has p99 in the 100 µs bucket and others in the 10 ms one. */
  static TelemetryWindow window(double dispatchRate, double psi, boolean withLatencyClass) {
    Map<String, long[]> delays = withLatencyClass
        ? Map.of("latency-critical", new long[] {50, 50, 0, 0}, "wakeup", new long[] {0, 0, 0, 100})
        : Map.of("wakeup", new long[] {0, 0, 0, 100});
    return new TelemetryWindow(1.0, 3, false, dispatchRate, dispatchRate * 0.1, dispatchRate * 0.05, 12, false, delays,
        BOUNDS, Map.of("cpu.some", psi));
  }

  @Test
  void defaultRewardIsTheDocumentedFormula() {
    Reward r = new Reward(RewardConfig.DEFAULT);
    double expected = -Math.log(100) + 0.5 * Math.log(5000) - 2 * 0.2 - 1.0 * 0.1;
    assertEquals(expected, r.score(window(5000, 0.2, true)), 1e-12);
    // without latency-critical samples the delay of all classes is used (10 ms = 10000 µs)
    double fallback = -Math.log(10_000) + 0.5 * Math.log(5000) - 2 * 0.2 - 0.1;
    assertEquals(fallback, r.score(window(5000, 0.2, false)), 1e-12);
  }

  @Test
  void rewardMovesTheRightWay() {
    Reward r = new Reward(RewardConfig.DEFAULT);
    assertTrue(r.score(window(10_000, 0.2, true)) > r.score(window(5000, 0.2, true)), "more throughput is better");
    assertTrue(r.score(window(5000, 0.1, true)) > r.score(window(5000, 0.2, true)), "less pressure is better");
    assertTrue(r.score(window(5000, 0.2, true)) > r.score(window(5000, 0.2, false)), "lower delay is better");
  }

  @Test
  void unscorableWindowsAreNaN() {
    Reward r = new Reward(RewardConfig.DEFAULT);
    var empty = new TelemetryWindow(1, 1, false, 0, 0, 0, 0, false, Map.of(), BOUNDS, Map.of());
    assertTrue(Double.isNaN(r.score(empty)));
    var w = window(5000, 0.2, true);
    var changed = new TelemetryWindow(1, 4, true, 5000, 0, 0, 0, false, w.delayCounts(), BOUNDS, Map.of());
    assertTrue(Double.isNaN(r.score(changed)));
  }

  @Test
  void configParsesAndNamesBadKeys() {
    RewardConfig c = RewardConfig.parse(Map.of("delay_weight", "2", "pressure_weight", 0.5, "latency_class", "rt"));
    assertEquals(new RewardConfig(2, 0.5, 0.5, 1.0, "rt", 0.99), c);
    var e = assertThrows(IllegalArgumentException.class, () -> RewardConfig.parse(Map.of("delay_wieght", 1)));
    assertTrue(e.getMessage().contains("unknown reward setting delay_wieght"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> RewardConfig.parse(Map.of("quantile", "high")));
    assertTrue(e.getMessage().contains("quantile is not a number"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> RewardConfig.parse(Map.of("delay_weight", -1)));
    assertTrue(e.getMessage().contains("delay_weight must be"), e.getMessage());
  }
}
