package javaland.runtime.kernel;

import java.util.List;
import java.util.Optional;
import javaland.sdk.KernelView;

/**
 * The boundary a policy runs against: the BPF backend on a sched_ext kernel, or a simulated
 * kernel. The dispatch loop is its only caller of {@link #poll}, {@link #submit} and
 * {@link #tune}, all from one thread; the rest may be called from anywhere.
 */
public interface Kernel extends KernelView, AutoCloseable {
  /** One line for humans: what this is ("sched_ext on Linux 7.3.4", "simulated, 4 CPUs"). */
  String describe();

  /**
   * Fills {@code batch} with tasks waiting for a decision, waiting at most {@code timeoutMs} when
   * there are none. Returns the number of tasks (0 on timeout).
   */
  int poll(TaskBatch batch, int timeoutMs);

  /**
   * Hands the decisions of {@code batch} (as filled by {@link #poll} and decided by the policy)
   * to the kernel, in batch order; undecided tasks are left to the kernel's rescue.
   */
  void submit(TaskBatch batch);

  /** Tells the kernel which thread runs the dispatch loop (it is never made to wait). */
  void registerDispatcherThread();

  /** Puts the kernel half's knobs in force (on the dispatch thread, between batches). */
  void tune(KernelParams params);

  /** The knobs in force. */
  KernelParams params();

  KernelStats stats();

  /**
   * The kernel's round-trip histogram since attach, bucket i as in {@link LatencyBuckets}
   * (cumulative counts, not a copy kept anywhere), and the sum of all round trips; an empty
   * array when this kernel keeps none.
   */
  default long[] roundTripHistogram() {
    return new long[0];
  }

  default long roundTripSumNs() {
    return 0;
  }

  /**
   * The kernel's scheduling-delay histograms (runnable to running) since attach, one per class
   * (0: woke up, 1: put back after its slice ran out or it was preempted), buckets as in
   * {@link LatencyBuckets}, cumulative; an empty array when this kernel keeps none.
   */
  default long[][] schedDelayHistograms() {
    return new long[0][];
  }

  /** The sum of all scheduling delays per class, as {@link #schedDelayHistograms()}; empty when none. */
  default long[] schedDelaySumsNs() {
    return new long[0];
  }

  /**
   * Time the CPUs of {@link #topology()} spent running tasks since some fixed point, summed over
   * CPUs, in ns; -1 when this kernel cannot tell. Only differences are meaningful.
   */
  default long cpuBusyNs() {
    return -1;
  }

  /**
   * What the classification rules match on, for task {@code pid}; empty when it is gone (or this
   * kernel cannot tell). Reads files on a real kernel: never call it on the dispatch thread.
   */
  default Optional<TaskInfo> taskInfo(int pid) {
    return Optional.empty();
  }

  /**
   * Where the classifier puts each task's class for the kernel half to act on by itself; {@link
   * TaskClassSink#NONE} when this kernel does not use classes. Not for the dispatch thread.
   */
  default TaskClassSink taskClasses() {
    return TaskClassSink.NONE;
  }

  /**
   * What each of the kernel half's programs cost so far (while the kernel keeps BPF run-time
   * statistics); empty where there are no programs (the simulated kernel) or the counts cannot be read.
   */
  default List<ProgramCost> programCosts() {
    return List.of();
  }

  /**
   * Whether this is a model of the kernel half rather than the real sched_ext one: what
   * {@code /status}, {@code run --stats} and {@code javaland_attached{kernel}} say, so that nobody
   * mistakes a simulation for the real thing.
   */
  default boolean simulated() {
    return false;
  }

  /** What {@link #kind()} answers: the real kernel half, or its model. */
  List<String> KINDS = List.of("sched_ext", "simulated");

  /** {@code sched_ext} or {@code simulated} ({@link #KINDS}), as the {@code kernel} tag of {@code javaland_attached} says. */
  default String kind() {
    return simulated() ? KINDS.get(1) : KINDS.get(0);
  }

  /** Present once the kernel has unloaded the scheduler. */
  Optional<ExitInfo> exitInfo();

  /**
   * Gives the kernel its scheduler back now (sched_ext disabled), keeping the counters readable
   * until {@link #close()}: a stop reads them after the kernel is free again. Idempotent.
   */
  default void detach() {}

  /** Detaches (if attached) and frees everything; idempotent. */
  @Override
  void close();
}
