package javaland.runtime.policy;

import javaland.sdk.Parameter;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import javaland.runtime.kernel.TaskBatch;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import javaland.policies.DeadlinePolicy;
import javaland.sdk.Decision;

/**
 * DeadlinePolicy against the formulas in its Javadoc:
 *
 * <pre>
 *   vtime    = max(task.vtime, vclock - slice_lag)
 *   vclock   = max(vclock, vtime)
 *   lateness = (vtime - (vclock - slice_lag)) + min(exec_since_wakeup, exec_cap) * 100 / weight
 *   deadline = enqueued_at + min(lateness, max_delay)
 *   slice    = clamp(slice_max / (others_waiting + 1) * weight / 100, slice_min, slice_max)
 * </pre>
 *
 * Every test configures all parameters explicitly, so a change of defaults does not move them.
 */
class DeadlinePolicyTest {
  private static final long MS = 1_000_000;
  private static final long SECOND = 1_000 * MS;
  private static final long SLICE_MAX = 20 * MS;
  private static final long SLICE_MIN = 1 * MS;
  private static final long SLICE_LAG = 20 * MS;
  private static final long EXEC_CAP = 20 * MS;
  private static final long MAX_DELAY = 50 * MS;
  private static final long ENQ = 7 * SECOND; // a CLOCK_MONOTONIC enqueue time

  private final DeadlinePolicy policy = new DeadlinePolicy();
  private final TaskBatch batch = new TaskBatch(64);
  private final RecordingDecisions out = new RecordingDecisions(64);
  private final FakeKernelView kernel = new FakeKernelView(4);

  private void configure(Map<String, Double> overrides) {
    Map<String, Double> m = new HashMap<>(Map.of(
        "slice_max_us", SLICE_MAX / 1e3, "slice_min_us", SLICE_MIN / 1e3, "slice_lag_us", SLICE_LAG / 1e3,
        "exec_cap_us", EXEC_CAP / 1e3, "max_delay_us", MAX_DELAY / 1e3));
    m.putAll(overrides);
    PolicyTesting.configure(policy, m);
  }

  @BeforeEach
  void standardParameters() {
    configure(Map.of());
  }

  private int add(int pid, int weight, long execNs, long vtime) {
    return add(pid, weight, ENQ, execNs, vtime);
  }

  private int add(int pid, int weight, long enqNs, long execNs, long vtime) {
    return batch.add(pid, pid, 0, 4, weight, true, pid * 10L, enqNs, execNs, vtime);
  }

  private void run() {
    out.clear();
    policy.schedule(batch, kernel);
    out.record(batch);
    batch.clear();
  }

  private long vtimeOf(int pid) {
    return out.vtime[out.indexOf(pid)];
  }

  private long deadlineOf(int pid) {
    return out.deadline[out.indexOf(pid)];
  }

  /** Pushes the policy's virtual clock to {@code vclock} with one task that is that far ahead. */
  private void advanceClockTo(long vclock) {
    add(1, 100, 0, vclock);
    run();
    assertEquals(vclock, out.vtime[0], "a task ahead of the clock keeps its vtime");
  }

  @Test
  void sleeperCreditIsBoundedBySliceLag() {
    advanceClockTo(10 * SECOND);
    add(2, 100, 0, 0); // slept for ages: vtime far behind the clock
    add(3, 50, 0, 0);
    add(4, 10_000, 0, 0);
    add(5, 100, 0, 10 * SECOND - 1_000); // only slightly behind: keeps its own vtime
    add(6, 100, 0, 10 * SECOND); // at the clock
    run();
    for (int pid : new int[] {2, 3, 4}) {
      assertEquals(10 * SECOND - SLICE_LAG, vtimeOf(pid), "pid " + pid + " gains at most slice_lag, whatever its weight");
      assertEquals(ENQ, deadlineOf(pid), "a sleeper at the floor runs at its enqueue time, never earlier");
    }
    assertEquals(10 * SECOND - 1_000, vtimeOf(5));
    assertEquals(ENQ + SLICE_LAG - 1_000, deadlineOf(5));
    assertEquals(ENQ + SLICE_LAG, deadlineOf(6));
    assertEquals(SLICE_LAG, deadlineOf(6) - deadlineOf(2), "a sleeper overtakes by at most slice_lag");
  }

  @Test
  void matchesTheDocumentedFormulasOnRandomBatches() {
    Random rnd = new Random(42);
    long vclock = 0; // the model's clock
    for (int round = 0; round < 300; round++) {
      int n = 1 + rnd.nextInt(32);
      kernel.backlog = rnd.nextInt(50);
      long[] vtimeIn = new long[n];
      long[] enq = new long[n];
      long[] exec = new long[n];
      int[] weights = new int[n];
      for (int k = 0; k < n; k++) {
        weights[k] = 1 + rnd.nextInt(10_000);
        vtimeIn[k] = Math.max(0, vclock + (long) ((rnd.nextDouble() - 0.7) * SECOND));
        enq[k] = ENQ + round * MS + rnd.nextInt(1_000_000);
        exec[k] = (long) (rnd.nextDouble() * 2 * EXEC_CAP);
        add(100 + k, weights[k], enq[k], exec[k], vtimeIn[k]);
      }
      long clockBefore = vclock;
      run();
      assertEquals(n, out.count);
      for (int k = 0; k < n; k++) {
        long w = weights[k];
        long vtime = Math.max(vtimeIn[k], vclock - SLICE_LAG);
        vclock = Math.max(vclock, vtime);
        long lateness = vtime - (vclock - SLICE_LAG) + Math.min(exec[k], EXEC_CAP) * 100 / w;
        long deadline = enq[k] + Math.min(lateness, MAX_DELAY);
        long slice = Math.clamp(SLICE_MAX / (n - 1 + kernel.backlog + 1) * w / 100, SLICE_MIN, SLICE_MAX);
        String what = "round " + round + ", task " + k;
        assertEquals(100 + k, out.pid[k], "decisions in batch order");
        assertEquals(vtime, out.vtime[k], what + ": vtime");
        assertEquals(deadline, out.deadline[k], what + ": deadline");
        assertEquals(slice, out.slice[k], what + ": slice");
        // and the invariants the formulas exist for
        assertTrue(out.vtime[k] >= vtimeIn[k], "vtime never moves back");
        assertTrue(out.vtime[k] >= clockBefore - SLICE_LAG, "sleep credit above slice_lag");
        assertTrue(out.deadline[k] >= enq[k], "deadline before the enqueue");
        assertTrue(out.deadline[k] <= enq[k] + MAX_DELAY, "deadline more than max_delay after the enqueue");
      }
    }
  }

  @Test
  void moreExecSinceWakeupMeansLaterDeadlineUpToTheCap() {
    long v = 5 * SECOND;
    add(1, 100, 0, v);
    add(2, 100, 1 * MS, v);
    add(3, 100, 5 * MS, v);
    add(4, 100, EXEC_CAP + 1, v);
    add(5, 100, 10 * EXEC_CAP, v);
    run();
    long d1 = deadlineOf(1);
    long d2 = deadlineOf(2);
    long d3 = deadlineOf(3);
    assertTrue(d1 < d2 && d2 < d3, d1 + " < " + d2 + " < " + d3);
    assertEquals(5 * MS, d3 - d1);
    assertEquals(EXEC_CAP, deadlineOf(4) - d1, "exec_cap bounds the penalty");
    assertEquals(EXEC_CAP, deadlineOf(5) - d1);
  }

  @Test
  void heavierWeightShrinksTheDeadlineIncrement() {
    long v = 5 * SECOND;
    add(1, 100, 0, v);
    add(2, 100, 10 * MS, v);
    add(3, 200, 10 * MS, v);
    add(4, 50, 10 * MS, v);
    run();
    long base = deadlineOf(1);
    assertEquals(10 * MS, deadlineOf(2) - base);
    assertEquals(5 * MS, deadlineOf(3) - base, "weight 200 halves the increment");
    assertEquals(20 * MS, deadlineOf(4) - base, "weight 50 doubles it");
  }

  @Test
  void zeroWeightIsTreatedAsOne() {
    advanceClockTo(SECOND);
    add(2, 0, 1_000, 0);
    run();
    assertEquals(ENQ + 100_000, out.deadline[0], "exec 1us at weight 1 costs 100us");
    assertTrue(out.slice[0] >= SLICE_MIN && out.slice[0] <= SLICE_MAX);
  }

  @Test
  void noTaskWaitsMoreThanMaxDelayPastItsEnqueue() {
    advanceClockTo(SECOND);
    add(2, 1, 10 * SECOND, 100 * SECOND); // a light hog far ahead in virtual time
    run();
    assertEquals(ENQ + MAX_DELAY, out.deadline[0]);
    configure(Map.of("max_delay_us", 2_000.0));
    add(3, 1, 10 * SECOND, 100 * SECOND);
    run();
    assertEquals(ENQ + 2 * MS, out.deadline[0], "max_delay follows configure()");
  }

  private long sliceFor(int batchSize, int backlog, int weight) {
    kernel.backlog = backlog;
    for (int k = 0; k < batchSize; k++) add(1 + k, weight, 0, SECOND);
    run();
    long s = out.slice[0];
    for (int k = 1; k < out.count; k++) assertEquals(s, out.slice[k], "one slice per batch and weight");
    return s;
  }

  @Test
  void sliceShrinksAsMoreTasksWait() {
    long prev = Long.MAX_VALUE;
    for (int n = 1; n <= 64; n *= 2) {
      long s = sliceFor(n, 0, 100);
      assertTrue(s <= prev, "slice grew from " + prev + " to " + s + " with " + n + " tasks");
      prev = s;
    }
    assertTrue(sliceFor(2, 0, 100) < sliceFor(1, 0, 100), "a second waiting task shortens the slice");
    assertEquals(sliceFor(8, 0, 100), sliceFor(1, 7, 100), "the kernel backlog counts like the batch");
    assertEquals(SLICE_MIN, sliceFor(1, 1_000, 100), "a long backlog ends at slice_min");
  }

  @Test
  void sliceStaysWithinMinAndMaxForAnyLoadAndWeight() {
    int[] weights = {1, 2, 50, 100, 150, 1_000, 10_000};
    int[] backlogs = {0, 1, 3, 10, 100, 10_000, Integer.MAX_VALUE};
    for (int w : weights) {
      for (int b : backlogs) {
        for (int n : new int[] {1, 5, 64}) {
          long s = sliceFor(n, b, w);
          assertTrue(s >= SLICE_MIN && s <= SLICE_MAX, "slice " + s + " for weight " + w + ", backlog " + b + ", n " + n);
        }
      }
    }
    assertEquals(SLICE_MAX, sliceFor(1, 0, 10_000), "a heavy lone task gets slice_max");
    assertEquals(SLICE_MIN, sliceFor(64, 0, 1), "a light task in a crowd gets slice_min");
  }

  @Test
  void heavierTasksGetLongerSlicesUnderTheSameLoad() {
    assertTrue(sliceFor(4, 0, 200) > sliceFor(4, 0, 100));
  }

  /** slice_max_us is the "longest slice, given when nothing else waits": others, not the task itself. */
  @Test
  void aLoneTaskGetsSliceMax() {
    assertEquals(SLICE_MAX, sliceFor(1, 0, 100));
  }

  @Test
  void configureChangesTheSlices() {
    long before = sliceFor(4, 0, 100);
    configure(Map.of("slice_max_us", 4_000.0, "slice_min_us", 500.0));
    assertTrue(sliceFor(4, 0, 100) < before);
    assertEquals(4 * MS, sliceFor(1, 0, 10_000), "new slice_max");
    assertEquals(500_000, sliceFor(1, 100_000, 100), "new slice_min");
  }

  @Test
  void sliceMinAboveSliceMaxIsCappedAtSliceMax() {
    configure(Map.of("slice_max_us", 1_000.0, "slice_min_us", 5_000.0));
    assertEquals(1 * MS, sliceFor(1, 0, 10_000));
    assertEquals(1 * MS, sliceFor(1, 100_000, 1));
  }

  @Test
  void configureChangesLagAndCap() {
    configure(Map.of("slice_lag_us", 0.0, "exec_cap_us", 1_000.0));
    advanceClockTo(3 * SECOND);
    add(2, 100, 50 * MS, 0);
    run();
    assertEquals(3 * SECOND, out.vtime[0], "no sleep credit with slice_lag 0");
    assertEquals(ENQ + 1 * MS, out.deadline[0], "exec term capped at the new exec_cap");
  }

  @Test
  void everyTaskGoesToTheSharedQueue() {
    kernel.idle(0, 1, 2, 3);
    for (int k = 0; k < 10; k++) batch.add(1 + k, 1, k % 4, 4, 100, k % 2 == 0, k, 0, 0, 0);
    run();
    assertEquals(10, out.count);
    for (int i = 0; i < out.count; i++) assertEquals(Decision.ANY_CPU, out.cpu[i]);
  }
}
