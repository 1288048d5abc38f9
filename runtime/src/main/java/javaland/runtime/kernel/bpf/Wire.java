package javaland.runtime.kernel.bpf;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import javaland.runtime.kernel.TaskBatch;

/**
 * Java mirrors of the C structs in {@code bpf/intf.h}. Member names are the C names, so a test
 * can compare every offset with the compiled object's BTF ({@code WireLayoutTest}).
 */
public final class Wire {
  public static final int COMM_LEN = 16;
  public static final int CPU_ANY = -1;
  public static final int RT_BUCKETS = javaland.runtime.kernel.LatencyBuckets.COUNT;
  public static final int TASK_WAKEUP = 1;

  public static final StructLayout QUEUED_TASK = MemoryLayout.structLayout(
      JAVA_INT.withName("pid"),
      JAVA_INT.withName("tgid"),
      JAVA_INT.withName("prev_cpu"),
      JAVA_INT.withName("nr_cpus_allowed"),
      JAVA_LONG.withName("enq_flags"),
      JAVA_LONG.withName("seq"),
      JAVA_LONG.withName("enq_ns"),
      JAVA_LONG.withName("exec_ns"),
      JAVA_LONG.withName("vtime"),
      JAVA_INT.withName("weight"),
      JAVA_INT.withName("flags"),
      MemoryLayout.sequenceLayout(COMM_LEN, JAVA_BYTE).withName("comm"))
      .withName("jl_queued_task");

  public static final StructLayout DECISION = MemoryLayout.structLayout(
      JAVA_INT.withName("pid"),
      JAVA_INT.withName("cpu"),
      JAVA_LONG.withName("seq"),
      JAVA_LONG.withName("slice_ns"),
      JAVA_LONG.withName("deadline"),
      JAVA_LONG.withName("vtime"),
      JAVA_LONG.withName("wake_slice_ns"),
      JAVA_LONG.withName("wake_deadline_ns"))
      .withName("jl_decision");

  public static final StructLayout COUNTERS = MemoryLayout.structLayout(
      JAVA_LONG.withName("queued"),
      JAVA_LONG.withName("user_dispatches"),
      JAVA_LONG.withName("kernel_dispatches"),
      JAVA_LONG.withName("idle_dispatches"),
      JAVA_LONG.withName("exempt_dispatches"),
      JAVA_LONG.withName("fallbacks"),
      JAVA_LONG.withName("ring_full"),
      JAVA_LONG.withName("congested"),
      JAVA_LONG.withName("cancelled"),
      JAVA_LONG.withName("bounced"),
      JAVA_LONG.withName("heartbeats"),
      JAVA_LONG.withName("preempted"),
      JAVA_LONG.withName("class_dispatches"),
      JAVA_LONG.withName("rule_dispatches"),
      JAVA_LONG.withName("rule_lapsed"),
      JAVA_LONG.withName("rule_yields"),
      JAVA_LONG.withName("rule_requeues"),
      JAVA_LONG.withName("slice_clamped"),
      JAVA_LONG.withName("deadline_clamped"),
      JAVA_LONG.withName("rt_count"),
      JAVA_LONG.withName("rt_sum_ns"),
      JAVA_LONG.withName("rt_max_ns"),
      MemoryLayout.sequenceLayout(RT_BUCKETS, JAVA_LONG).withName("rt_hist"))
      .withName("jl_counters");

  public static final StructLayout PARAMS = MemoryLayout.structLayout(
      JAVA_LONG.withName("slice_ns"),
      JAVA_LONG.withName("rescue_ns"),
      JAVA_INT.withName("idle_fastpath"),
      JAVA_INT.withName("congestion_bytes"),
      JAVA_INT.withName("dispatcher_tid"),
      JAVA_INT.withName("java_sleeping"),
      JAVA_INT.withName("wakeup_preempt"),
      JAVA_INT.withName("wake_rules"),
      JAVA_LONG.withName("wake_burst_ns"),
      JAVA_LONG.withName("slice_floor_ns"),
      JAVA_LONG.withName("slice_cap_ns"),
      JAVA_LONG.withName("debug_error"))
      .withName("jl_params");

  /** Value of the {@code task_classes} hash map (keyed by pid): see TaskClassMap. */
  public static final StructLayout TASK_CLASS = MemoryLayout.structLayout(
      JAVA_LONG.withName("start_ticks"),
      JAVA_LONG.withName("slice_min_ns"),
      JAVA_LONG.withName("slice_max_ns"),
      JAVA_INT.withName("cls"),
      JAVA_INT.withName("pad"))
      .withName("jl_task_class");

  /** {@code JL_CLASS_MAX_TASKS}: the task_classes map's capacity. */
  public static final int CLASS_MAX_TASKS = 32_768;

  public static final StructLayout EXIT_INFO = MemoryLayout.structLayout(
      JAVA_LONG.withName("kind"),
      JAVA_LONG.withName("exit_code"),
      MemoryLayout.sequenceLayout(128, JAVA_BYTE).withName("reason"),
      MemoryLayout.sequenceLayout(1024, JAVA_BYTE).withName("msg"))
      .withName("jl_exit_info");

  /** Classes of the scheduling-delay histograms ({@code JL_SD_*}). */
  public static final int SD_WAKEUP = 0;
  public static final int SD_REQUEUE = 1;
  public static final int SD_CLASSES = 2;

  public static final StructLayout SCHED_DELAY = MemoryLayout.structLayout(
      MemoryLayout.sequenceLayout(SD_CLASSES, JAVA_LONG).withName("count"),
      MemoryLayout.sequenceLayout(SD_CLASSES, JAVA_LONG).withName("sum_ns"),
      MemoryLayout.sequenceLayout(SD_CLASSES, MemoryLayout.sequenceLayout(RT_BUCKETS, JAVA_LONG)).withName("hist"))
      .withName("jl_sched_delay");

  // ---- scheduling-event trace (bpf/sched_events.h): JL_EV_*, JL_EVF_* ----
  public static final int EV_ENABLE = 1;
  public static final int EV_RUNNABLE = 2;
  public static final int EV_RUNNING = 3;
  public static final int EV_STOPPING = 4;
  public static final int EVF_WAKEUP = 1;
  public static final int EVF_DEAD = 2;
  public static final int EVF_EXEMPT = 4;
  public static final int EVF_EXEMPT_KIND_MASK = 24;
  public static final int EVF_EXEMPT_DISPATCHER = 8;
  public static final int EVF_EXEMPT_PERCPU = 16;
  public static final int EVF_EXEMPT_RECLAIM = 24;
  public static final int EVF_EXEMPT_KTHREAD = 32;

  public static final StructLayout SCHED_EVENT = MemoryLayout.structLayout(
      JAVA_LONG.withName("ts_ns"),
      JAVA_INT.withName("pid"),
      JAVA_INT.withName("tgid"),
      JAVA_INT.withName("cpu"),
      JAVA_INT.withName("arg"),
      JAVA_INT.withName("weight"),
      JAVA_SHORT.withName("kind"),
      JAVA_SHORT.withName("flags"),
      MemoryLayout.sequenceLayout(COMM_LEN, JAVA_BYTE).withName("comm"))
      .withName("jl_sched_event");

  public static final StructLayout TRACE_COUNTERS = MemoryLayout.structLayout(
      JAVA_LONG.withName("events"),
      JAVA_LONG.withName("lost"))
      .withName("jl_trace_counters");

  static final long EV_TS = off(SCHED_EVENT, "ts_ns");
  static final long EV_PID = off(SCHED_EVENT, "pid");
  static final long EV_TGID = off(SCHED_EVENT, "tgid");
  static final long EV_CPU = off(SCHED_EVENT, "cpu");
  static final long EV_ARG = off(SCHED_EVENT, "arg");
  static final long EV_WEIGHT = off(SCHED_EVENT, "weight");
  static final long EV_KIND = off(SCHED_EVENT, "kind");
  static final long EV_FLAGS = off(SCHED_EVENT, "flags");
  static final long EV_COMM = off(SCHED_EVENT, "comm");

  /** Every mirrored struct, for the drift test. */
  public static final StructLayout[] ALL = {QUEUED_TASK, DECISION, COUNTERS, PARAMS, TASK_CLASS, EXIT_INFO,
      SCHED_DELAY, SCHED_EVENT, TRACE_COUNTERS};

  // Offsets used on the hot path, resolved once.
  static final long QT_PID = off(QUEUED_TASK, "pid");
  static final long QT_TGID = off(QUEUED_TASK, "tgid");
  static final long QT_PREV_CPU = off(QUEUED_TASK, "prev_cpu");
  static final long QT_NR_CPUS = off(QUEUED_TASK, "nr_cpus_allowed");
  static final long QT_ENQ_FLAGS = off(QUEUED_TASK, "enq_flags");
  static final long QT_SEQ = off(QUEUED_TASK, "seq");
  static final long QT_ENQ_NS = off(QUEUED_TASK, "enq_ns");
  static final long QT_EXEC_NS = off(QUEUED_TASK, "exec_ns");
  static final long QT_VTIME = off(QUEUED_TASK, "vtime");
  static final long QT_WEIGHT = off(QUEUED_TASK, "weight");
  static final long QT_FLAGS = off(QUEUED_TASK, "flags");
  static final long QT_COMM = off(QUEUED_TASK, "comm");

  static final long D_PID = off(DECISION, "pid");
  static final long D_CPU = off(DECISION, "cpu");
  static final long D_SEQ = off(DECISION, "seq");
  static final long D_SLICE = off(DECISION, "slice_ns");
  static final long D_DEADLINE = off(DECISION, "deadline");
  static final long D_VTIME = off(DECISION, "vtime");
  static final long D_WAKE_SLICE = off(DECISION, "wake_slice_ns");
  static final long D_WAKE_DEADLINE = off(DECISION, "wake_deadline_ns");

  private Wire() {}

  /** Appends the task record at {@code data[at]} to {@code batch}. Allocation-free. */
  static void readTask(MemorySegment data, long at, TaskBatch batch) {
    int i = batch.add(
        data.get(JAVA_INT, at + QT_PID),
        data.get(JAVA_INT, at + QT_TGID),
        data.get(JAVA_INT, at + QT_PREV_CPU),
        data.get(JAVA_INT, at + QT_NR_CPUS),
        data.get(JAVA_INT, at + QT_WEIGHT),
        (data.get(JAVA_INT, at + QT_FLAGS) & TASK_WAKEUP) != 0,
        data.get(JAVA_LONG, at + QT_SEQ),
        data.get(JAVA_LONG, at + QT_ENQ_NS),
        data.get(JAVA_LONG, at + QT_EXEC_NS),
        data.get(JAVA_LONG, at + QT_VTIME));
    MemorySegment.copy(data, JAVA_BYTE, at + QT_COMM, batch.commBytes(), i * TaskBatch.COMM_LEN, COMM_LEN);
  }

  /**
   * Writes the decision for task {@code i} of {@code batch} at {@code data[at]}: its pid and
   * enqueue counter as queued, the rest as the policy decided. Allocation-free.
   */
  static void writeDecision(MemorySegment data, long at, TaskBatch batch, int i) {
    writeDecision(data, at, batch.pid(i), batch.seq(i), batch.decidedCpu(i), batch.decidedSliceNs(i),
        batch.decidedDeadline(i), batch.decidedVtime(i), batch.decidedWakeSliceNs(i), batch.decidedWakeDeadlineNs(i));
  }

  /** One decision record at {@code data[at]}, field by field (the ring tests write raw ones). */
  static void writeDecision(MemorySegment data, long at, int pid, long seq, int cpu, long sliceNs, long deadline,
      long vtime, long wakeSliceNs, long wakeDeadlineNs) {
    data.set(JAVA_INT, at + D_PID, pid);
    data.set(JAVA_INT, at + D_CPU, cpu);
    data.set(JAVA_LONG, at + D_SEQ, seq);
    data.set(JAVA_LONG, at + D_SLICE, sliceNs);
    data.set(JAVA_LONG, at + D_DEADLINE, deadline);
    data.set(JAVA_LONG, at + D_VTIME, vtime);
    data.set(JAVA_LONG, at + D_WAKE_SLICE, wakeSliceNs);
    data.set(JAVA_LONG, at + D_WAKE_DEADLINE, wakeDeadlineNs);
  }

  public static long off(StructLayout s, String member) {
    return s.byteOffset(groupElement(member));
  }

  /**
   * Every named member of {@code s} with its byte offset: for reads in a loop, where {@link #off}
   * walks the layout by name each time (under TCG the canary's once-a-second counter read spent a
   * tenth of its samples there).
   */
  public static java.util.Map<String, Long> offsets(StructLayout s) {
    java.util.Map<String, Long> m = new java.util.HashMap<>();
    for (MemoryLayout l : s.memberLayouts()) {
      if (l.name().isPresent()) m.put(l.name().get(), off(s, l.name().get()));
    }
    return java.util.Map.copyOf(m);
  }

  /** The width in bytes of {@code member} of {@code s}. */
  public static long size(StructLayout s, String member) {
    return s.select(groupElement(member)).byteSize();
  }
}
