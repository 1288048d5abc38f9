package javaland.runtime.kernel.sim;

import java.util.Optional;
import java.util.concurrent.locks.LockSupport;
import javaland.runtime.kernel.ExitInfo;
import javaland.runtime.kernel.Kernel;
import javaland.runtime.kernel.KernelParams;
import javaland.runtime.kernel.KernelStats;
import javaland.runtime.kernel.SchedEventListener;
import javaland.runtime.kernel.TaskBatch;
import javaland.sdk.CpuTopology;
import javaland.sdk.Policy;

/**
 * A deterministic discrete-event simulation of the kernel half (bpf/javaland.bpf.c on sched_ext)
 * running a {@link Workload}: policies run on it unchanged, through the same {@link Kernel}
 * contract as on the real kernel. Virtual time advances only inside {@link #poll}; see
 * package-info for the model and what it leaves out.
 *
 * <p>Single-threaded: the dispatch thread drives it. {@link #stats()} and {@link #exitInfo()}
 * may be read from elsewhere (slightly stale); {@link #metrics()} is exact once the run ended.
 */
public final class SimKernel implements Kernel {
  /** Task {@code i} of the workload has pid {@code PID_BASE + i}; its group's first task is its tgid. */
  public static final int PID_BASE = 1000;
  /** sched_ext's SCX_EXIT_DONE: what a finished workload reports. */
  public static final long EXIT_DONE = 1;

  /**
   * A sim-only probe, for tests: each record the simulated kernel half writes into the ring to
   * the policy (jl_enqueue), on the simulating thread. Not a scheduling event: those go to the
   * {@link SchedEventListener} ({@link #setListener}), as on the BPF kernel.
   */
  @FunctionalInterface
  public interface RingProbe {
    void queued(long nowNs, int pid, long seq, boolean wokeUp);
  }

  private final Workload workload;
  private final SimConfig config;
  private final SimMachine m;
  private volatile ExitInfo unloadAsked;

  // The dispatch thread's own timeline.
  private long busyUntil;
  private long pollReturnNs;
  private int lastBatchSize;
  private long wallOrigin = -1;
  private long virtOrigin;

  public SimKernel(Workload workload, SimConfig config) {
    this.workload = workload;
    this.config = config;
    this.m = new SimMachine(workload, config);
  }

  @Override
  public String describe() {
    CpuTopology t = m.topology;
    long cores = java.util.Arrays.stream(t.coreOf()).distinct().count();
    long llcs = java.util.Arrays.stream(t.llcOf()).distinct().count();
    return "simulated, " + m.nrCpus + " CPUs (" + cores + " cores, " + llcs + " LLC), workload '" + workload.name()
        + "' (" + m.tasks.n + " tasks, seed " + workload.seed() + ")" + (config.pace() > 0 ? ", paced x" + config.pace() : "");
  }

  @Override
  public CpuTopology topology() {
    return m.topology;
  }

  /** Virtual time, in ns since the simulation started. */
  @Override
  public long nowNs() {
    return m.now;
  }

  @Override
  public boolean cpuIdle(int cpu) {
    return m.idle(cpu);
  }

  @Override
  public boolean simulated() {
    return true;
  }

  @Override
  public int backlog() {
    return m.unread();
  }

  /**
   * Advances virtual time. The dispatch thread is busy until its last batch was decided; then it
   * reads whatever the ring holds, or sleeps until the kernel wakes it (as the BPF side does:
   * only when CPUs run short of decided work, or on the heartbeat) plus the wake latency, or
   * until {@code timeoutMs} of virtual time passed, or the run ended.
   */
  @Override
  public int poll(TaskBatch batch, int timeoutMs) {
    if (m.decisions.hasOpenBatch()) flush();
    batch.clear();
    ExitInfo u = unloadAsked;
    if (u != null && m.exit == null) m.finish(u.kind(), u.reason(), u.message());
    if (m.exit != null) return 0;
    if (config.pace() > 0 && wallOrigin < 0) {
      wallOrigin = System.nanoTime();
      virtOrigin = m.now;
    }
    m.advanceTo(Math.max(m.now, busyUntil));
    if (m.exit == null && m.unread() == 0 && timeoutMs > 0) sleep(timeoutMs);
    if (config.pace() > 0) pace();
    if (m.exit != null) return 0;
    int n = m.fill(batch);
    pollReturnNs = m.now;
    lastBatchSize = n;
    busyUntil = m.now + n * config.decideNsPerTask();
    return n;
  }

  /** Blocked in epoll: events run until the kernel's wakeup arrives or the timeout passes. */
  private void sleep(int timeoutMs) {
    long deadline = m.now + Math.min(timeoutMs * 1_000_000L, SimTime.NEVER - m.now);
    m.policySleeping = true;
    m.policyWakeAt = SimTime.NEVER;
    while (m.exit == null) {
      long next = m.nextEventTime();
      long wake = m.policyWakeAt;
      if (wake != SimTime.NEVER && next > wake && wake <= deadline) {
        m.now = wake;
        break;
      }
      if (next > deadline) {
        m.now = Math.max(m.now, deadline);
        break;
      }
      m.step();
    }
    m.policySleeping = false;
    m.policyWakeAt = SimTime.NEVER;
  }

  /** Paced mode: sleep until wall-clock time caught up with virtual time. */
  private void pace() {
    long wall = System.nanoTime();
    long target = wallOrigin + (long) ((m.now - virtOrigin) / config.pace());
    if (target > wall) LockSupport.parkNanos(target - wall);
  }

  /** A batch's decisions reach the kernel one round trip after the batch was read. */
  @Override
  public void submit(TaskBatch batch) {
    for (int i = 0, n = batch.size(); i < n; i++) {
      if (batch.decided(i)) {
        m.decisions.add(batch.pid(i), batch.seq(i), batch.decidedCpu(i), batch.decidedSliceNs(i),
            batch.decidedDeadline(i), batch.decidedVtime(i), batch.decidedWakeSliceNs(i), batch.decidedWakeDeadlineNs(i));
      }
    }
    flush();
  }

  private void flush() {
    if (m.decisions.closeBatch() == 0) return;
    long rt = config.roundTripNs() + (long) lastBatchSize * config.decideNsPerTask();
    m.scheduleApply(Math.max(m.now, pollReturnNs + rt));
  }

  @Override
  public void registerDispatcherThread() {
    // The simulated dispatch thread runs on no simulated CPU: nothing to exempt.
  }

  @Override
  public void tune(KernelParams p) {
    m.params = p;
  }

  @Override
  public KernelParams params() {
    return m.params;
  }

  @Override
  public KernelStats stats() {
    return m.counters.stats();
  }

  @Override
  public long[] roundTripHistogram() {
    return m.counters.roundTripHistogram();
  }

  @Override
  public long roundTripSumNs() {
    return m.counters.rtSum;
  }

  @Override
  public long[][] schedDelayHistograms() {
    return m.counters.schedDelayHistograms();
  }

  @Override
  public long[] schedDelaySumsNs() {
    return m.counters.schedDelaySumsNs();
  }

  /** CPU time charged to tasks so far (virtual ns); read from other threads, slightly stale. */
  @Override
  public long cpuBusyNs() {
    return m.rec.busyNs;
  }

  /** The task's spec as the rules see it: its comm, cgroup and uid; nice from its weight. */
  @Override
  public Optional<javaland.runtime.kernel.TaskInfo> taskInfo(int pid) {
    int t = pid - PID_BASE;
    if (t < 0 || t >= workload.tasks().size()) return Optional.empty();
    TaskSpec s = workload.tasks().get(t);
    String comm = s.comm().length() > TaskBatch.COMM_LEN - 1 ? s.comm().substring(0, TaskBatch.COMM_LEN - 1) : s.comm();
    // Linux's weights grow by 1.25x per nice level, 100 (1024 in the kernel) at nice 0.
    int nice = (int) Math.clamp(Math.round(-Math.log(s.weight() / 100.0) / Math.log(1.25)), -20, 19);
    return Optional.of(new javaland.runtime.kernel.TaskInfo(pid, PID_BASE + s.groupBase(), comm, "/usr/bin/" + comm,
        s.cgroup(), s.uid(), s.uid(), nice, s.startNs()));
  }

  /** The simulated task_classes map: latency-critical wakeups are placed by the machine itself. */
  @Override
  public javaland.runtime.kernel.TaskClassSink taskClasses() {
    return m.classes;
  }

  @Override
  public Optional<ExitInfo> exitInfo() {
    return Optional.ofNullable(m.exit);
  }

  @Override
  public void close() {
    if (m.exit == null) m.finish(ExitInfo.UNREG, "unregistered from user space", "");
  }

  // ---------------------------------------------------------------- beyond the contract

  /**
   * Makes this kernel unload the scheduler as sched_ext does on SysRq-S ({@link ExitInfo#SYSRQ})
   * or an error exit ({@code kind}): at the dispatch thread's next poll, from any thread.
   */
  public void forceUnload(long kind, String reason) {
    if (kind == ExitInfo.UNREG || kind == EXIT_DONE) throw new IllegalArgumentException("not an unload by the kernel: kind " + kind);
    unloadAsked = new ExitInfo(kind, 0, reason, "forced (SimKernel.forceUnload)");
  }

  /**
   * Sends this kernel's scheduling events to {@code l} from now on (null: nowhere): the events
   * the BPF kernel emits, at the same points of the model (see SimEvents), on the simulating
   * thread. Set it before the run starts to see every task's {@code task} event.
   */
  public void setListener(SchedEventListener l) {
    m.events.listener = l == null ? SchedEventListener.NONE : l;
  }

  /** The class the classifier handed down for {@code pid} (its task_classes entry), NONE when it has none. */
  public javaland.sdk.TaskClass kernelClassOf(int pid) {
    int t = pid - PID_BASE;
    if (t < 0 || t >= workload.tasks().size()) return javaland.sdk.TaskClass.NONE;
    return javaland.sdk.TaskClass.ofId(m.classes.taskClass(t));
  }

  /** Sends each record the ring to the policy receives to {@code p} (null: nowhere). */
  public void setProbe(RingProbe p) {
    m.events.probe = p == null ? SimEvents.NO_PROBE : p;
  }

  /** Discrete events processed so far. */
  public long events() {
    return m.eventCount;
  }

  public SimMetrics metrics() {
    long makespan = m.finishedAt >= 0 ? m.finishedAt : m.now;
    return m.rec.snapshot(workload, m.nrCpus, m.now, makespan, m.eventCount, m.counters.stats(), m.exit);
  }

  /** Runs {@code policy} on this thread exactly as DispatchLoop would, until the run ends. */
  public SimMetrics runToCompletion(Policy policy) {
    return runToCompletion(policy, b -> {}, () -> {});
  }

  /**
   * The same, with what the runtime's loop does around the policy: {@code beforePolicy} sees each
   * batch first (the rules' classifier), {@code afterPoll} runs after every poll (its resolver).
   */
  public SimMetrics runToCompletion(Policy policy, java.util.function.Consumer<TaskBatch> beforePolicy, Runnable afterPoll) {
    TaskBatch batch = new TaskBatch(256);
    registerDispatcherThread();
    while (m.exit == null) {
      if (poll(batch, 50) > 0) {
        beforePolicy.accept(batch);
        policy.schedule(batch, this);
        submit(batch);
      }
      afterPoll.run();
    }
    return metrics();
  }
}
