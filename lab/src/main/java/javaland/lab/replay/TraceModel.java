package javaland.lab.replay;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import javaland.trace.EventType;
import javaland.trace.TaskState;
import javaland.trace.TraceRecord.TaskInfo;
import javaland.trace.TraceRecord;
import javaland.trace.TraceSink;
import org.HdrHistogram.Histogram;

/**
 * The streaming half of {@link TraceWorkload}: consumes trace records one at a time and keeps,
 * per task, a compact program (one {@code long} per operation) and a few counters; per CPU, the
 * task on it and since when. Nothing per event is kept beyond the operations it adds.
 *
 * <p>Per task: switched in, it runs; switched out runnable (R, R+) it was preempted and its burst
 * goes on; switched out in any other state it blocked; the first wakeup after that ends the block.
 * The wakeup's CPU names the waker (the task running there at that time; once the trace has shown
 * sched_waking, only sched_waking, which fires in the waker's context): a traced waker gets a
 * {@code post} at that point of its burst and the wakee a {@code waitFor(1)}; otherwise the wakee
 * sleeps for as long as it did in the trace. A switch-out in an unknown state (perf sched
 * timehist without --state) is a block if a wakeup follows before the task runs again, else a
 * preemption. Exits (sched_process_exit, or a switch-out in X/Z) end the program.
 *
 * <p>It also measures the trace's own scheduling delays, as the kernel half's histogram counts
 * them: from a wakeup (or a fork, or a switch-out still runnable) to the next switch-in. What the
 * trace cannot vouch for (a task first seen running, a switch-in with its wakeup lost) is left out.
 */
final class TraceModel implements TraceSink {
  static final int OP_RUN = 1;
  static final int OP_SLEEP = 2;
  static final int OP_WAIT = 3;
  static final int OP_POST = 4;
  static final int KIND_SHIFT = 60;
  static final long VALUE_MASK = (1L << KIND_SHIFT) - 1;

  private static final byte RUNNABLE = 0;
  private static final byte RUNNING = 1;
  private static final byte BLOCKED = 2;
  private static final byte MAYBE_BLOCKED = 3; // switched out in an unknown state
  private static final byte EXITED = 4;
  private static final int CPU_IDLE = -1;
  private static final int CPU_UNKNOWN = -2;

  private final boolean wakeupEdges;
  /** Once sched_waking is in the trace, it alone names wakers: sched_wakeup may fire on the wakee's CPU. */
  private boolean sawWaking;
  private final Map<Integer, Integer> byPid = new HashMap<>();
  private final Map<Integer, TaskInfo> infos = new HashMap<>();

  // Per task, index = order of first appearance.
  int n;
  int[] pid = new int[64];
  String[] comm = new String[64];
  String[] label = new String[64];
  private byte[] state = new byte[64];
  boolean[] exited = new boolean[64];
  private boolean[] exiting = new boolean[64];
  private long[] since = new long[64];      // RUNNING: run start; BLOCKED: block start
  private int[] runCpu = new int[64];
  private long[] pendingRun = new long[64]; // CPU time of the current burst not yet emitted
  private long[] runnableAt = new long[64]; // since when it waits for a CPU, per the trace; -1: unknown
  long[] startNs = new long[64];
  long[] cpuNs = new long[64];
  long[] sleepNs = new long[64];
  int[] bursts = new int[64];
  int[] sleeps = new int[64];
  int[] waits = new int[64];
  int[] posts = new int[64];
  long[][] ops = new long[64][];
  int[] opCount = new int[64];

  // Per CPU: the task on it (index, CPU_IDLE, CPU_UNKNOWN) and since when.
  private int[] cpuCurr = new int[0];
  private long[] cpuSince = new long[0];

  // The stream.
  private boolean anyEvent;
  private long t0;
  long now;            // ns since the first event
  long events;
  long lostEvents;
  long lostMarkers;
  long outOfOrder;
  int maxCpu = -1;
  long totalOps;
  long edges;
  /** Runnable to running as the trace shows it, in ns. */
  final Histogram traceDelay = new Histogram(3);

  TraceModel(boolean wakeupEdges) {
    this.wakeupEdges = wakeupEdges;
  }

  @Override
  public void accept(TraceRecord r) {
    switch (r) {
      case TaskInfo ti -> info(ti);
      case TraceRecord.Lost l -> {
        time(l.timeNs());
        lostEvents += l.count();
        lostMarkers++;
        // What happened on that CPU (or on any, if the tracer did not say) is no longer known.
        if (l.cpu() >= 0) {
          ensureCpu(l.cpu());
          cpuCurr[l.cpu()] = CPU_UNKNOWN;
          cpuSince[l.cpu()] = now;
        } else {
          Arrays.fill(cpuCurr, CPU_UNKNOWN);
          Arrays.fill(cpuSince, now);
        }
      }
      case TraceRecord.TraceEvent e -> {
        events++;
        long t = time(e.timeNs());
        if (e.cpu() >= 0) {
          ensureCpu(e.cpu());
          maxCpu = Math.max(maxCpu, e.cpu());
        }
        switch (e) {
          case TraceRecord.Switch s -> switchEvent(t, s.cpu(), s.prevPid(), s.prevState(), s.nextPid());
          case TraceRecord.Wakeup w -> {
            if (w.type() == EventType.WAKING) sawWaking = true;
            boolean namesWaker = w.type() == EventType.WAKING || !sawWaking;
            wakeup(t, namesWaker ? w.cpu() : -1, w.pid(), w.type() == EventType.WAKEUP_NEW);
          }
          case TraceRecord.Fork f -> forked(t, f.childPid());
          case TraceRecord.Exit x -> {
            int i = lookup(x.pid());
            if (i >= 0 && state[i] != EXITED) exiting[i] = true;
          }
          // Placement and javaland's own decisions are what the replayed policy decides anew.
          default -> { }
        }
      }
    }
  }

  private long time(long t) {
    if (!anyEvent) {
      anyEvent = true;
      t0 = t;
    }
    long rel = t - t0;
    if (rel < now) {
      outOfOrder++;
      return now;
    }
    now = rel;
    return rel;
  }

  private void info(TaskInfo ti) {
    if (ti.pid() == 0) return;
    infos.put(ti.pid(), ti);
    int i = lookup(ti.pid());
    if (i >= 0 && state[i] != EXITED) {
      if (!ti.comm().isEmpty()) comm[i] = ti.comm();
      if (!ti.label().isEmpty()) label[i] = ti.label();
    }
  }

  // ---------------------------------------------------------------- events

  private void switchEvent(long t, int cpu, int prevPid, TaskState prevState, int nextPid) {
    if (prevPid != 0) switchOut(t, cpu, prevPid, prevState);
    if (cpu >= 0) {
      cpuCurr[cpu] = CPU_IDLE;
      cpuSince[cpu] = t;
    }
    if (nextPid != 0) switchIn(t, cpu, nextPid);
  }

  private void switchOut(long t, int cpu, int p, TaskState st) {
    int i = lookup(p);
    if (i < 0 || state[i] == EXITED) {
      // Running since before the trace (or since its CPU's record was lost), if its CPU says nothing else.
      long from = cpu >= 0 && cpuCurr[cpu] == CPU_UNKNOWN ? cpuSince[cpu] : t;
      i = create(p, from, RUNNING);
      runCpu[i] = cpu;
    } else if (state[i] != RUNNING) {
      // Inconsistent with what we know (lost events): credit what its CPU allows.
      long from = cpu >= 0 && cpuCurr[cpu] == CPU_UNKNOWN ? Math.max(cpuSince[cpu], blockEndFloor(i)) : t;
      if (state[i] == BLOCKED || state[i] == MAYBE_BLOCKED) endBlock(i, from, -1, -1);
      runnableAt[i] = -1; // when it got the CPU is not known
      state[i] = RUNNING;
      since[i] = from;
    }
    long ran = Math.max(0, t - since[i]);
    pendingRun[i] += ran;
    cpuNs[i] += ran;
    since[i] = t;
    if (exiting[i] || st == TaskState.DEAD || st == TaskState.ZOMBIE) {
      finish(i);
    } else if (st.runnable()) {
      state[i] = RUNNABLE;
      runnableAt[i] = t;
    } else {
      state[i] = st == TaskState.UNKNOWN ? MAYBE_BLOCKED : BLOCKED;
    }
  }

  private long blockEndFloor(int i) {
    return state[i] == BLOCKED || state[i] == MAYBE_BLOCKED ? since[i] : 0;
  }

  private void switchIn(long t, int cpu, int p) {
    int i = lookup(p);
    if (i < 0 || state[i] == EXITED) {
      i = create(p, t, RUNNABLE);
    } else if (state[i] == BLOCKED) {
      endBlock(i, t, -1, -1); // its wakeup is missing (not traced, or lost)
    } else if (state[i] == RUNNING) {
      // Still running elsewhere as far as we know (lost events): that run ends now.
      long ran = Math.max(0, t - since[i]);
      pendingRun[i] += ran;
      cpuNs[i] += ran;
      if (runCpu[i] >= 0 && runCpu[i] != cpu && cpuCurr[runCpu[i]] == i) cpuCurr[runCpu[i]] = CPU_UNKNOWN;
    }
    // MAYBE_BLOCKED with no wakeup since: it was preempted; its burst goes on.
    if (runnableAt[i] >= 0 && t >= runnableAt[i]) traceDelay.recordValue(t - runnableAt[i]);
    runnableAt[i] = -1;
    state[i] = RUNNING;
    since[i] = t;
    runCpu[i] = cpu;
    if (cpu >= 0) {
      cpuCurr[cpu] = i;
      cpuSince[cpu] = t;
    }
  }

  private void wakeup(long t, int cpu, int p, boolean isNew) {
    int i = lookup(p);
    if (i < 0 || state[i] == EXITED || (isNew && exiting[i])) {
      int c = create(p, t, RUNNABLE); // before indexing: create may grow the arrays
      runnableAt[c] = t;
      return;
    }
    if (state[i] != BLOCKED && state[i] != MAYBE_BLOCKED) return; // already runnable: waking, then wakeup
    int waker = cpu >= 0 ? cpuCurr[cpu] : -1;
    endBlock(i, t, waker, cpu);
    runnableAt[i] = t;
  }

  private void forked(long t, int child) {
    int i = lookup(child);
    if (i < 0 || state[i] == EXITED || exiting[i]) {
      int c = create(child, t, RUNNABLE); // before indexing: create may grow the arrays
      runnableAt[c] = t;
    }
  }

  /** The block of task {@code i} ends at {@code t}: a post from {@code waker} running on {@code cpu}, or a timed sleep. */
  private void endBlock(int i, long t, int waker, int cpu) {
    long slept = Math.max(0, t - since[i]);
    sleepNs[i] += slept;
    flushRun(i);
    if (wakeupEdges && waker >= 0 && waker != i && state[waker] == RUNNING && runCpu[waker] == cpu) {
      long ran = Math.max(0, t - since[waker]);
      pendingRun[waker] += ran;
      cpuNs[waker] += ran;
      since[waker] = t;
      flushRun(waker);
      append(waker, OP_POST, i);
      posts[waker]++;
      append(i, OP_WAIT, 1);
      waits[i]++;
      edges++;
    } else {
      append(i, OP_SLEEP, slept);
      sleeps[i]++;
    }
    state[i] = RUNNABLE;
  }

  private void finish(int i) {
    flushRun(i);
    state[i] = EXITED;
    exited[i] = true;
    exiting[i] = false;
    byPid.remove(pid[i]);
  }

  /** The end of the trace: what still runs is charged up to the last event. */
  void end() {
    for (int i = 0; i < n; i++) {
      if (state[i] == EXITED) continue;
      if (state[i] == RUNNING) {
        long ran = Math.max(0, now - since[i]);
        pendingRun[i] += ran;
        cpuNs[i] += ran;
      }
      flushRun(i);
      state[i] = EXITED;
      exited[i] = exiting[i]; // sched_process_exit came, its last switch did not
    }
    byPid.clear();
    infos.clear();
  }

  // ---------------------------------------------------------------- bookkeeping

  private void flushRun(int i) {
    if (pendingRun[i] <= 0) return;
    append(i, OP_RUN, pendingRun[i]);
    bursts[i]++;
    pendingRun[i] = 0;
  }

  private void append(int i, int kind, long value) {
    long[] o = ops[i];
    if (o == null) ops[i] = o = new long[8];
    else if (opCount[i] == o.length) ops[i] = o = Arrays.copyOf(o, o.length * 2);
    o[opCount[i]++] = ((long) kind << KIND_SHIFT) | (value & VALUE_MASK);
    totalOps++;
  }

  private int lookup(int p) {
    Integer i = byPid.get(p);
    return i == null ? -1 : i;
  }

  private int create(int p, long start, byte st) {
    if (n == pid.length) grow();
    int i = n++;
    pid[i] = p;
    TaskInfo ti = infos.get(p);
    comm[i] = ti == null || ti.comm().isEmpty() ? "pid-" + p : ti.comm();
    label[i] = ti == null ? "" : ti.label();
    state[i] = st;
    since[i] = start;
    startNs[i] = start;
    runnableAt[i] = -1;
    runCpu[i] = -1;
    byPid.put(p, i);
    return i;
  }

  private void grow() {
    int c = pid.length * 2;
    pid = Arrays.copyOf(pid, c);
    comm = Arrays.copyOf(comm, c);
    label = Arrays.copyOf(label, c);
    state = Arrays.copyOf(state, c);
    exited = Arrays.copyOf(exited, c);
    exiting = Arrays.copyOf(exiting, c);
    since = Arrays.copyOf(since, c);
    runCpu = Arrays.copyOf(runCpu, c);
    pendingRun = Arrays.copyOf(pendingRun, c);
    runnableAt = Arrays.copyOf(runnableAt, c);
    startNs = Arrays.copyOf(startNs, c);
    cpuNs = Arrays.copyOf(cpuNs, c);
    sleepNs = Arrays.copyOf(sleepNs, c);
    bursts = Arrays.copyOf(bursts, c);
    sleeps = Arrays.copyOf(sleeps, c);
    waits = Arrays.copyOf(waits, c);
    posts = Arrays.copyOf(posts, c);
    ops = Arrays.copyOf(ops, c);
    opCount = Arrays.copyOf(opCount, c);
  }

  private void ensureCpu(int cpu) {
    if (cpu < cpuCurr.length) return;
    int old = cpuCurr.length;
    int c = Math.max(cpu + 1, old * 2);
    cpuCurr = Arrays.copyOf(cpuCurr, c);
    cpuSince = Arrays.copyOf(cpuSince, c);
    Arrays.fill(cpuCurr, old, c, CPU_UNKNOWN); // since 0: the trace's start
  }

  /** Task {@code i}'s operations, trimmed. */
  long[] opsOf(int i) {
    return ops[i] == null ? new long[0] : Arrays.copyOf(ops[i], opCount[i]);
  }

  void release(int i) {
    ops[i] = null;
  }

  static int kind(long op) {
    return (int) (op >>> KIND_SHIFT);
  }

  static long value(long op) {
    return op & VALUE_MASK;
  }
}
