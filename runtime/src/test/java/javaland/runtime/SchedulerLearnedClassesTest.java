package javaland.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Map;
import javaland.policies.DeadlinePolicy;
import javaland.runtime.kernel.sim.SimConfig;
import javaland.runtime.kernel.sim.SimKernel;
import javaland.runtime.kernel.sim.Workload;
import javaland.sdk.TaskClass;
import org.junit.jupiter.api.Test;

/** A learned class reaches the kernel's class table through the classifier, and a person's rule for the same task wins. */
class SchedulerLearnedClassesTest {
  private static TaskClass await(SimKernel k, int pid, TaskClass want) throws InterruptedException {
    long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (k.kernelClassOf(pid) != want && System.nanoTime() < until) Thread.sleep(20);
    return k.kernelClassOf(pid);
  }

  @Test
  void aLearnedClassIsHandedDownAndAPersonsRuleOverridesIt() throws Exception {
    Workload w = Workload.builder("probe-and-hogs", 1).hogsFor("batch", 4, 60_000 * Workload.MS, 100)
        .interactive("interactive", 1, 200_000L, 5_000_000L, 60_000 * Workload.MS, 100).build();
    Scheduler s = Scheduler.create(Scheduler.Options.of(new DeadlinePolicy()));
    SimKernel k = new SimKernel(w, SimConfig.of(2).paced(1.0));
    try {
      s.attach(k);
      int probe = SimKernel.PID_BASE + 4;
      Thread.sleep(300);
      s.learnedClasses().propose("ia-0", "latency-critical", Map.of(), "test", "learner");
      assertEquals(TaskClass.LATENCY_CRITICAL, await(k, probe, TaskClass.LATENCY_CRITICAL), s.status().toString());
      s.ruleStore().create(javaland.models.json.JsonCodec.object().put("name", "probe").put("class", "batch")
          .set("match", javaland.models.json.JsonCodec.object().put("comm", "^ia-0$")), null);
      assertEquals(TaskClass.BATCH, await(k, probe, TaskClass.BATCH), "the person's rule wins: " + s.status());
      s.learnedClasses().reject("ia-0", "no", "person");
      s.ruleStore().delete("probe");
      assertEquals(TaskClass.NONE, await(k, probe, TaskClass.NONE), "rejected and no rule: no class");
    } finally {
      s.stop();
    }
  }
}
