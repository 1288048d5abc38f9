package javaland.runtime.kernel.bpf;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.concurrent.TimeUnit;
import javaland.sdk.CpuTopology;
import javaland.sdk.KernelView;
import javaland.runtime.kernel.TaskBatch;
import javaland.runtime.policy.PolicyCatalog;
import javaland.sdk.Policy;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * The dispatch loop's hot path for one batch of {@code n} tasks, on plain off-heap memory laid
 * out like the kernel's rings: read {@code n} task records from the ring buffer into a
 * {@link TaskBatch} ({@link RingBufferReader#read} + {@link Wire#readTask}), run the policy, and
 * write one decision per decided task into the user ring buffer exactly as {@code BpfKernel.submit}
 * does ({@code reserve} / {@link Wire#writeDecision} / {@code submit}). No syscalls: the kernel's
 * part (producing tasks, draining decisions) is simulated by moving the ring positions.
 *
 * <p>The score is ns per batch; {@link #main} divides by {@code n} and prints ns per task with
 * {@code gc.alloc.rate.norm} (bytes per batch, which must be ~0). How to run it: docs/benchmarks.md.
 * {@code javaland.runtime.bench.HotPathAllocationTest} runs the same path in CI and checks that
 * it allocates nothing.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class WireCodecBenchmark {
  private static final long PAGE = 4096;
  private static final int TASK_SIZE = (int) Wire.QUEUED_TASK.byteSize();
  private static final int TASK_FOOTPRINT = (TASK_SIZE + 8 + 7) & ~7;
  /** The same constant as BpfKernel.DECISION_SIZE. */
  private static final int DECISION_SIZE = (int) Wire.DECISION.byteSize();
  private static final int DECISION_FOOTPRINT = (DECISION_SIZE + 8 + 7) & ~7;

  /** Tasks per batch. */
  @Param({"1", "32", "256"})
  public int n;

  /** Which policy decides (see {@link PolicyCatalog#names()}). */
  @Param({"deadline"})
  public String policy;

  private Arena arena;
  private MemorySegment kernelConsumerPage; // ring buffer: we write the consumer position
  private MemorySegment kernelProducerPage;
  private MemorySegment kernelData;
  private MemorySegment userConsumerPage; // user ring buffer: the kernel writes the consumer position
  private MemorySegment userProducerPage;
  private MemorySegment userData;
  private long userRingSize;

  private RingBufferReader reader;
  private UserRingBufferWriter writer;
  private TaskBatch tasks;
  private RingBufferReader.RecordSink sink;
  private Policy decider;
  private RingDecisions decisions;
  private KernelView view;
  private long lastBatchStart;
  private javaland.runtime.rules.TaskClassifier classifier; // rules: cache lookups, as DispatchLoop does

  /** For JMH. */
  public WireCodecBenchmark() {}

  /** A ready-to-run instance outside JMH; {@link #tearDown} frees it. */
  public static WireCodecBenchmark of(int n, String policy) {
    WireCodecBenchmark b = new WireCodecBenchmark();
    b.n = n;
    b.policy = policy;
    b.setup();
    return b;
  }

  @Setup(Level.Trial)
  public void setup() {
    arena = Arena.ofShared();
    long kernelRingSize = Long.highestOneBit(Math.max(PAGE, (long) n * TASK_FOOTPRINT) * 2 - 1);
    kernelConsumerPage = arena.allocate(PAGE, PAGE);
    kernelProducerPage = arena.allocate(PAGE, PAGE);
    kernelData = arena.allocate(2 * kernelRingSize, PAGE); // the kernel maps the data twice
    // Four batches of room, so the ring wraps now and then as in real life.
    userRingSize = Long.highestOneBit(Math.max(PAGE, 4L * n * DECISION_FOOTPRINT) * 2 - 1);
    userConsumerPage = arena.allocate(PAGE, PAGE);
    userProducerPage = arena.allocate(PAGE, PAGE);
    userData = arena.allocate(2 * userRingSize, PAGE);

    fillKernelRing();
    reader = new RingBufferReader(kernelConsumerPage, kernelProducerPage, kernelData, kernelRingSize, -1);
    writer = new UserRingBufferWriter(userConsumerPage, userProducerPage, userData, userRingSize);
    tasks = new TaskBatch(Math.max(n, 1));
    TaskBatch target = tasks;
    sink = (data, at, length) -> Wire.readTask(data, at, target);
    decider = PolicyCatalog.builtIn().create(policy);
    decisions = new RingDecisions(writer);
    view = new FixedView(CpuTopology.flat(8));
    // rules: every task classified once up front, so each batch() does cache lookups only
    var rules = new javaland.runtime.rules.RuleSet(1, javaland.runtime.rules.RuleParser.parseYaml("bench", """
        rules:
          - {name: lc, match: {comm: "^worker-[0-4]$"}, class: latency-critical, cpus: 0-3}
          - {name: batch, match: {comm: "^worker-"}, class: batch, slice_us: {min: 2000}}
        """));
    classifier = new javaland.runtime.rules.TaskClassifier(() -> rules, pid -> java.util.Optional.of(
        new javaland.runtime.kernel.TaskInfo(pid, 4242, "worker-" + (pid - 1000), "", "", 0, 0, 0, 1)));
    batch();
    classifier.resolvePending();
  }

  /** {@code n} task records as the kernel writes them: 8-byte header (u32 length, u32 0), 8-aligned. */
  private void fillKernelRing() {
    for (int k = 0; k < n; k++) {
      long rec = (long) k * TASK_FOOTPRINT;
      kernelData.set(JAVA_INT, rec, TASK_SIZE);
      kernelData.set(JAVA_INT, rec + 4, 0);
      long at = rec + 8;
      kernelData.set(JAVA_INT, at + Wire.QT_PID, pid(k));
      kernelData.set(JAVA_INT, at + Wire.QT_TGID, 4242);
      kernelData.set(JAVA_INT, at + Wire.QT_PREV_CPU, k % 8);
      kernelData.set(JAVA_INT, at + Wire.QT_NR_CPUS, 8);
      kernelData.set(JAVA_LONG, at + Wire.QT_ENQ_FLAGS, 1);
      kernelData.set(JAVA_LONG, at + Wire.QT_SEQ, seq(k));
      kernelData.set(JAVA_LONG, at + Wire.QT_ENQ_NS, 1_000_000_000L + 1_000L * k);
      kernelData.set(JAVA_LONG, at + Wire.QT_EXEC_NS, 37_000L * (k % 50));
      kernelData.set(JAVA_LONG, at + Wire.QT_VTIME, 5_000_000_000L + 250_000L * (k % 100));
      kernelData.set(JAVA_INT, at + Wire.QT_WEIGHT, k % 3 == 0 ? 200 : 100);
      kernelData.set(JAVA_INT, at + Wire.QT_FLAGS, k % 2 == 0 ? Wire.TASK_WAKEUP : 0);
      byte[] comm = ("worker-" + k).getBytes(StandardCharsets.US_ASCII);
      MemorySegment.copy(comm, 0, kernelData, JAVA_BYTE, at + Wire.QT_COMM, Math.min(comm.length, Wire.COMM_LEN - 1));
    }
    kernelProducerPage.set(JAVA_LONG, 0, (long) n * TASK_FOOTPRINT);
  }

  /** The pid of the {@code k}-th task record. */
  public static int pid(int k) {
    return 1000 + k;
  }

  /** The seq of the {@code k}-th task record. */
  public static long seq(int k) {
    return 1L + 3L * k;
  }

  /** One batch: read, decide, write, then let the "kernel" drain. Returns the tasks read. */
  @Benchmark
  public int batch() {
    kernelConsumerPage.set(JAVA_LONG, 0, 0L); // the same n records are waiting again
    tasks.clear();
    int got = reader.read(sink, n);
    lastBatchStart = userProducerPage.get(JAVA_LONG, 0);
    classifier.classify(tasks);
    decider.schedule(tasks, view);
    decisions.submit(tasks);
    // The kernel drains the user ring (bpf_user_ringbuf_drain) and moves its consumer position.
    userConsumerPage.set(JAVA_LONG, 0, userProducerPage.get(JAVA_LONG, 0));
    return got;
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    arena.close();
  }

  // For the allocation test: what the last batch() wrote.

  /** Decisions written by the last {@link #batch()}. */
  public int lastBatchDecisions() {
    return (int) ((userProducerPage.get(JAVA_LONG, 0) - lastBatchStart) / DECISION_FOOTPRINT);
  }

  /** The tasks the last {@link #batch()} read. */
  public TaskBatch lastBatchTasks() {
    return tasks;
  }

  /** A field of the {@code k}-th decision of the last batch; {@code member} is a jl_decision name. */
  public long decisionField(int k, String member) {
    long pos = lastBatchStart + (long) k * DECISION_FOOTPRINT;
    int header = userData.get(JAVA_INT, pos & (userRingSize - 1));
    if (header != DECISION_SIZE) throw new IllegalStateException("decision " + k + " header " + Integer.toHexString(header));
    long at = (pos + 8) & (userRingSize - 1);
    long off = Wire.off(Wire.DECISION, member);
    return member.equals("pid") || member.equals("cpu")
        ? userData.get(JAVA_INT, at + off)
        : userData.get(JAVA_LONG, at + off);
  }

  /** What BpfKernel.submit does, minus the sched_yield retry (the ring is drained every batch). */
  static final class RingDecisions {
    private final UserRingBufferWriter writer;

    RingDecisions(UserRingBufferWriter writer) {
      this.writer = writer;
    }

    void submit(TaskBatch batch) {
      for (int i = 0; i < batch.size(); i++) {
        if (!batch.decided(i)) continue;
        long r = writer.reserve(DECISION_SIZE);
        if (r < 0) throw new IllegalStateException("decision ring full: the simulated kernel did not drain");
        Wire.writeDecision(writer.data(), writer.payloadOffset(r), batch, i);
        writer.submit(r, DECISION_SIZE);
      }
    }
  }

  /** A kernel view with a fixed clock, two idle CPUs and no backlog. */
  static final class FixedView implements KernelView {
    private final CpuTopology topology;

    FixedView(CpuTopology topology) {
      this.topology = topology;
    }

    @Override
    public CpuTopology topology() {
      return topology;
    }

    @Override
    public long nowNs() {
      return 2_000_000_000L;
    }

    @Override
    public boolean cpuIdle(int cpu) {
      return cpu == 1 || cpu == 5;
    }

    @Override
    public int backlog() {
      return 0;
    }
  }

  /** Runs the benchmark with the GC profiler and prints ns per task and bytes per batch. */
  public static void main(String[] args) throws RunnerException {
    Collection<RunResult> results = new Runner(new OptionsBuilder()
        .include(WireCodecBenchmark.class.getName() + ".batch")
        .addProfiler(GCProfiler.class)
        .build()).run();
    System.out.printf("%n%-10s %6s %14s %12s %22s%n", "policy", "n", "ns/batch", "ns/task", "gc.alloc.rate.norm");
    for (RunResult r : results) {
      int n = Integer.parseInt(r.getParams().getParam("n"));
      Result<?> primary = r.getPrimaryResult();
      Result<?> alloc = r.getSecondaryResults().get("gc.alloc.rate.norm");
      System.out.printf("%-10s %6d %14.1f %12.2f %17.3f B/op%n", r.getParams().getParam("policy"), n,
          primary.getScore(), primary.getScore() / n, alloc == null ? Double.NaN : alloc.getScore());
    }
  }
}
