package javaland.runtime.rules;

import static javaland.runtime.kernel.sim.Workload.MS;
import static javaland.runtime.kernel.sim.Workload.SEC;
import static javaland.runtime.kernel.sim.Workload.US;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import javaland.runtime.kernel.KernelParams;
import javaland.runtime.kernel.TaskBatch;
import javaland.runtime.kernel.sim.SimConfig;
import javaland.runtime.kernel.sim.SimKernel;
import javaland.runtime.kernel.sim.SimMetrics;
import javaland.runtime.kernel.sim.Workload;
import javaland.runtime.policy.PolicyCatalog;
import javaland.sdk.Policy;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Policies honour the class on the simulated kernel: under CPU-saturating load the tasks a rule
 * marks latency-critical wait less (p99 of the scheduling delay) than those marked batch, and less
 * than the same tasks without rules. Their wakeups do not wait for the policy at all: the kernel
 * places them itself (task_classes, bpf/README.md), so their median delay is near zero.
 */
class SimRulesTest {
  static final String RULES = """
      rules:
        - name: web
          match: {cgroup: /sim/web}
          class: latency-critical
        - name: hogs
          match: {comm: "^hog-"}
          class: batch
      """;

  /**
   * 4 CPUs: 3 hogs per CPU (saturating), and 8 "web" tasks busy a quarter of the time (2 ms
   * bursts, 6 ms sleeps): 2 CPUs' worth. Busy half the time, they would want the whole machine
   * by themselves, and once the kernel lets them have it they only queue behind each other.
   */
  static Workload load() {
    return Workload.builder("web+hogs", 11)
        .hogsFor("batch", 12, 2 * SEC, 100)
        .interactive("web", 8, 2 * MS, 6 * MS, 2 * SEC, 100)
        .build();
  }

  /** DispatchLoop's steps, on this thread, with the classifier's resolver run between batches. */
  static SimMetrics run(Policy policy, RuleSet rules, TaskClassifier[] out) {
    // Without the wakeup rules a policy pushes down (kernel.wake_rules, SimWakeRulesTest): the
    // classes are compared with every wakeup waiting for the policy, which is what they bypass.
    SimKernel k = new SimKernel(load(), SimConfig.of(4).withParams(KernelParams.parse(Map.of("kernel.wake_rules", 0.0))));
    TaskClassifier c = new TaskClassifier(() -> rules, k::taskInfo, k.taskClasses());
    out[0] = c;
    TaskBatch batch = new TaskBatch(256);
    k.registerDispatcherThread();
    while (k.exitInfo().isEmpty()) {
      if (k.poll(batch, 50) > 0) {
        c.classify(batch);
        policy.schedule(batch, k);
        k.submit(batch);
      }
      c.resolvePending();
    }
    return k.metrics();
  }

  @ParameterizedTest
  @ValueSource(strings = {"deadline", "example"})
  void latencyCriticalWaitsLessThanBatchAndLessThanWithoutRules(String policy) {
    TaskClassifier[] c = new TaskClassifier[1];
    SimMetrics without = run(PolicyCatalog.builtIn().create(policy), RuleSet.EMPTY, c);
    SimMetrics with = run(PolicyCatalog.builtIn().create(policy), new RuleSet(1, RuleParser.parseYaml("r", RULES)), c);
    System.out.println(policy + " without rules:\n" + without.format() + policy + " with rules:\n" + with.format());
    long webWith = with.cls("web").schedDelay().p99Ns();
    long batchWith = with.cls("batch").schedDelay().p99Ns();
    long webWithout = without.cls("web").schedDelay().p99Ns();
    assertTrue(with.utilisation() > 0.97, "saturated: " + with.utilisation());
    assertTrue(webWith < batchWith, "latency-critical p99 " + webWith + " ns vs batch p99 " + batchWith + " ns");
    assertTrue(webWith < webWithout, "latency-critical p99 " + webWith + " ns with rules vs " + webWithout + " ns without");
    // The kernel's own path: wakeups placed without a round trip, so the median is a tenth or less.
    long p50With = with.cls("web").schedDelay().p50Ns();
    long p50Without = without.cls("web").schedDelay().p50Ns();
    assertTrue(p50With * 10 <= p50Without, "latency-critical p50 " + p50With + " ns with rules vs " + p50Without + " ns without");
    assertTrue(with.kernel().classDispatches() > 1000, "class dispatches " + with.kernel().classDispatches());
    assertEquals(0, without.kernel().classDispatches());
    // Each task was evaluated once (12 hogs + 8 web tasks), not per dispatch.
    assertEquals(20, c[0].evaluations());
    assertTrue(c[0].hits() > 50 * c[0].evaluations(), "hits " + c[0].hits());
  }
}
