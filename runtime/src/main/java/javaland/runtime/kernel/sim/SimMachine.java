package javaland.runtime.kernel.sim;

import javaland.sdk.TaskClass;
import static javaland.runtime.kernel.sim.SimTime.NEVER;

import javaland.sdk.CpuTopology;
import javaland.sdk.Decision;
import javaland.runtime.kernel.Exemption;
import javaland.runtime.kernel.ExitInfo;
import javaland.runtime.kernel.KernelKnob;
import javaland.runtime.kernel.KernelParams;
import javaland.runtime.kernel.LatencyBuckets;
import javaland.runtime.kernel.TaskBatch;

/**
 * The simulated kernel half: CPUs, dispatch queues, the ring to the policy and the pending
 * queue, the sched_ext callbacks as bpf/javaland.bpf.c implements them, and the event loop that
 * drives the tasks; {@link SimEvents} emits the scheduling events its callbacks stand for.
 * {@link SimKernel} puts the Kernel contract and the dispatch thread's time model in front of it.
 */
final class SimMachine {
  static final long SCX_SLICE_DFL = 20_000_000L;     // the kernel refills a kept task's slice with this
  static final long HEARTBEAT_NS = 20_000_000L;       // the BPF timer
  static final long WATCHDOG_PERIOD_NS = 100_000_000L;
  static final int PENDING_MAX = 16_384;
  static final int RESCUE_WALK = 64;                  // pending entries one dispatch looks at
  static final int RECORD_BYTES = 88;                 // a jl_queued_task in the ring, with header
  static final int RT_BUCKETS = LatencyBuckets.COUNT;

  private static final int EV_WAKE = 1;
  private static final int EV_RUN_END = 2;
  private static final int EV_APPLY = 3;
  private static final int EV_HEARTBEAT = 4;
  private static final int EV_WATCHDOG = 5;
  private static final int EV_HORIZON = 6;
  private static final int TS_NONE = 0;
  private static final int TS_IN_JAVA = 1;
  private static final int TS_RESCUED = 2;

  final SimConfig config;
  final CpuTopology topology;
  final int nrCpus;
  final SimTasks tasks;
  final SimRecorder rec;
  final DecisionQueue decisions = new DecisionQueue();
  private final LongMinHeap queue = new LongMinHeap(1024); // the discrete events, by time
  volatile KernelParams params;
  volatile ExitInfo exit;
  final SimEvents events;         // the scheduling events, as the BPF program's sched_events ring
  long now;
  long eventCount;
  long finishedAt = -1;
  private int liveCount;
  private int waitingCount;

  // The dispatch thread, as the kernel sees it: java_sleeping, and when a wakeup reaches it.
  boolean policySleeping;
  long policyWakeAt = NEVER;

  // CPUs: what runs, since when, until when; the dispatch queues.
  final int[] curr;
  final long[] segStart;   // start of the current stretch of work (after any switch cost)
  private final long[] sliceEnd;
  private final int[] gen;         // bumped whenever a CPU's pending run-end event becomes stale
  final IdleCpus idle;
  final IntFifo[] localDsq;        // SCX_DSQ_LOCAL: direct dispatches (select_cpu, rule wakeups)
  private final LongMinHeap[] cpuDsq;      // per-CPU queues (ids 0..nr_cpus-1), by deadline
  final LongMinHeap shared = new LongMinHeap(256);   // SHARED_DSQ, by deadline
  private final IntFifo prio = new IntFifo(4);               // PRIO_DSQ: reclaim kthreads, the dispatch thread put back
  /** kthread_next (bpf/kthreads.h): a woken kthread waits at the head of the CPU's local queue. */
  final boolean[] kthreadNext;
  // running_deadline / running_class per CPU, the deadline each task was queued with (task_ctx).
  final long[] runDeadline;
  /** HOUSEKEEPING_DEADLINE in javaland.bpf.c: ~0ULL, compared unsigned. */
  static final long HOUSEKEEPING_DEADLINE = -1L;
  final byte[] runClass;
  final long[] queuedDeadline;
  /** task_classes: what the classifier told the kernel, written from its thread (SimKernel). */
  final SimClassTable classes;

  private final QueuedLog log; // the ring to Java and BPF's pending queue

  // Counters and histograms, as struct jl_counters, the round trip and jl_sched_delay.
  final SimCounters counters = new SimCounters();
  /** The wakeups BPF places by rules Java set (bpf/wakeup.h). */
  private final SimWakeups wakeups = new SimWakeups(this);

  SimMachine(Workload workload, SimConfig config) {
    this.config = config;
    this.topology = config.topology();
    this.nrCpus = topology.nrCpus();
    this.params = config.params();
    this.tasks = new SimTasks(workload, nrCpus);
    this.rec = new SimRecorder(tasks);
    this.events = new SimEvents(tasks, nrCpus);
    curr = new int[nrCpus];
    runDeadline = new long[nrCpus];
    runClass = new byte[nrCpus];
    kthreadNext = new boolean[nrCpus];
    queuedDeadline = new long[tasks.n];
    classes = new SimClassTable(tasks.n);
    segStart = new long[nrCpus];
    sliceEnd = new long[nrCpus];
    gen = new int[nrCpus];
    idle = new IdleCpus(topology);
    localDsq = new IntFifo[nrCpus];
    cpuDsq = new LongMinHeap[nrCpus];
    for (int c = 0; c < nrCpus; c++) {
      curr[c] = -1;
      localDsq[c] = new IntFifo(4);
      cpuDsq[c] = new LongMinHeap(16);
    }
    log = new QueuedLog(Math.max(config.ringCapacity(), PENDING_MAX));

    liveCount = tasks.n;
    for (int t = 0; t < tasks.n; t++) queue.push(tasks.startNs[t], pack(EV_WAKE, t, 0));
    queue.push(HEARTBEAT_NS, pack(EV_HEARTBEAT, 0, 0));
    queue.push(WATCHDOG_PERIOD_NS, pack(EV_WATCHDOG, 0, 0));
    if (config.horizonNs() != Long.MAX_VALUE) queue.push(config.horizonNs(), pack(EV_HORIZON, 0, 0));
    if (tasks.n == 0) finish(SimKernel.EXIT_DONE, "workload finished", "no tasks");
  }

  private static long pack(int type, int arg, int generation) {
    return ((long) generation << 32) | ((long) arg << 4) | type;
  }

  boolean idle(int cpu) {
    return cpu >= 0 && cpu < nrCpus && idle.isIdle(cpu);
  }

  /** Records in the ring the policy has not read. */
  int unread() {
    return (int) log.unread();
  }

  long nextEventTime() {
    return queue.peekKey();
  }

  /** A batch of decisions reaches the kernel at {@code at}. */
  void scheduleApply(long at) {
    queue.push(at, pack(EV_APPLY, 0, 0));
  }

  /** Reads the ring into {@code batch}, oldest first, up to its capacity. */
  int fill(TaskBatch batch) {
    return log.fill(batch, tasks, nrCpus);
  }

  // ---------------------------------------------------------------- the event loop

  void advanceTo(long t) {
    while (exit == null && queue.peekKey() <= t) step();
    if (exit == null && t > now) now = t;
  }

  void step() {
    long key = queue.peekKey();
    long p = queue.pop();
    now = key;
    eventCount++;
    int arg = (int) ((p >>> 4) & 0x0FFF_FFFF);
    switch ((int) (p & 15)) {
      case EV_WAKE -> wake(arg, tasks.state[arg] != SimTasks.NEW, tasks.cpu[arg]); // a timer where it slept, or a fork
      case EV_RUN_END -> {
        if ((int) (p >>> 32) == gen[arg]) runEnd(arg);
      }
      case EV_APPLY -> decisions.applyBatch(this);
      case EV_HEARTBEAT -> heartbeat();
      case EV_WATCHDOG -> watchdog();
      case EV_HORIZON -> finish(SimKernel.EXIT_DONE, "time limit reached", "stopped at " + now + " ns of virtual time");
      default -> throw new IllegalStateException("unknown event " + p);
    }
  }

  // ---------------------------------------------------------------- task side (SimTasks calls these)

  void wakeAt(int t, long time) {
    queue.push(time, pack(EV_WAKE, t, 0));
  }

  /** Running task {@code poster}'s program posts to {@code target}. */
  void post(int poster, int target) {
    if (tasks.deliver(target, now)) {
      waitingCount--;
      wake(target, true, tasks.cpu[poster]);
    }
  }

  void response(int t, long ns) {
    rec.response(t, ns);
  }

  void activation(int t, long responseNs, boolean missed) {
    rec.activation(t, responseNs, missed);
  }

  // ---------------------------------------------------------------- sched_ext callbacks, as javaland.bpf.c

  /** Wakeup (or fork) done on CPU {@code from}: runnable, select_cpu, then the idle fast path or enqueue. */
  private void wake(int t, boolean wakeup, int from) {
    if (!wakeup) events.enable(t);
    tasks.state[t] = SimTasks.QUEUED;
    tasks.runnableSince[t] = now;
    tasks.delayClass[t] = 0; // jl_runnable
    if (wakeup) tasks.execNs[t] = 0; // jl_runnable: exec_ns counts from the wakeup
    tasks.prepare(t, now);
    int picked = idle.select(tasks.cpu[t]);
    int cpu = picked >= 0 ? picked : tasks.cpu[t];
    tasks.cpu[t] = cpu;
    events.runnable(now, from, t, curr[from], wakeup);
    boolean exempt = tasks.exemption[t].exempt(); // the scheduler's own threads and every kthread
    if (picked >= 0 && (params.on(KernelKnob.IDLE_FASTPATH) || exempt)) { // jl_select_cpu
      tasks.slice[t] = params.get(KernelKnob.SLICE);
      queuedDeadline[t] = 0;
      localDsq[cpu].add(t);
      if (exempt) counters.exemptDispatches++;
      else counters.idleDispatches++;
      counters.kernelDispatches++;
      cpuDispatch(cpu, -1);
    } else {
      enqueue(t, wakeup);
    }
  }

  /** jl_enqueue: seq++, then a record for Java, or the shared queue (due now) if the ring cannot take it. */
  private void enqueue(int t, boolean wakeup) {
    if (tasks.exemption[t].exempt()) {
      dispatchExempt(t, wakeup);
      return;
    }
    long seq = ++tasks.seq[t];
    tasks.ctxState[t] = TS_NONE;
    if (wakeup ? wakeups.dispatchByRule(t) : wakeups.requeueByRule(t)) return;
    if (wakeup && params.on(KernelKnob.IDLE_FASTPATH) && wakeups.dispatchOverHousekeeping(t)) return;
    long unread = log.unread();
    int congestion = (int) params.get(KernelKnob.CONGESTION);
    if (congestion > 0 && unread * RECORD_BYTES > congestion) {
      counters.congested++;
      fallback(t);
      return;
    }
    if (unread >= config.ringCapacity() || log.pendingCount() >= PENDING_MAX) {
      counters.ringFull++;
      fallback(t);
      return;
    }
    log.append(t, seq, now, tasks.cpu[t], tasks.execNs[t], tasks.vtime[t], wakeup);
    tasks.ctxState[t] = TS_IN_JAVA;
    tasks.enqNs[t] = now;
    tasks.enqCls[t] = classes.taskClass(t);
    counters.queued++;
    events.queued(now, t, seq, wakeup);
    if (policySleeping && (!cpusHaveWork() || (wakeup && wakeGapPassed()))) wakePolicy();
  }

  /** bpf/java_wake.h's WAKE_JAVA_GAP_NS: a wakeup wakes the policy while the CPUs have work at most this often. */
  static final long WAKE_JAVA_GAP_NS = 250_000L;
  private long policyWokenForWakeupNs = -WAKE_JAVA_GAP_NS;

  /** wake_java_for(): the gap since the last wakeup that woke the policy has passed (and this one takes it). */
  private boolean wakeGapPassed() {
    if (now - policyWokenForWakeupNs < WAKE_JAVA_GAP_NS) return false;
    policyWokenForWakeupNs = now;
    return true;
  }

  /** dispatch_exempt: where BPF puts the tasks it never asks Java about. */
  private void dispatchExempt(int t, boolean wakeup) {
    tasks.slice[t] = params.get(KernelKnob.SLICE);
    queuedDeadline[t] = 0;
    counters.exemptDispatches++;
    counters.kernelDispatches++;
    int cpu = tasks.cpu[t];
    switch (tasks.exemption[t]) {
      case DISPATCHER -> {
        if (!wakeup) {
          prio.add(t);
          kickIdleCpu(cpu);
        } else if (curr[cpu] >= 0 && tasks.remaining[curr[cpu]] - (now - segStart[cpu]) > 0) {
          localDsq[cpu].addFirst(t); // SCX_ENQ_PREEMPT: the running task goes back to Java
          preempt(cpu);
        } else {
          localDsq[cpu].addFirst(t); // taken as the CPU's running task stops (now) or as it wakes
          if (idle.isIdle(cpu)) cpuDispatch(cpu, -1);
        }
      }
      case PERCPU_KTHREAD, RECLAIM_KTHREAD, KTHREAD -> dispatchKthread(t, wakeup, cpu);
      default -> { // the JVM's other threads: the shared queue, one slice late
        shared.push(now + params.get(KernelKnob.SLICE), t);
        kickIdleCpu(cpu);
      }
    }
  }

  /**
   * dispatch_kthread (bpf/kthreads.h): woken or new, the head of its CPU's local queue, with no wakeup
   * preempting that CPU before it runs; put back, a per-CPU kthread at the tail of that queue, a
   * reclaim kthread in the priority queue, any other in the shared queue one slice late.
   */
  private void dispatchKthread(int t, boolean wakeup, int cpu) {
    if (wakeup || tasks.lastRanCpu[t] < 0) {
      localDsq[cpu].addFirst(t); // SCX_ENQ_HEAD: next on its CPU, once the running task's slice ends
      kthreadNext[cpu] = true;
      if (idle.isIdle(cpu)) cpuDispatch(cpu, -1);
      return;
    }
    switch (tasks.exemption[t]) {
      case PERCPU_KTHREAD -> {
        localDsq[cpu].add(t);
        if (idle.isIdle(cpu)) cpuDispatch(cpu, -1);
      }
      case RECLAIM_KTHREAD -> {
        prio.add(t);
        kickIdleCpu(cpu);
      }
      default -> {
        shared.push(now + params.get(KernelKnob.SLICE), t);
        kickIdleCpu(cpu);
      }
    }
  }

  private void fallback(int t) {
    tasks.slice[t] = classes.slice(t, params.get(KernelKnob.SLICE));
    queuedDeadline[t] = now;
    shared.push(now, t);
    counters.kernelDispatches++;
    kickIdleCpu(tasks.cpu[t]);
  }

  /** SCX_KICK_PREEMPT: the running task stops now, still runnable, and the CPU dispatches. */
  void preempt(int cpu) {
    int v = curr[cpu];
    tasks.sliceLeft[v] = Math.max(0, tasks.slice[v] - (now - tasks.runStartNs[v])); // jl_stopping, still runnable
    long progress = Math.max(0, now - segStart[cpu]);
    rec.workNs += progress;
    segStart[cpu] = now;
    tasks.remaining[v] -= progress;
    gen[cpu]++; // its run-end event is stale
    cpuDispatch(cpu, v);
  }

  private boolean cpusHaveWork() {
    return shared.size() >= nrCpus;
  }

  private void wakePolicy() {
    if (policyWakeAt == NEVER) policyWakeAt = now + config.wakeLatencyNs();
  }

  void kickIdleCpu(int near) {
    int c = idle.next(near);
    if (c >= 0) cpuDispatch(c, -1);
  }

  /** apply_decision: one decision of a batch whose round trip ends now. */
  void apply(int pid, long seq, int cpu, long sliceNs, long deadline, long vtime, long wakeSliceNs, long wakeDeadlineNs) {
    int t = pid - SimKernel.PID_BASE;
    if (t < 0 || t >= tasks.n || tasks.seq[t] != seq || tasks.ctxState[t] != TS_IN_JAVA) {
      counters.cancelled++;
      return;
    }
    tasks.ctxState[t] = TS_NONE;
    tasks.vtime[t] = vtime;
    long wakeSlice = wakeSliceNs == 0 ? 0 : KernelKnob.decisionSlice(wakeSliceNs, params.get(KernelKnob.SLICE));
    if (wakeSlice != wakeSliceNs) counters.sliceClamped++;
    tasks.wakeSliceNs[t] = wakeSlice;
    tasks.wakeDeadlineNs[t] = wakeDeadlineNs;
    tasks.ruleCls[t] = tasks.enqCls[t];
    long rt = now - tasks.enqNs[t];
    counters.rtHist[LatencyBuckets.bucketOf(rt, RT_BUCKETS)]++;
    counters.rtCount++;
    counters.rtSum += rt;
    if (rt > counters.rtMax) counters.rtMax = rt;
    long slice = KernelKnob.decisionSlice(sliceNs, params.get(KernelKnob.SLICE));
    if (sliceNs != 0 && slice != sliceNs) counters.sliceClamped++;
    tasks.slice[t] = slice;
    long clamped = SimTime.clampDeadline(deadline, tasks.enqNs[t], params.get(KernelKnob.RESCUE));
    if (clamped != deadline) counters.deadlineClamped++;
    deadline = clamped;
    queuedDeadline[t] = deadline;
    if (cpu >= 0 && cpu < nrCpus) {
      cpuDsq[cpu].push(deadline, t);
      if (idle.isIdle(cpu)) cpuDispatch(cpu, -1);
    } else {
      if (cpu != Decision.ANY_CPU) counters.bounced++;
      shared.push(deadline, t);
      kickIdleCpu(tasks.cpu[t]);
    }
    counters.userDispatches++;
  }

  /** rescue_pending: dispatch in the kernel what waited for Java longer than rescue_ns. */
  private int rescuePending() {
    int rescued = 0;
    for (int k = 0; k < RESCUE_WALK && log.pendingCount() > 0; k++) {
      int e = log.slot(log.pending);
      int t = log.task[e];
      if (tasks.seq[t] != log.seq[e] || tasks.ctxState[t] != TS_IN_JAVA) {
        log.pending++;
        continue;
      }
      if (now - log.enqNs[e] < params.get(KernelKnob.RESCUE)) return rescued;
      log.pending++;
      tasks.ctxState[t] = TS_RESCUED;
      tasks.slice[t] = params.get(KernelKnob.SLICE);
      queuedDeadline[t] = log.enqNs[e];
      shared.push(log.enqNs[e], t); // due when it was enqueued
      counters.fallbacks++;
      counters.kernelDispatches++;
      rescued++;
    }
    return rescued;
  }

  /**
   * A CPU looks for work (jl_dispatch and the core around it): its local queue, else rescue,
   * then the earlier head deadline of its own queue and the shared queue. {@code prev} is the task whose slice just
   * ran out (it keeps the CPU if nothing else is found), or -1.
   */
  void cpuDispatch(int cpu, int prev) {
    if (exit == null && params.on(KernelKnob.DEBUG_ERROR)) { // jl_dispatch: scx_bpf_error
      finish(ExitInfo.ERROR_BPF, "scx_bpf_error", "kernel.debug_error=1: a forced unload");
      return;
    }
    int t = localDsq[cpu].poll();
    int rescued = 0;
    if (t < 0) {
      rescued = rescuePending();
      LongMinHeap mine = cpuDsq[cpu];
      t = prio.poll(); // PRIO_DSQ first
      if (t < 0 && !mine.isEmpty() && (shared.isEmpty() || mine.peekKey() <= shared.peekKey())) {
        t = (int) mine.pop();
      } else if (t < 0 && !shared.isEmpty()) {
        t = (int) shared.pop();
      }
      if (!cpusHaveWork() && log.unread() > 0 && policySleeping) wakePolicy();
    }
    if (prev >= 0) {
      if (t < 0) {
        // Nothing else is runnable here: the kernel keeps prev, refilling its slice (no callbacks).
        sliceEnd[cpu] = config.atTick(SimTime.satAdd(now, SCX_SLICE_DFL));
        events.refill(now, cpu, SCX_SLICE_DFL);
        scheduleRunEnd(cpu, prev);
        return;
      }
      stopping(cpu, prev, true, false);
      curr[cpu] = -1;
      tasks.state[prev] = SimTasks.QUEUED;
      tasks.runnableSince[prev] = now;
      tasks.delayClass[prev] = 1; // jl_stopping, still runnable
      enqueue(prev, false);
    }
    if (rescued > 1) kickIdleCpu(cpu); // more rescued than this CPU can take
    if (t >= 0) {
      running(cpu, t);
    } else {
      curr[cpu] = -1;
      idle.setIdle(cpu);
    }
  }

  private void running(int cpu, int t) {
    idle.setBusy(cpu);
    kthreadNext[cpu] = false; // jl_running: kthread_switched
    curr[cpu] = t;
    runClass[cpu] = tasks.exemption[t].exempt() ? TaskClass.NONE.id() : classes.taskClass(t);
    tasks.state[t] = SimTasks.RUNNING;
    long delay = now - tasks.runnableSince[t];
    // jl_running: the scheduler's housekeeping threads run at the latest deadline there is (u64 max)
    runDeadline[cpu] = tasks.exemption[t] == Exemption.JVM_THREAD ? HOUSEKEEPING_DEADLINE : queuedDeadline[t];
    rec.delay(t, delay);
    int dc = tasks.delayClass[t] & 1; // jl_running
    counters.sdHist[dc][LatencyBuckets.bucketOf(Math.max(0, delay), RT_BUCKETS)]++;
    counters.sdSum[dc] += Math.max(0, delay);
    if (tasks.lastRanCpu[t] >= 0 && tasks.lastRanCpu[t] != cpu) rec.migrations++;
    tasks.lastRanCpu[t] = cpu;
    tasks.cpu[t] = cpu;
    rec.contextSwitches++;
    tasks.runStartNs[t] = now; // jl_running
    tasks.sliceLeft[t] = 0;
    segStart[cpu] = now + config.switchCostNs();
    sliceEnd[cpu] = config.atTick(SimTime.satAdd(segStart[cpu], tasks.slice[t]));
    events.running(now, cpu, t, tasks.slice[t]);
    scheduleRunEnd(cpu, t);
  }

  private void scheduleRunEnd(int cpu, int t) {
    long rem = tasks.remaining[t];
    long end = rem > 0 ? Math.min(sliceEnd[cpu], SimTime.satAdd(segStart[cpu], rem)) : segStart[cpu];
    queue.push(end, pack(EV_RUN_END, cpu, ++gen[cpu]));
  }

  /** jl_stopping: charge the run to vtime and exec_ns, exactly as the BPF side. */
  private void stopping(int cpu, int t, boolean stillRunnable, boolean dead) {
    long ran = now - tasks.runStartNs[t];
    tasks.execNs[t] += ran;
    tasks.vtime[t] += ran * 100 / tasks.weight[t];
    tasks.cpuNs[t] += ran;
    rec.busyNs += ran;
    events.stopping(now, cpu, t, stillRunnable, dead);
  }

  /** The running task's work or slice ran out: run its program on, or give up the CPU. */
  private void runEnd(int cpu) {
    int t = curr[cpu];
    long progress = Math.max(0, now - segStart[cpu]);
    rec.workNs += progress;
    segStart[cpu] = now;
    if (tasks.remaining[t] > 0) {
      tasks.remaining[t] -= progress;
      if (tasks.remaining[t] > 0) {
        cpuDispatch(cpu, t); // slice expired
        return;
      }
      tasks.remaining[t] = 0;
      tasks.pc[t]++;
    }
    switch (tasks.execute(t, now, this)) {
      case SimTasks.RUNS -> {
        if (now < sliceEnd[cpu]) scheduleRunEnd(cpu, t);
        else cpuDispatch(cpu, t);
      }
      case SimTasks.SLEEPS -> block(cpu, t, SimTasks.SLEEPING);
      case SimTasks.WAITS -> {
        waitingCount++;
        block(cpu, t, SimTasks.WAITING);
        if (exit == null && waitingCount == liveCount) deadlock();
      }
      default -> {
        stopping(cpu, t, false, true);
        tasks.state[t] = SimTasks.EXITED;
        tasks.endNs[t] = now;
        curr[cpu] = -1;
        if (--liveCount == 0) {
          finish(SimKernel.EXIT_DONE, "workload finished", tasks.n + " tasks exited");
          return;
        }
        cpuDispatch(cpu, -1);
        if (exit == null && waitingCount == liveCount) deadlock();
      }
    }
  }

  private void block(int cpu, int t, int state) {
    stopping(cpu, t, false, false);
    tasks.burstNs[t] = tasks.execNs[t]; // jl_stopping, not runnable: its burst since the wakeup
    tasks.state[t] = state;
    curr[cpu] = -1;
    cpuDispatch(cpu, -1);
  }

  /** heartbeat_fn: wake Java if records wait; kick idle CPUs when a pending task is past rescue. */
  private void heartbeat() {
    if (log.unread() > 0 && policySleeping) wakePolicy();
    boolean late = log.pendingCount() > 0 && now - log.enqNs[log.slot(log.pending)] >= params.get(KernelKnob.RESCUE);
    if (late) counters.heartbeats++;
    // also for tasks in the shared or priority queue beside an idle CPU (a kick the kernel lost; none is lost here)
    if (late || !shared.isEmpty() || prio.size() > 0) {
      for (int c = 0; c < nrCpus; c++) if (idle.isIdle(c)) cpuDispatch(c, -1);
    }
    queue.push(now + HEARTBEAT_NS, pack(EV_HEARTBEAT, 0, 0));
  }

  /** The kernel's watchdog: a task runnable and not run for watchdogNs unloads the scheduler. */
  private void watchdog() {
    String stall = tasks.stall(now, config.watchdogNs());
    if (stall != null) finish(ExitInfo.ERROR_STALL, "runnable task stall", stall);
    else queue.push(now + WATCHDOG_PERIOD_NS, pack(EV_WATCHDOG, 0, 0));
  }

  private void deadlock() {
    finish(ExitInfo.ERROR, "workload deadlocked",
        "all " + liveCount + " remaining tasks wait for a post no running task will make");
  }

  void finish(long kind, String reason, String message) {
    // Charge what is still on a CPU, so the metrics of a stopped run add up.
    for (int c = 0; c < nrCpus; c++) {
      int t = curr[c];
      if (t < 0) continue;
      rec.workNs += Math.max(0, now - segStart[c]);
      stopping(c, t, true, false); // taken off still runnable, as when the scheduler detaches
      tasks.runStartNs[t] = now;
      segStart[c] = now;
    }
    finishedAt = now;
    exit = new ExitInfo(kind, 0, reason, message);
  }
}
