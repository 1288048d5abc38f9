package javaland.trace;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javaland.runtime.kernel.TaskBatch;
import javaland.runtime.kernel.sim.SimKernel;
import javaland.runtime.kernel.sim.TaskSpec;
import javaland.runtime.kernel.sim.Workload;

/**
 * Records a simulated run as a trace: an observer of {@link SimKernel} that turns its callbacks
 * into the same events an ftrace of the real kernel would hold, and writes them through a
 * {@link TraceWriter}.
 *
 * <pre>{@code
 * SimKernel k = new SimKernel(workload, config);
 * try (TraceRecorder rec = TraceRecorder.attach(k, workload, Path.of("run.jlt"), Map.of("policy", "deadline"))) {
 *   k.runToCompletion(new DeadlinePolicy());
 * }
 * }</pre>
 *
 * <p>The observer says when a task is queued to the policy, starts and stops running on a CPU,
 * and exits. The rest is inferred, exactly for the simulation's own semantics:
 * <ul>
 *   <li>a task that stops and is queued again at the same instant with wokeUp=false was preempted
 *       (its slice ran out: "R+"); one that exits is dead ("X"); any other stop is a sleep ("S");
 *       a stop is written as a switch when the CPU's next task starts at the same instant, else
 *       as a switch to idle once time moves on;
 *   <li>a wakeup is written when a blocked task is queued with wokeUp=true, or starts running
 *       (the idle fast path, where select_cpu dispatches at once); a task's first appearance is a
 *       wakeup_new. A wakeup sent straight to the shared queue because the ring was full or
 *       congested has no callback, so it appears when the task runs (its delay reads as 0).
 * </ul>
 *
 * <p>{@link #runnable}, {@link #decided} and {@link #fallback} are written exactly when called:
 * they match callbacks SimKernel.Observer does not have yet, and take over from the inference
 * once it calls them. Task {@code i} of the workload is pid {@code SimKernel.PID_BASE + i}, its
 * group's first task its tgid, its label the task's class. I/O errors inside a callback are
 * rethrown (unchecked) and again by {@link #close()}.
 */
public final class TraceRecorder implements SimKernel.Observer, AutoCloseable {
  private static final byte NEW = 0;
  private static final byte RUNNABLE = 1;
  private static final byte RUNNING = 2;
  private static final byte BLOCKED = 3;
  private static final byte EXITED = 4;

  private final TraceWriter out;
  private final int nrTasks;
  private final byte[] state;
  private final int[] lastCpu;
  // Per CPU: the task that stopped there and has no successor yet (-1: none), when, and how.
  private final int[] pendPid;
  private final long[] pendAt;
  private final TaskState[] pendState;
  private int pending;
  private long earliestPending = Long.MAX_VALUE; // no pending stop is older: lets advance() skip the scan
  private IOException failure;

  /** Writes a trace of {@code workload} running on {@code kernel} to {@code file} and starts observing. */
  public static TraceRecorder attach(SimKernel kernel, Workload workload, Path file, Map<String, String> metadata)
      throws IOException {
    Map<String, String> meta = new LinkedHashMap<>();
    meta.put("source", "javaland simulated kernel");
    meta.put("workload", workload.name());
    meta.put("seed", Long.toString(workload.seed()));
    meta.put("kernel", kernel.describe());
    if (metadata != null) meta.putAll(metadata);
    TraceWriter w = TraceWriter.create(file, TraceHeader.of(TraceHeader.CLOCK_SIM, kernel.topology(), meta));
    try {
      TraceRecorder r = new TraceRecorder(w, workload, kernel.topology().nrCpus());
      kernel.setObserver(r);
      return r;
    } catch (IOException | RuntimeException e) {
      w.close();
      throw e;
    }
  }

  /** Defines the workload's tasks on {@code out}; set it as the kernel's observer before the run starts. */
  public TraceRecorder(TraceWriter out, Workload workload, int nrCpus) throws IOException {
    this.out = out;
    List<TaskSpec> specs = workload.tasks();
    nrTasks = specs.size();
    state = new byte[nrTasks];
    lastCpu = new int[nrTasks];
    Arrays.fill(lastCpu, -1);
    pendPid = new int[nrCpus];
    pendAt = new long[nrCpus];
    pendState = new TaskState[nrCpus];
    Arrays.fill(pendPid, -1);
    for (int i = 0; i < nrTasks; i++) {
      TaskSpec s = specs.get(i);
      out.task(SimKernel.PID_BASE + i, SimKernel.PID_BASE + s.groupBase(), comm(s.comm()), s.label());
    }
  }

  /** As the kernel has it: the first 15 bytes (task->comm is 16 with its NUL). */
  private static String comm(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    int len = Math.min(b.length, TaskBatch.COMM_LEN - 1);
    return new String(b, 0, len, StandardCharsets.UTF_8);
  }

  // ---------------------------------------------------------------- SimKernel.Observer

  @Override
  public void queued(long nowNs, int pid, long seq, boolean wokeUp) {
    int t = index(pid);
    if (t < 0) return;
    try {
      advance(nowNs);
      int cpu = lastCpu[t];
      if (state[t] == NEW) {
        out.wakeup(EventType.WAKEUP_NEW, nowNs, -1, pid, -1);
      } else if (!wokeUp && cpu >= 0 && pendPid[cpu] == pid) {
        pendState[cpu] = TaskState.PREEMPTED; // its slice ran out: straight back to the queue
      } else if (state[t] != RUNNABLE) {
        flushPendingOf(t);
        out.wakeup(EventType.WAKEUP, nowNs, -1, pid, -1);
      }
      state[t] = RUNNABLE;
      out.queued(nowNs, -1, pid, seq, wokeUp);
    } catch (IOException e) {
      throw fail(e);
    }
  }

  @Override
  public void running(long nowNs, int cpu, int pid) {
    int t = index(pid);
    if (t < 0 || cpu < 0 || cpu >= pendPid.length) return;
    try {
      advance(nowNs);
      flushPendingOf(t); // it stopped at this instant (elsewhere, or here): that switch comes first
      if (state[t] == NEW) {
        out.wakeup(EventType.WAKEUP_NEW, nowNs, cpu, pid, cpu);
      } else if (state[t] == BLOCKED) {
        out.wakeup(EventType.WAKEUP, nowNs, cpu, pid, cpu); // select_cpu found this CPU idle
      }
      int prev = 0;
      TaskState prevState = TaskState.RUNNING; // the idle task is always runnable
      if (pendPid[cpu] >= 0) {
        prev = pendPid[cpu];
        prevState = pendState[cpu];
        clearPending(cpu);
      }
      out.switchTo(nowNs, cpu, prev, prevState, pid);
      state[t] = RUNNING;
      lastCpu[t] = cpu;
    } catch (IOException e) {
      throw fail(e);
    }
  }

  @Override
  public void stopping(long nowNs, int cpu, int pid, long ranNs) {
    int t = index(pid);
    if (t < 0 || cpu < 0 || cpu >= pendPid.length) return;
    try {
      advance(nowNs);
      if (pendPid[cpu] >= 0) flush(cpu);
      pendPid[cpu] = pid;
      pendAt[cpu] = nowNs;
      earliestPending = Math.min(earliestPending, nowNs);
      pendState[cpu] = TaskState.SLEEPING; // until a re-queue or an exit says otherwise
      pending++;
      state[t] = BLOCKED;
      lastCpu[t] = cpu;
    } catch (IOException e) {
      throw fail(e);
    }
  }

  @Override
  public void exited(long nowNs, int pid) {
    int t = index(pid);
    if (t < 0) return;
    try {
      advance(nowNs);
      int cpu = lastCpu[t];
      if (cpu >= 0 && pendPid[cpu] == pid) pendState[cpu] = TaskState.DEAD;
      state[t] = EXITED;
      out.exit(nowNs, cpu, pid); // as in the kernel: sched_process_exit, then the last switch away
    } catch (IOException e) {
      throw fail(e);
    }
  }

  // ---------------------------------------------------------------- callbacks the observer does not have yet

  /**
   * A task became runnable and select_cpu chose {@code cpu}: a wakeup ({@code wokeUp}) or a
   * fork. Proposed as {@code SimKernel.Observer.runnable}; with it, wakeups are exact.
   */
  public void runnable(long nowNs, int pid, int cpu, boolean wokeUp) {
    int t = index(pid);
    if (t < 0) return;
    try {
      advance(nowNs);
      if (state[t] == RUNNABLE || state[t] == RUNNING) return;
      flushPendingOf(t);
      out.wakeup(state[t] == NEW ? EventType.WAKEUP_NEW : EventType.WAKEUP, nowNs, -1, pid, cpu);
      state[t] = RUNNABLE;
    } catch (IOException e) {
      throw fail(e);
    }
  }

  /** A decision was applied: to {@code cpu}'s queue, or the shared one for {@link Decisions#ANY_CPU}. */
  public void decided(long nowNs, int pid, long seq, int cpu, long sliceNs, long deadline) {
    try {
      advance(nowNs);
      out.decided(nowNs, -1, pid, seq, Math.max(-1, cpu), sliceNs, deadline);
    } catch (IOException e) {
      throw fail(e);
    }
  }

  /** The kernel half dispatched the task itself; {@code reason} is a {@link FallbackReason} code. */
  public void fallback(long nowNs, int pid, int reason) {
    try {
      advance(nowNs);
      out.fallback(nowNs, -1, pid, FallbackReason.ofCode(reason));
    } catch (IOException e) {
      throw fail(e);
    }
  }

  // ---------------------------------------------------------------- pending stops

  private int index(int pid) {
    int t = pid - SimKernel.PID_BASE;
    return t >= 0 && t < nrTasks ? t : -1;
  }

  /** Time moved on: stops with no successor at their instant left their CPU idle. */
  private void advance(long nowNs) throws IOException {
    if (pending == 0 || nowNs <= earliestPending) return;
    long earliest = Long.MAX_VALUE;
    for (int c = 0; c < pendPid.length; c++) {
      if (pendPid[c] < 0) continue;
      if (pendAt[c] < nowNs) flush(c);
      else earliest = Math.min(earliest, pendAt[c]);
    }
    earliestPending = earliest;
  }

  /** A task about to be named again must have left its CPU first. */
  private void flushPendingOf(int t) throws IOException {
    int cpu = lastCpu[t];
    if (cpu >= 0 && pendPid[cpu] == SimKernel.PID_BASE + t) flush(cpu);
  }

  private void flush(int cpu) throws IOException {
    out.switchTo(pendAt[cpu], cpu, pendPid[cpu], pendState[cpu], 0);
    clearPending(cpu);
  }

  private void clearPending(int cpu) {
    pendPid[cpu] = -1;
    pending--;
  }

  private UncheckedIOException fail(IOException e) {
    if (failure == null) failure = e;
    return new UncheckedIOException(e);
  }

  /** What the writer has written so far. */
  public TraceSummary summarySoFar() {
    return out.summarySoFar();
  }

  /** Writes what is pending (tasks still on a CPU when the run ended switch to idle) and closes the trace. */
  @Override
  public void close() throws IOException {
    try {
      if (failure == null) {
        for (int c = 0; c < pendPid.length; c++) if (pendPid[c] >= 0) flush(c);
      }
    } finally {
      out.close();
    }
    if (failure != null) throw failure;
  }

  /** The summary written at the end; null until closed. */
  public TraceSummary summary() {
    return out.summary();
  }
}
