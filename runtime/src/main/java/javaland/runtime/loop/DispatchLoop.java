package javaland.runtime.loop;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javaland.runtime.kernel.Kernel;
import javaland.runtime.kernel.KernelKnob;
import javaland.runtime.kernel.KernelParams;
import javaland.runtime.kernel.TaskBatch;
import javaland.runtime.policy.PolicySchema;
import javaland.models.params.ParameterSet;
import javaland.sdk.Param;
import javaland.sdk.Policy;
import javaland.telemetry.metrics.DispatchRecorder;
import java.util.List;

/**
 * The dispatch loop: one platform thread that owns both rings and runs the policy inline.
 *
 * <p>It never runs on a Vert.x event loop or a virtual thread (the poll blocks in native code).
 * The control plane talks to it only through {@link #update}, an atomic reference read between
 * batches, and through the counters below, which it writes and others only read.
 *
 * <p>A misbehaving policy is contained, not fatal: a batch whose policy threw is submitted with
 * what it decided before throwing, tasks it left undecided are rescued by the kernel after
 * {@code kernel.rescue_ms}, and a batch that took longer than that (its decisions arrive after
 * the rescue, cancelled) is counted as an overrun. Each kind is counted ({@link #faults}) for the
 * metrics, the report and the canary's guard. Only errors of the JVM itself end the loop.
 */
public final class DispatchLoop {
  private static final int POLL_TIMEOUT_MS = 50;

  private final Kernel kernel;
  // The loop thread's own: replaced between batches only (a swap, see update).
  private Policy policy;
  private List<Param> policyParams;
  private final TaskBatch batch;
  private final ParameterSet initial;
  /** A policy and its values, to be put in force between two batches. */
  private record InForce(Policy policy, ParameterSet values) {}

  private final AtomicReference<InForce> pending = new AtomicReference<>();
  private volatile Policy requested;
  private volatile long swaps;
  private final CountDownLatch finished = new CountDownLatch(1);
  private final Thread thread;
  private final DispatchRecorder recorder;
  private volatile boolean stopRequested;
  private volatile Throwable failure;

  // Written by the loop thread only; read by anyone (a slightly stale value is fine).
  private volatile long batches;
  private volatile long tasks;
  private volatile long busyNs;
  private volatile int largestBatch;
  private volatile long finalCpuNs = -1;
  private volatile long policyThrew;
  private volatile long policyOverran;
  private volatile long undecidedTasks;
  private volatile Throwable lastPolicyFailure;
  // When the batch in the policy now went in (0: between batches), and the budget it has: read by
  // the canary, so that a policy stuck in one batch is seen while it is stuck, not once it returns.
  private volatile long decidingSinceNs;
  private volatile long rescueNs;
  private final RoundTripStages stages = new RoundTripStages();
  // rules: classifies each batch's tasks from a cache before the policy runs (null: no rules)
  private volatile javaland.runtime.rules.TaskClassifier classifier;

  /**
   * Task classes of {@code javaland_sched_delay_seconds}, in the order of the kernel's
   * histograms ({@link Kernel#schedDelayHistograms()}): woken up, or back after its slice ran out
   * or it was preempted.
   */
  public static final java.util.List<String> TASK_CLASSES = java.util.List.of("wakeup", "requeue");

  /**
   * A loop that runs {@code policy} against {@code kernel} with the values of {@code initial} (a
   * set of the policy's and the kernel half's schema) in force from the first batch.
   */
  public DispatchLoop(Kernel kernel, Policy policy, ParameterSet initial, int batchCapacity, DispatchRecorder recorder) {
    this.kernel = kernel;
    this.policy = policy;
    this.requested = policy;
    this.policyParams = policy.parameters();
    this.initial = initial;
    this.batch = new TaskBatch(batchCapacity);
    this.recorder = recorder;
    this.thread = Thread.ofPlatform().name("javaland-dispatch").daemon(true).unstarted(this::run);
    thread.setPriority(Thread.MAX_PRIORITY);
  }

  /** Puts the initial values in force (Thread.start publishes them to the loop), then starts the loop. */
  public void start() {
    apply(initial);
    thread.start();
  }

  /** rules: fills the batch's class columns before the policy runs; set before {@link #start}. */
  public void classifyWith(javaland.runtime.rules.TaskClassifier c) {
    classifier = c;
  }

  /** Queues new values (a validated set of the same schema); the newest wins if several arrive within one batch. */
  public void update(ParameterSet values) {
    update(requested, values);
  }

  /**
   * Queues {@code next} with {@code values} (a validated set of its schema): from the next batch
   * on, it decides. What the previous policy decided is submitted; the tasks it left undecided are
   * the kernel's rescue; the records still in the ring go to {@code next}. The newest wins.
   */
  public void update(Policy next, ParameterSet values) {
    requested = java.util.Objects.requireNonNull(next);
    pending.set(new InForce(next, values));
  }

  /** Times another policy was put in force (hot swaps, each way). */
  public long swaps() {
    return swaps;
  }

  public void requestStop() {
    stopRequested = true;
  }

  /** Waits until the loop ended: asked to stop, kernel unloaded us, or the policy threw. */
  public boolean awaitEnd(long timeout, TimeUnit unit) throws InterruptedException {
    return finished.await(timeout, unit);
  }

  public boolean ended() {
    return finished.getCount() == 0;
  }

  public Throwable failure() {
    return failure;
  }

  /** What the loop contained of the policy's misbehaviour so far. */
  public PolicyFaults faults() {
    return new PolicyFaults(policyThrew, policyOverran, undecidedTasks);
  }

  /**
   * Whether the batch in the policy now has been there longer than {@code kernel.rescue_ms}: the
   * kernel is rescuing its tasks, and the overrun is counted in {@link #faults} only when it returns.
   */
  public boolean overrunningNow() {
    long since = decidingSinceNs;
    return since != 0 && System.nanoTime() - since > rescueNs;
  }

  /** What the policy threw last (it did not end the loop), or null. */
  public Throwable lastPolicyFailure() {
    return lastPolicyFailure;
  }

  public long batches() {
    return batches;
  }

  public long tasks() {
    return tasks;
  }

  public int largestBatch() {
    return largestBatch;
  }

  /** Where the round trips of the tasks decided so far went, up to the decision written. */
  public RoundTripStages.Snapshot stages() {
    return stages.snapshot();
  }

  /** Time spent deciding (policy and writing decisions), in nanoseconds. */
  public long busyNs() {
    return busyNs;
  }

  /** CPU time the dispatch thread has used, in nanoseconds (-1 if the JVM cannot tell). */
  public long cpuNs() {
    return ended() ? finalCpuNs
        : java.lang.management.ManagementFactory.getThreadMXBean().getThreadCpuTime(thread.threadId());
  }

  private void run() {
    try {
      kernel.registerDispatcherThread();
      // One batch per call, not the loop's body inline: a method runs interpreted until it was
      // called a few hundred times, and this loop's own frame (tens of batches a second) would never
      // be compiled; under TCG the interpreted loop was a third of the dispatch thread's samples.
      while (!stopRequested && kernel.exitInfo().isEmpty()) step();
    } catch (Throwable t) {
      // The kernel rescues whatever we leave undecided; report, do not rethrow on this thread.
      failure = t;
    } finally {
      finalCpuNs = java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
      finished.countDown();
    }
  }

  /** One turn of the loop: put queued values in force, read a batch, decide it, submit it. */
  private void step() {
    InForce u = pending.getAndSet(null);
    if (u != null) {
      if (u.policy() != policy) {
        policy = u.policy();
        policyParams = policy.parameters();
        swaps++;
      }
      apply(u.values());
    }
    int n = kernel.poll(batch, POLL_TIMEOUT_MS);
    if (n == 0) {
      stages.emptyWakeup();
      return;
    }
    long readNs = kernel.nowNs();
    long t0 = System.nanoTime();
    if (classifier != null) classifier.classify(batch); // rules: cache lookups only
    decidingSinceNs = t0 | 1; // never 0, which says "between batches"
    try {
      policy.schedule(batch, kernel);
    } catch (StackOverflowError | RuntimeException | LinkageError | AssertionError e) {
      // the policy's bug, not the loop's: keep what it decided, the kernel rescues the rest
      policyThrew++;
      lastPolicyFailure = e;
    }
    long t1 = System.nanoTime();
    busyNs += t1 - t0;
    if (t1 - t0 > rescueNs) policyOverran++;
    decidingSinceNs = 0;
    int undecided = 0;
    for (int i = 0; i < n; i++) if (!batch.decided(i)) undecided++;
    if (undecided > 0) undecidedTasks += undecided;
    kernel.submit(batch);
    stages.record(batch, n, readNs, kernel.nowNs());
    // Batch counters only: the scheduling delay is measured by the kernel (Kernel.schedDelayHistograms).
    recorder.recordBatch(n, t1 - t0);
    batches++;
    tasks += n;
    if (n > largestBatch) largestBatch = n;
  }

  /** Puts {@code values} in force: the policy's fields, then the kernel half's knobs. */
  private void apply(ParameterSet values) {
    PolicySchema.configure(policy, policyParams, values);
    kernel.tune(KernelParams.of(values));
    rescueNs = kernel.params().get(KernelKnob.RESCUE);
  }
}
