package javaland.runtime.kernel.sim;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import javaland.runtime.kernel.Exemption;
import javaland.runtime.kernel.TaskBatch;

/**
 * Every simulated task's state as parallel primitive arrays (index = task), and the interpreter
 * of their {@link Program}s. The kernel half ({@link SimMachine}) owns the scheduling fields; the
 * interpreter only moves the program counter and reports what the task does next.
 */
final class SimTasks {
  // Where a task is (scheduler view).
  static final int NEW = 0;       // not arrived yet
  static final int SLEEPING = 1;  // blocked on a timer
  static final int WAITING = 2;   // blocked until posts arrive
  static final int QUEUED = 3;    // runnable, not running: in the ring, with the policy, or in a queue
  static final int RUNNING = 4;
  static final int EXITED = 5;

  // What execute() found the task doing next.
  static final int RUNS = 0;
  static final int SLEEPS = 1;
  static final int WAITS = 2;
  static final int EXITS = 3;

  /** Post timestamps kept per task, for request latencies; posts beyond count from their pickup. */
  static final int POST_TS = 16;
  /** Instant operations in a row without running or blocking: a program that spins is a bug. */
  private static final int MAX_INSTANT_OPS = 1_000_000;

  final int n;
  final Program[] program;
  final SplittableRandom[] rng;
  final int[] groupBase;
  final int[] weight;
  final Exemption[] exemption;
  final int[] classId;
  final String[] classNames;
  final long[] startNs;
  final byte[] comm;
  final String[] commNames;

  // Interpreter registers.
  final int[] pc;
  final long[] remaining;   // ns of the current run operation still to do; 0 when not in one
  final int[] loopCount;
  final long[] release;     // periodic tasks: the current activation's release time
  final long[] markAt;
  final long[] postedAt;    // when the post consumed by the last wait was made
  final int[] tokens;       // posts received and not yet consumed
  final int[] waitNeed;
  final int[] rr;
  final long[] postTs;
  final int[] postHead;
  final int[] postCount;

  // Scheduler state.
  final int[] state;
  final long[] runnableSince;
  final byte[] delayClass;  // of runnableSince: 0 woke up (or forked), 1 put back (sched_delay class)
  final int[] cpu;          // the CPU the kernel has the task on (scx_bpf_task_cpu)
  final int[] lastRanCpu;
  final long[] slice;       // the slice it gets when it next runs

  // The BPF side's task_ctx.
  final long[] seq;
  final long[] enqNs;
  final long[] execNs;
  final long[] runStartNs;
  final long[] vtime;
  final int[] ctxState;
  final long[] wakeSliceNs;     // the policy's wakeup rule (jl_decision.wake_*) from its last decision
  final long[] wakeDeadlineNs;
  final byte[] enqCls;          // its class at its last enqueue to the policy (task_ctx.cls)
  final byte[] ruleCls;         // the class its wakeup rule was computed for (task_ctx.rule_cls)
  final long[] burstNs;         // CPU time from its last wakeup to its last sleep
  final long[] sliceLeft;       // what was left of its slice when it was last preempted

  // Per-task results.
  final long[] cpuNs;
  final long[] endNs;

  SimTasks(Workload w, int nrCpus) {
    n = w.tasks().size();
    program = new Program[n];
    rng = new SplittableRandom[n];
    groupBase = new int[n];
    weight = new int[n];
    exemption = new Exemption[n];
    classId = new int[n];
    startNs = new long[n];
    comm = new byte[n * TaskBatch.COMM_LEN];
    commNames = new String[n];
    Map<String, Integer> classes = new LinkedHashMap<>();
    for (int t = 0; t < n; t++) {
      TaskSpec s = w.tasks().get(t);
      program[t] = s.program();
      rng[t] = new SplittableRandom(s.seed());
      groupBase[t] = s.groupBase();
      weight[t] = s.weight();
      exemption[t] = s.exempt();
      startNs[t] = s.startNs();
      classId[t] = classes.computeIfAbsent(s.label(), k -> classes.size());
      byte[] b = s.comm().getBytes(StandardCharsets.UTF_8);
      int len = Math.min(b.length, TaskBatch.COMM_LEN - 1); // NUL-terminated, like task->comm
      System.arraycopy(b, 0, comm, t * TaskBatch.COMM_LEN, len);
      commNames[t] = new String(b, 0, len, StandardCharsets.UTF_8);
    }
    classNames = classes.keySet().toArray(new String[0]);
    pc = new int[n];
    remaining = new long[n];
    loopCount = new int[n];
    release = startNs.clone();
    markAt = new long[n];
    postedAt = new long[n];
    tokens = new int[n];
    waitNeed = new int[n];
    rr = new int[n];
    postTs = new long[n * POST_TS];
    postHead = new int[n];
    postCount = new int[n];
    state = new int[n];
    runnableSince = new long[n];
    delayClass = new byte[n];
    cpu = new int[n];
    lastRanCpu = new int[n];
    slice = new long[n];
    for (int t = 0; t < n; t++) {
      cpu[t] = t % nrCpus; // where its parent ran: spread the forks
      lastRanCpu[t] = -1;
    }
    seq = new long[n];
    enqNs = new long[n];
    execNs = new long[n];
    runStartNs = new long[n];
    vtime = new long[n];
    ctxState = new int[n];
    wakeSliceNs = new long[n];
    wakeDeadlineNs = new long[n];
    enqCls = new byte[n];
    ruleCls = new byte[n];
    burstNs = new long[n];
    sliceLeft = new long[n];
    cpuNs = new long[n];
    endNs = new long[n];
    java.util.Arrays.fill(endNs, -1);
  }

  /**
   * At wakeup: follows the control flow that needs no CPU and has no effect (jumps, loops, time
   * checks that do not fire) and draws the next run's length, so that a task whose next step is
   * to compute is handed to the scheduler with its burst known. Everything else waits until the
   * task runs.
   */
  void prepare(int t, long now) {
    Program p = program[t];
    for (int guard = 0; guard < MAX_INSTANT_OPS; guard++) {
      int i = pc[t];
      switch (p.op[i]) {
        case Program.JUMP -> pc[t] = p.m[i];
        case Program.LOOP -> loop(t, p, i);
        case Program.JUMP_IF_AFTER -> pc[t] = now >= p.x[i] ? p.m[i] : i + 1;
        case Program.EXIT_IF_AFTER -> {
          if (now >= p.x[i]) return;
          pc[t] = i + 1;
        }
        case Program.RUN -> {
          if (remaining[t] == 0) remaining[t] = Math.max(1, p.dist[i].sample(rng[t]));
          return;
        }
        default -> {
          return;
        }
      }
    }
    throw spinning(t);
  }

  /**
   * On a CPU, with no run operation in progress: executes instant operations until the task
   * computes ({@link #RUNS}, {@link #remaining} set), blocks ({@link #SLEEPS}, the wakeup is
   * scheduled; {@link #WAITS}) or exits ({@link #EXITS}).
   */
  int execute(int t, long now, SimMachine k) {
    Program p = program[t];
    for (int guard = 0; guard < MAX_INSTANT_OPS; guard++) {
      int i = pc[t];
      switch (p.op[i]) {
        case Program.RUN -> {
          remaining[t] = Math.max(1, p.dist[i].sample(rng[t]));
          return RUNS;
        }
        case Program.SLEEP -> {
          pc[t] = i + 1;
          k.wakeAt(t, now + p.dist[i].sample(rng[t]));
          return SLEEPS;
        }
        case Program.WAIT -> {
          pc[t] = i + 1;
          if (tokens[t] < p.n[i]) {
            waitNeed[t] = p.n[i];
            return WAITS;
          }
          consume(t, p.n[i], now);
        }
        case Program.POST -> {
          pc[t] = i + 1;
          k.post(t, groupBase[t] + p.n[i]);
        }
        case Program.POST_ALL -> {
          pc[t] = i + 1;
          for (int j = 0; j < p.m[i]; j++) k.post(t, groupBase[t] + p.n[i] + j);
        }
        case Program.POST_RR -> {
          pc[t] = i + 1;
          k.post(t, groupBase[t] + p.n[i] + rr[t]);
          rr[t] = (rr[t] + 1) % p.m[i];
        }
        case Program.JUMP -> pc[t] = p.m[i];
        case Program.LOOP -> loop(t, p, i);
        case Program.JUMP_IF_AFTER -> pc[t] = now >= p.x[i] ? p.m[i] : i + 1;
        case Program.EXIT_IF_AFTER -> {
          if (now >= p.x[i]) return EXITS;
          pc[t] = i + 1;
        }
        case Program.MARK -> {
          markAt[t] = now;
          pc[t] = i + 1;
        }
        case Program.RECORD_SINCE_MARK -> {
          k.response(t, now - markAt[t]);
          pc[t] = i + 1;
        }
        case Program.RECORD_SINCE_POST -> {
          k.response(t, now - postedAt[t]);
          pc[t] = i + 1;
        }
        case Program.PERIOD_END -> {
          long response = now - release[t];
          k.activation(t, response, response > p.y[i]);
          release[t] += p.x[i];
          pc[t] = i + 1;
          if (release[t] > now) {
            k.wakeAt(t, release[t]);
            return SLEEPS;
          }
        }
        case Program.EXIT -> {
          return EXITS;
        }
        default -> throw new IllegalStateException("unknown operation " + p.op[i]);
      }
    }
    throw spinning(t);
  }

  private void loop(int t, Program p, int i) {
    if (p.n[i] == 0 || ++loopCount[t] < p.n[i]) {
      pc[t] = p.m[i];
    } else {
      loopCount[t] = 0;
      pc[t] = i + 1;
    }
  }

  /** A post reaches task {@code t}; true if it completes the task's wait (the caller wakes it). */
  boolean deliver(int t, long now) {
    if (state[t] == EXITED) return false;
    tokens[t]++;
    if (postCount[t] < POST_TS) {
      postTs[t * POST_TS + (postHead[t] + postCount[t]) % POST_TS] = now;
      postCount[t]++;
    }
    if (state[t] == WAITING && tokens[t] >= waitNeed[t]) {
      consume(t, waitNeed[t], now);
      return true;
    }
    return false;
  }

  private void consume(int t, int need, long now) {
    tokens[t] -= need;
    long first = now;
    for (int k = 0; k < need && postCount[t] > 0; k++) {
      long ts = postTs[t * POST_TS + postHead[t]];
      if (k == 0) first = ts;
      postHead[t] = (postHead[t] + 1) % POST_TS;
      postCount[t]--;
    }
    postedAt[t] = first;
  }

  private IllegalStateException spinning(int t) {
    return new IllegalStateException("task " + commNames[t] + " ran " + MAX_INSTANT_OPS
        + " operations without running or blocking: " + program[t]);
  }

  /** The first task runnable and not run for longer than {@code limitNs}, as the kernel names a stall; else null. */
  String stall(long now, long limitNs) {
    for (int t = 0; t < n; t++) {
      long waited = now - runnableSince[t];
      if (state[t] == QUEUED && waited > limitNs) {
        long ms = waited / 1_000_000;
        return String.format(java.util.Locale.ROOT, "%s[%d] failed to run for %d.%03ds", commNames[t],
            SimKernel.PID_BASE + t, ms / 1000, ms % 1000);
      }
    }
    return null;
  }
}
