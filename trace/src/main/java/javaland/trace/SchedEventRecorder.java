package javaland.trace;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import java.util.regex.Pattern;
import javaland.runtime.kernel.Exemption;
import javaland.runtime.kernel.SchedEventListener;
import javaland.runtime.kernel.sim.SimKernel;
import javaland.runtime.kernel.sim.TaskSpec;
import javaland.runtime.kernel.sim.Workload;
import javaland.sdk.CpuTopology;

/**
 * Writes a kernel's scheduling events ({@link SchedEventListener}) as a trace: the one recorder
 * of both kernels ({@code ./javaland run --record}). The BPF kernel's event ring feeds it through
 * its reader ({@link #create}); the simulated kernel calls it at the points of its model where
 * the BPF callbacks would ({@link #attach}). Each event becomes what an ftrace of the same
 * moment would hold:
 *
 * <ul>
 *   <li>{@code running}: a SWITCH on that CPU from the idle task (pid 0) to the task;
 *   <li>{@code stopping}: a SWITCH from the task to idle, in state PREEMPTED if still runnable,
 *       DEAD (after an EXIT) on its final switch-out, else SLEEPING. A context switch is thus
 *       two records, each at the instant the kernel called back: the short gap between them is
 *       the kernel's own dispatch work, and neither task is charged for it;
 *   <li>{@code runnable} after a wakeup: a WAKING on the CPU the wakeup ran on, so the task the
 *       trace shows running there is its waker (the replay's wakeup edge); a task's first
 *       runnable that is not a wakeup: WAKEUP_NEW; a runnable that is neither (the task was
 *       only taken off its queue to change CPU or priority) writes nothing;
 *   <li>{@code task}: a TASK record; for a task the kernel half dispatches itself, its label
 *       names how ({@link #label(Exemption)}: {@code exempt-jvm}, {@code exempt-dispatcher},
 *       {@code exempt-percpu}, {@code exempt-reclaim}), and a replay dispatches it the same way;
 *       otherwise empty on the BPF kernel (the replay classes tasks by what they did), the
 *       task's class on the simulated one (its workload knows it);
 *   <li>{@code lost}: a LOST record with the count.
 * </ul>
 *
 * <p>Single-threaded, as the listener contract promises; nothing is allocated per event (so it
 * may run on the simulating thread). An I/O error is thrown unchecked from the callback (the
 * BPF event reader then stops, a simulated run fails) and again from {@link #close()}.
 */
public final class SchedEventRecorder implements SchedEventListener, AutoCloseable {
  /** The clock of the BPF kernel's timestamps (bpf_ktime_get_ns). */
  public static final String CLOCK_MONOTONIC = "monotonic";
  /** The header's {@code source} of a trace of the simulated kernel ({@code bpf} for the BPF one). */
  public static final String SOURCE_SIM = "javaland simulated kernel";
  /**
   * The label of exempt tasks in traces recorded before the kind was: the BPF side dispatched
   * them without asking the policy. {@link #exemption} tells the kind from the comm.
   */
  public static final String EXEMPT_LABEL = "exempt";
  private static final Pattern PERCPU_KTHREAD = Pattern.compile(".+/\\d+(:.*)?"); // kworker/1:2, ksoftirqd/0
  private static final Pattern RECLAIM_KTHREAD = Pattern.compile("kswapd.*|khugepaged");

  /** The label a task of that exemption gets: "" for none, else "exempt-" and its kind. */
  public static String label(Exemption e) {
    return switch (e) {
      case NONE -> "";
      case JVM_THREAD -> "exempt-jvm";
      case DISPATCHER -> "exempt-dispatcher";
      case PERCPU_KTHREAD -> "exempt-percpu";
      case RECLAIM_KTHREAD -> "exempt-reclaim";
      case KTHREAD -> "exempt-kthread";
    };
  }

  /**
   * The exemption a trace's label says; for the plain {@value #EXEMPT_LABEL} of older traces, the
   * kind BPF's tests would give a task of that comm (its own dispatch thread is named
   * {@code javaland-dispatch}, truncated to 15 bytes).
   */
  public static Exemption exemption(String label, String comm) {
    for (Exemption e : Exemption.values()) {
      if (e != Exemption.NONE && label(e).equals(label)) return e;
    }
    if (!EXEMPT_LABEL.equals(label)) return Exemption.NONE;
    if (comm.startsWith("javaland-dispat")) return Exemption.DISPATCHER;
    if (RECLAIM_KTHREAD.matcher(comm).matches()) return Exemption.RECLAIM_KTHREAD;
    if (PERCPU_KTHREAD.matcher(comm).matches() && !comm.contains("/u")) return Exemption.PERCPU_KTHREAD;
    return Exemption.JVM_THREAD;
  }

  private final TraceWriter out;
  private final IntFunction<String> classOf; // pid -> its class for the label; null: none known
  private final BitSet seen = new BitSet(); // pids that ran or stopped in the trace
  private final SliceStats slices = new SliceStats();
  private IOException failure;

  /** Writes to {@code out}, labelling the policy's tasks with nothing. */
  public SchedEventRecorder(TraceWriter out) {
    this(out, null);
  }

  /** Writes to {@code out}; {@code classOf} names a task's class (the label of a task no kind exempts), null: none. */
  public SchedEventRecorder(TraceWriter out, IntFunction<String> classOf) {
    this.out = out;
    this.classOf = classOf;
  }

  /**
   * A trace at {@code file} of a machine of {@code topology}; {@code metadata} goes into the
   * header after {@code source=bpf}.
   */
  public static SchedEventRecorder create(Path file, CpuTopology topology, Map<String, String> metadata)
      throws IOException {
    Map<String, String> meta = new LinkedHashMap<>();
    meta.put("source", "bpf");
    if (metadata != null) meta.putAll(metadata);
    return new SchedEventRecorder(TraceWriter.create(file, TraceHeader.of(CLOCK_MONOTONIC, topology, meta)));
  }

  /**
   * A trace at {@code file} of {@code workload} running on {@code kernel}, which sends its events
   * here from now on (call before the run starts). The header's clock is the virtual one, its
   * topology the simulated machine's, its metadata {@code source}, {@code workload}, {@code seed},
   * {@code kernel}, then {@code metadata}; a task's label is its class.
   *
   * <pre>{@code
   * SimKernel k = new SimKernel(workload, config);
   * try (SchedEventRecorder rec = SchedEventRecorder.attach(k, workload, Path.of("run.jlt"), Map.of("policy", "deadline"))) {
   *   k.runToCompletion(new DeadlinePolicy());
   * }
   * }</pre>
   */
  public static SchedEventRecorder attach(SimKernel kernel, Workload workload, Path file, Map<String, String> metadata)
      throws IOException {
    Map<String, String> meta = new LinkedHashMap<>();
    meta.put("source", SOURCE_SIM);
    meta.put("workload", workload.name());
    meta.put("seed", Long.toString(workload.seed()));
    meta.put("kernel", kernel.describe());
    if (metadata != null) meta.putAll(metadata);
    List<TaskSpec> specs = workload.tasks();
    SchedEventRecorder r = new SchedEventRecorder(TraceWriter.create(file, TraceHeader.of(TraceHeader.CLOCK_SIM,
        kernel.topology(), meta)), pid -> {
          int i = pid - SimKernel.PID_BASE;
          return i >= 0 && i < specs.size() ? specs.get(i).label() : "";
        });
    kernel.setListener(r);
    return r;
  }

  @Override
  public void task(int pid, int tgid, String comm, int weight, Exemption exempt) {
    slices.task(pid, exempt);
    try {
      out.task(pid, Math.max(-1, tgid), comm, exempt.exempt() || classOf == null ? label(exempt) : classOf.apply(pid));
    } catch (IOException e) {
      throw fail(e);
    }
  }

  @Override
  public void runnable(long nowNs, int cpu, int pid, int wakerPid, boolean wokeUp) {
    try {
      if (wokeUp) {
        out.wakeup(EventType.WAKING, nowNs, cpu, pid, -1);
      } else if (!seen.get(pid)) {
        seen.set(pid);
        out.wakeup(EventType.WAKEUP_NEW, nowNs, cpu, pid, -1);
      }
    } catch (IOException e) {
      throw fail(e);
    }
  }

  @Override
  public void running(long nowNs, int cpu, int pid, long sliceNs) {
    slices.running(nowNs, pid, sliceNs);
    try {
      seen.set(pid);
      out.switchTo(nowNs, cpu, 0, TaskState.RUNNING, pid);
    } catch (IOException e) {
      throw fail(e);
    }
  }

  @Override
  public void stopping(long nowNs, int cpu, int pid, boolean stillRunnable, boolean dead, long sliceLeftNs) {
    slices.stopping(nowNs, pid, stillRunnable, sliceLeftNs);
    try {
      seen.set(pid);
      if (dead) out.exit(nowNs, cpu, pid); // as in the kernel: sched_process_exit, then the last switch
      TaskState state = stillRunnable ? TaskState.PREEMPTED : dead ? TaskState.DEAD : TaskState.SLEEPING;
      out.switchTo(nowNs, cpu, pid, state, 0);
    } catch (IOException e) {
      throw fail(e);
    }
  }

  @Override
  public void lost(long nowNs, long count) {
    try {
      out.lost(nowNs, -1, count);
    } catch (IOException e) {
      throw fail(e);
    }
  }

  /** What the kernel did with the policy's slices (not in the trace: its format has no field for them). */
  public SliceStats slices() {
    return slices;
  }

  private UncheckedIOException fail(IOException e) {
    if (failure == null) failure = e;
    return new UncheckedIOException(e);
  }

  /** Adds a key/value pair to the summary at the end (the kernel's name, counts known only then). */
  public void putEndMetadata(String key, String value) {
    out.putEndMetadata(key, value);
  }

  /** What has been written so far. */
  public TraceSummary summarySoFar() {
    return out.summarySoFar();
  }

  /** Closes the trace; call once the kernel stopped calling (closed). */
  @Override
  public void close() throws IOException {
    out.close();
    if (failure != null) throw failure;
  }

  /** The summary written at the end; null until closed. */
  public TraceSummary summary() {
    return out.summary();
  }
}
