package javaland.runtime.rules;

import javaland.sdk.TaskClass;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import javaland.runtime.kernel.TaskBatch;
import javaland.runtime.kernel.TaskInfo;
import org.junit.jupiter.api.Test;

class TaskClassifierTest {
  final Map<Integer, TaskInfo> tasks = new HashMap<>();
  final AtomicReference<RuleSet> rules = new AtomicReference<>();
  final TaskClassifier c = new TaskClassifier(rules::get, pid -> Optional.ofNullable(tasks.get(pid)), 1024, 64, 1000);
  final TaskBatch batch = new TaskBatch(16);

  void rules(long version, String yaml) {
    rules.set(new RuleSet(version, RuleParser.parseYaml("r", yaml)));
  }

  void task(int pid, String comm, long start) {
    tasks.put(pid, new TaskInfo(pid, pid, comm, "/usr/bin/" + comm, "/user.slice", 1000, 1000, 0, start));
  }

  /** One dispatch of {@code pid} as the kernel would queue it; returns its class. */
  byte dispatch(int pid) {
    batch.clear();
    int i = batch.add(pid, pid, 0, 4, 100, true, 1, 0, 0, 0);
    TaskInfo t = tasks.get(pid);
    byte[] comm = (t == null ? "gone" : t.comm()).getBytes(StandardCharsets.UTF_8);
    System.arraycopy(comm, 0, batch.commBytes(), i * TaskBatch.COMM_LEN, Math.min(15, comm.length));
    c.classify(batch);
    return batch.taskClass(i).id();
  }

  static final String WEB = """
      rules:
        - name: web
          match: {comm: ^nginx}
          class: latency-critical
          slice_us: {max: 2000}
          cpus: 0-1
        - name: builds
          match: {comm: ^cc1}
          class: batch
      """;

  @Test
  void aTaskIsEvaluatedOnceThenServedFromTheCache() {
    rules(1, WEB);
    task(100, "nginx", 1);
    assertEquals(TaskClass.NONE.id(), dispatch(100), "unknown task: default class, queued");
    assertEquals(TaskClass.NONE.id(), dispatch(100), "still pending: not queued twice");
    assertEquals(1, c.resolvePending());
    assertEquals(TaskClass.LATENCY_CRITICAL.id(), dispatch(100));
    assertEquals(2_000_000, batch.sliceMaxNs(0));
    assertTrue(batch.prefersCpu(0, 1) && !batch.prefersCpu(0, 2));
    long evaluations = c.evaluations();
    long regex = c.regexRuns();
    for (int k = 0; k < 10_000; k++) assertEquals(TaskClass.LATENCY_CRITICAL.id(), dispatch(100));
    assertEquals(0, c.resolvePending());
    assertEquals(1, evaluations);
    assertEquals(evaluations, c.evaluations(), "no evaluation per dispatch");
    assertEquals(regex, c.regexRuns(), "no regex per dispatch");
    assertTrue(c.hits() >= 10_000);
  }

  @Test
  void aRuleChangeReclassifies() {
    rules(1, WEB);
    task(100, "cc1", 1);
    dispatch(100);
    c.resolvePending();
    assertEquals(TaskClass.BATCH.id(), dispatch(100));
    rules(2, WEB.replace("class: batch", "class: background"));
    assertEquals(TaskClass.BATCH.id(), dispatch(100), "the old class until the new one is known");
    assertEquals(1, c.resolvePending());
    assertEquals(TaskClass.BACKGROUND.id(), dispatch(100));
    assertEquals(0, c.resolvePending(), "asked once per change");
  }

  @Test
  void aCommChangeReclassifies() {
    rules(1, WEB);
    task(100, "bash", 1);
    dispatch(100);
    c.resolvePending();
    assertEquals(TaskClass.NONE.id(), dispatch(100));
    task(100, "nginx", 1); // exec
    assertEquals(TaskClass.NONE.id(), dispatch(100));
    assertEquals(1, c.resolvePending());
    assertEquals(TaskClass.LATENCY_CRITICAL.id(), dispatch(100));
    assertEquals(2, c.evaluations());
  }

  @Test
  void aReusedPidIsReclassified() {
    rules(1, WEB.replace("^nginx", "^x").replace("^cc1", "^x") + """
          - name: mine
            match: {pid: 100}
            class: background
        """);
    task(100, "worker", 1);
    dispatch(100);
    c.resolvePending();
    assertEquals(TaskClass.BACKGROUND.id(), dispatch(100));
    assertEquals(0, c.sweep(), "same task, nothing to invalidate");
    rules.set(new RuleSet(1, RuleParser.parseYaml("r", WEB))); // same version: only the sweep can notice
    task(100, "worker", 2); // exited; a new task got pid 100 with the same comm
    assertEquals(1, c.sweep());
    assertEquals(TaskClass.NONE.id(), dispatch(100), "invalidated: asked again");
    c.resolvePending();
    assertEquals(TaskClass.NONE.id(), dispatch(100));
    assertEquals(2, c.evaluations());
  }

  /** The kernel's copy (task_classes), as a TaskClassSink sees it: pid -> class. */
  static final class KernelTable implements javaland.runtime.kernel.TaskClassSink {
    final Map<Integer, Byte> cls = new HashMap<>();
    final Map<Integer, Long> start = new HashMap<>();
    int capacity = Integer.MAX_VALUE;

    @Override
    public boolean put(int pid, long startTicks, byte taskClass, long sliceMinNs, long sliceMaxNs) {
      if (!cls.containsKey(pid) && cls.size() >= capacity) return false;
      cls.put(pid, taskClass);
      start.put(pid, startTicks);
      return true;
    }

    @Override
    public void remove(int pid) {
      cls.remove(pid);
      start.remove(pid);
    }
  }

  @Test
  void theKernelLearnsEachClassAndLosesItWhenItNoLongerHolds() {
    KernelTable k = new KernelTable();
    TaskClassifier kc = new TaskClassifier(rules::get, pid -> Optional.ofNullable(tasks.get(pid)), k, 1024, 64, 1000);
    rules(1, WEB);
    task(100, "nginx", 7);
    task(101, "cc1", 8);
    task(102, "bash", 9);
    for (int pid = 100; pid <= 102; pid++) {
      batch.clear();
      int i = batch.add(pid, pid, 0, 4, 100, true, 1, 0, 0, 0);
      byte[] comm = tasks.get(pid).comm().getBytes(StandardCharsets.UTF_8);
      System.arraycopy(comm, 0, batch.commBytes(), i * TaskBatch.COMM_LEN, comm.length);
      kc.classify(batch);
    }
    assertEquals(3, kc.resolvePending());
    assertEquals(Map.of(100, TaskClass.LATENCY_CRITICAL.id(), 101, TaskClass.BATCH.id()), k.cls, "no rule: not handed down");
    assertEquals(7L, k.start.get(100), "with its start time, so that a reused pid does not match");
    assertEquals(2, kc.kernelClasses());

    // New rules reach the kernel without the tasks coming through the dispatch thread again:
    // a latency-critical task the kernel places itself might never be asked about.
    rules(2, WEB.replace("class: batch", "class: background"));
    assertEquals(0, kc.resolvePending());
    assertEquals(Map.of(100, TaskClass.LATENCY_CRITICAL.id(), 101, TaskClass.BACKGROUND.id()), k.cls);
    rules(3, WEB.replace("^nginx", "^apache"));
    kc.resolvePending();
    assertEquals(Map.of(101, TaskClass.BATCH.id()), k.cls, "nginx matches no rule any more");

    // exec (a new command name) and exit are found by the sweep
    rules(4, WEB);
    task(100, "nginx", 7);
    kc.resolvePending();
    // Handed down again at once: a task seen before is classified again under new rules even when
    // the kernel held no class for it (one that the kernel places itself may never be asked about).
    assertEquals(Map.of(100, TaskClass.LATENCY_CRITICAL.id(), 101, TaskClass.BATCH.id()), k.cls);
    task(101, "bash", 8);
    kc.sweep();
    assertEquals(Map.of(100, TaskClass.LATENCY_CRITICAL.id()), k.cls, "cc1 exec'd bash: no class");
    rules(5, "rules: []\n");
    kc.resolvePending();
    assertEquals(0, kc.kernelClasses());
  }

  @Test
  void aTaskTheKernelCannotTakeIsCounted() {
    KernelTable k = new KernelTable();
    k.capacity = 1;
    TaskClassifier kc = new TaskClassifier(rules::get, pid -> Optional.ofNullable(tasks.get(pid)), k, 1024, 64, 1000);
    rules(1, WEB);
    task(100, "nginx", 1);
    task(101, "nginx", 1);
    for (int pid = 100; pid <= 101; pid++) {
      batch.clear();
      int i = batch.add(pid, pid, 0, 4, 100, true, 1, 0, 0, 0);
      System.arraycopy("nginx".getBytes(StandardCharsets.UTF_8), 0, batch.commBytes(), i * TaskBatch.COMM_LEN, 5);
      kc.classify(batch);
    }
    kc.resolvePending();
    assertEquals(1, kc.kernelClasses());
    assertEquals(1, kc.kernelRefused());
    assertEquals(2, kc.evaluations(), "both classified for the policy all the same");
  }

  @Test
  void aFullRequestRingDropsAndRetriesLater() {
    rules(1, WEB);
    for (int p = 1; p <= 100; p++) {
      task(p, "nginx", 1);
      dispatch(p);
    }
    assertEquals(36, c.dropped(), "a ring of 64");
    assertEquals(64, c.resolvePending());
    for (int p = 1; p <= 100; p++) dispatch(p);
    assertEquals(36, c.resolvePending(), "the dropped ones asked again");
    for (int p = 1; p <= 100; p++) assertEquals(TaskClass.LATENCY_CRITICAL.id(), dispatch(p));
  }

  @Test
  void classifyingACachedBatchAllocatesNothing() {
    var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    mx.setThreadAllocatedMemoryEnabled(true);
    rules(1, WEB);
    TaskBatch b = new TaskBatch(64);
    for (int p = 1; p <= 64; p++) {
      task(p, p % 2 == 0 ? "nginx" : "cc1", 1);
      b.add(p, p, 0, 4, 100, true, 1, 0, 0, 0);
      byte[] comm = tasks.get(p).comm().getBytes(StandardCharsets.UTF_8);
      System.arraycopy(comm, 0, b.commBytes(), (p - 1) * TaskBatch.COMM_LEN, comm.length);
    }
    TaskClassifier big = new TaskClassifier(rules::get, pid -> Optional.ofNullable(tasks.get(pid)), 1024, 128, 1000);
    big.classify(b);
    big.resolvePending();
    long tid = Thread.currentThread().threadId();
    int zeros = 0;
    for (int round = 0; round < 40 && zeros < 3; round++) {
      long before = mx.getThreadAllocatedBytes(tid);
      for (int k = 0; k < 20_000; k++) big.classify(b);
      long bytes = mx.getThreadAllocatedBytes(tid) - before;
      zeros = bytes == 0 ? zeros + 1 : 0;
    }
    assertEquals(3, zeros, "classify allocates once compiled");
    assertEquals(TaskClass.LATENCY_CRITICAL, b.taskClass(1));
    assertEquals(TaskClass.BATCH, b.taskClass(0));
    assertEquals(64, big.evaluations());
  }
}
