package javaland.runtime.policy;

import javaland.sdk.Parameter;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import javaland.runtime.kernel.TaskBatch;
import org.junit.jupiter.api.Test;
import javaland.policies.ExamplePolicy;
import javaland.sdk.Decision;

class ExamplePolicyTest {
  private final ExamplePolicy policy = new ExamplePolicy();
  private final TaskBatch batch = new TaskBatch(16);
  private final RecordingDecisions out = new RecordingDecisions(16);
  private final FakeKernelView kernel = new FakeKernelView(8);

  @Test
  void staysOnAnIdlePrevCpuElseGoesToTheSharedQueue() {
    kernel.idle(1, 3);
    for (int cpu = 0; cpu < 8; cpu++) batch.add(100 + cpu, 1, cpu, 8, 100, true, cpu, 0, 0, 0);
    policy.schedule(batch, kernel);
    out.record(batch);
    assertEquals(8, out.count);
    for (int cpu = 0; cpu < 8; cpu++) {
      int expected = cpu == 1 || cpu == 3 ? cpu : Decision.ANY_CPU;
      assertEquals(expected, out.cpu[out.indexOf(100 + cpu)], "task last on cpu " + cpu);
    }
  }

  @Test
  void followsTheKernelViewFromBatchToBatch() {
    batch.add(1, 1, 2, 8, 100, true, 1, 0, 0, 0);
    kernel.idle(2);
    policy.schedule(batch, kernel);
    out.record(batch);
    assertEquals(2, out.cpu[0]);
    kernel.idle(); // nothing idle any more
    policy.schedule(batch, kernel);
    out.record(batch);
    assertEquals(Decision.ANY_CPU, out.cpu[0]);
  }

  @Test
  void wakeupsGetTheShortSliceHogsTheLongOne() {
    batch.add(1, 1, 0, 8, 100, true, 1, 1_000, 200, 0);
    batch.add(2, 2, 0, 8, 100, false, 2, 1_000, 5_000_000, 0);
    policy.schedule(batch, kernel);
    out.record(batch);
    assertEquals(3_000_000, out.slice[out.indexOf(1)]);
    assertEquals(10_000_000, out.slice[out.indexOf(2)]);
  }

  @Test
  void deadlineIsEnqueueTimePlusExecSoShortBurstsOvertakeHogs() {
    batch.add(1, 1, 0, 8, 100, true, 1, 1_000, 200, 77);
    batch.add(2, 2, 0, 8, 100, false, 2, 900, 5_000_000, 88);
    policy.schedule(batch, kernel);
    out.record(batch);
    assertEquals(1_200, out.deadline[out.indexOf(1)]);
    assertEquals(5_000_900, out.deadline[out.indexOf(2)]);
    assertEquals(77, out.vtime[out.indexOf(1)], "vtime passes through");
    assertEquals(88, out.vtime[out.indexOf(2)]);
  }

  @Test
  void configureSetsBothSlices() {
    PolicyTesting.configure(policy, Map.of("slice_us", 250.0, "hog_slice_us", 50_000.0));
    batch.add(1, 1, 0, 8, 100, true, 1, 0, 0, 0);
    batch.add(2, 2, 0, 8, 100, false, 2, 0, 0, 0);
    policy.schedule(batch, kernel);
    out.record(batch);
    assertEquals(250_000, out.slice[out.indexOf(1)]);
    assertEquals(50_000_000, out.slice[out.indexOf(2)]);
  }
}
