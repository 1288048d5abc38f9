package javaland.runtime.policy;

import javaland.sdk.Parameter;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import javaland.runtime.kernel.TaskBatch;
import org.junit.jupiter.api.Test;
import javaland.policies.FifoPolicy;
import javaland.sdk.Decision;

class FifoPolicyTest {
  private final FifoPolicy policy = new FifoPolicy();
  private final TaskBatch batch = new TaskBatch(16);
  private final RecordingDecisions out = new RecordingDecisions(16);
  private final FakeKernelView kernel = new FakeKernelView(4);

  @Test
  void deadlineIsEnqueueTimeSliceIsFixedAndAnyCpu() {
    kernel.idle(0, 1, 2, 3); // idle CPUs must not matter
    kernel.backlog = 1_000; // nor the load
    long[] enq = {5_000, 1_000, 3_000, 3_000};
    for (int k = 0; k < enq.length; k++) {
      batch.add(10 + k, 10, k, 4, 100 * (k + 1), k % 2 == 0, 7 + k, enq[k], 1_000_000L * k, 42L * k);
    }
    policy.schedule(batch, kernel);
    out.record(batch);
    assertEquals(enq.length, out.count);
    for (int k = 0; k < enq.length; k++) {
      int i = out.indexOf(10 + k);
      assertEquals(7 + k, out.seq[i]);
      assertEquals(enq[k], out.deadline[i], "deadline is the enqueue time");
      assertEquals(5_000_000, out.slice[i], "the default slice_us, whatever the weight");
      assertEquals(Decision.ANY_CPU, out.cpu[i]);
      assertEquals(42L * k, out.vtime[i], "vtime passes through");
    }
  }

  @Test
  void configureSetsTheSlice() {
    PolicyTesting.configure(policy, Map.of("slice_us", 700.0));
    batch.add(1, 1, 0, 4, 100, true, 1, 0, 0, 0);
    policy.schedule(batch, kernel);
    out.record(batch);
    assertEquals(700_000, out.slice[0]);
  }
}
