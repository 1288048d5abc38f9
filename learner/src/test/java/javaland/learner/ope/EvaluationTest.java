package javaland.learner.ope;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** On OffPolicyTest's synthetic log, whose arm values and best policy are known in closed form. */
class EvaluationTest {
  /** E[reward] of always playing each arm: 1 − ½, ½, 1.5·½. */
  static final double[] ARM_VALUE = {0.5, 0.5, 0.75};

  /**
   * The best policy: arm 0 (1 − u) for u &lt; 0.4, arm 2 (1.5u) above; value
   * ∫0^.4 (1 − u) du + ∫.4^1 1.5u du = 0.32 + 0.63.
   */
  static final double GREEDY_VALUE = 0.95;

  @Test
  void coversEachArmAndTheGreedyPolicy() {
    List<LogRecord> log = OffPolicyTest.log(5000, 3);
    Evaluation.Report r = Evaluation.of(log, 3);
    assertEquals(5000, r.records());
    double mean = log.stream().mapToDouble(LogRecord::reward).average().orElseThrow();
    assertEquals(mean, r.loggedMean(), 1e-12);
    assertEquals(4, r.targets().size());
    for (int a = 0; a < 3; a++) {
      Evaluation.Target t = r.targets().get(a);
      assertEquals("arm " + a, t.name());
      assertNull(t.problem());
      assertTrue(t.dr().covers(ARM_VALUE[a]), t.name() + " DR " + t.dr() + " vs " + ARM_VALUE[a]);
      assertTrue(t.snips().covers(ARM_VALUE[a]), t.name() + " SNIPS " + t.snips() + " vs " + ARM_VALUE[a]);
    }
    Evaluation.Target g = r.greedy();
    assertEquals("greedy", g.name());
    assertTrue(g.dr().covers(GREEDY_VALUE), "greedy DR " + g.dr() + " vs " + GREEDY_VALUE);
    assertTrue(g.ips().covers(GREEDY_VALUE), "greedy IPS " + g.ips() + " vs " + GREEDY_VALUE);
    // the greedy policy is much better than the logging policy, and the estimate says so
    assertTrue(g.dr().lo() > r.loggedMean() + 3 * r.loggedSe(), g.dr() + " vs logged " + r.loggedMean());
    // DR leans on the (here exactly specified) model: tighter than IPS
    assertTrue(g.dr().standardError() < g.ips().standardError(), g.dr() + " vs " + g.ips());
  }

  @Test
  void anArmNeverPlayedIsNamedAndNeverChosenByTheGreedyPolicy() {
    List<LogRecord> log = OffPolicyTest.log(500, 4);
    Evaluation.Report r = Evaluation.of(log, 4);
    Evaluation.Target never = r.targets().get(3);
    assertNotNull(never.problem());
    assertNull(never.snips());
    assertEquals(0, never.ips().value(), 0);
    assertEquals(0, r.playsPerArm()[3]);
    // a ridge fit with no data predicts the mean for arm 3, which beats arm 1 in places; still never chosen
    double[] out = new double[4];
    TargetPolicy g = Evaluation.greedy((x, a) -> a == 3 ? 100 : a, r.playsPerArm());
    g.probabilities(new double[] {1, 0.5}, out);
    assertEquals(1, out[2]);
    assertEquals(0, out[3]);
    assertTrue(r.greedy().ips().value() > 0);
  }

  @Test
  void refusesWhatItCannotEvaluate() {
    List<LogRecord> log = OffPolicyTest.log(50, 5);
    assertTrue(assertThrows(IllegalArgumentException.class, () -> Evaluation.of(log.subList(0, 1), 3)).getMessage()
        .contains("at least 2 records"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> Evaluation.of(log, 2)).getMessage().contains("only 2 arms"));
    List<LogRecord> mixed = new java.util.ArrayList<>(log);
    mixed.add(new LogRecord(0, new double[] {1, 0.2, 0.3}, 0, 0.5, 1));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> Evaluation.of(mixed, 3)).getMessage().contains("record 50 has 3"));
  }
}
