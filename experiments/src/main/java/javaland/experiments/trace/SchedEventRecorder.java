package javaland.experiments.trace;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import javaland.runtime.kernel.CpuTopology;
import javaland.runtime.kernel.SchedEventListener;

/**
 * Writes a kernel's scheduling events ({@link SchedEventListener}: the BPF runtime's event ring)
 * as a trace. Each callback becomes what an ftrace of the same moment would hold:
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
 *   <li>{@code task}: a TASK record; its label is {@value #EXEMPT_LABEL} for a task the kernel half
 *       dispatches itself (the scheduler's own threads, per-CPU and reclaim kthreads), which a
 *       replay dispatches the same way; empty otherwise (the replay classes tasks by what they did);
 *   <li>{@code lost}: a LOST record with the count.
 * </ul>
 *
 * <p>Single-threaded, as the listener contract promises. An I/O error is thrown unchecked from
 * the callback (the event reader then stops) and again from {@link #close()}.
 */
public final class SchedEventRecorder implements SchedEventListener, AutoCloseable {
  /** The clock of the BPF kernel's timestamps (bpf_ktime_get_ns). */
  public static final String CLOCK_MONOTONIC = "monotonic";
  /** The label of exempt tasks: the BPF side dispatches them without asking the policy. */
  public static final String EXEMPT_LABEL = "exempt";

  private final TraceWriter out;
  private final Set<Integer> seen = new HashSet<>(); // pids that ran or stopped in the trace
  private IOException failure;

  public SchedEventRecorder(TraceWriter out) {
    this.out = out;
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

  @Override
  public void task(int pid, int tgid, String comm, int weight, boolean exempt) {
    try {
      out.task(pid, Math.max(-1, tgid), comm, exempt ? EXEMPT_LABEL : "");
    } catch (IOException e) {
      throw fail(e);
    }
  }

  @Override
  public void runnable(long nowNs, int cpu, int pid, int wakerPid, boolean wokeUp) {
    try {
      if (wokeUp) {
        out.wakeup(EventType.WAKING, nowNs, cpu, pid, -1);
      } else if (seen.add(pid)) {
        out.wakeup(EventType.WAKEUP_NEW, nowNs, cpu, pid, -1);
      }
    } catch (IOException e) {
      throw fail(e);
    }
  }

  @Override
  public void running(long nowNs, int cpu, int pid) {
    try {
      seen.add(pid);
      out.switchTo(nowNs, cpu, 0, TaskState.RUNNING, pid);
    } catch (IOException e) {
      throw fail(e);
    }
  }

  @Override
  public void stopping(long nowNs, int cpu, int pid, boolean stillRunnable, boolean dead) {
    try {
      seen.add(pid);
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

  /** Closes the trace; call once the kernel stopped calling (BpfKernel closed). */
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
