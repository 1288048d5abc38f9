package javaland.runtime.kernel.sim;

import javaland.runtime.kernel.SchedEventListener;

/**
 * The simulated kernel half's scheduling events: the {@link SchedEventListener} events
 * bpf/javaland.bpf.c writes into its {@code sched_events} ring, emitted by {@link SimMachine} at
 * the points of its model that stand for the sched_ext callbacks that write them:
 *
 * <table>
 *   <caption>BPF callback and the simulated kernel's event point</caption>
 *   <tr><th>javaland.bpf.c</th><th>event</th><th>SimMachine</th></tr>
 *   <tr><td>{@code jl_enable} (every task at attach, then each fork)</td><td>{@code task}</td>
 *       <td>a task's fork, at its start time ({@code wake} of a new task), before its first
 *       runnable; its exemption is its {@code TaskSpec.exempt}, the kind {@code dispatch_exempt}
 *       gives it</td></tr>
 *   <tr><td>{@code jl_runnable}</td><td>{@code runnable}</td><td>{@code wake}, after
 *       {@code select_cpu} chose a CPU and before the idle fast path or {@code enqueue}: a fork
 *       (not woken up) or a wakeup. It happens on the CPU that did it: the poster's for a post
 *       (the waker: the task running there), the task's previous CPU for a timer (where it went
 *       to sleep) or a fork, naming whatever runs there as the waker as an interrupt would (0 if
 *       idle). A task put back after its slice or preempted gets none, as in the kernel.</td></tr>
 *   <tr><td>{@code jl_running}</td><td>{@code running}</td><td>{@code running}: a CPU took the
 *       task from a queue; the slice is the one it was dispatched with. A task the kernel keeps
 *       running (its slice ran out with nothing else to run) gets no callbacks, only a fresh
 *       20 ms slice.</td></tr>
 *   <tr><td>{@code jl_stopping}</td><td>{@code stopping}</td><td>{@code stopping}: still
 *       runnable when its slice ran out with other work waiting or it was preempted
 *       (SCX_KICK_PREEMPT, SCX_ENQ_PREEMPT), and when the run ends (horizon, close: the kernel
 *       takes running tasks off as the scheduler detaches); dead on its exit; otherwise it blocked
 *       (a sleep, a wait). The slice left is its slice minus the time since it started (or was
 *       refilled), at least 0.</td></tr>
 *   <tr><td>(the ring full)</td><td>{@code lost}</td><td>never: nothing is dropped</td></tr>
 * </table>
 *
 * <p>Slices are passed at the precision and caps of the ring's {@code arg} (us; 2^31-1 us
 * running, 2^30-1 us stopping). Task {@code i} is pid {@code SimKernel.PID_BASE + i}, its group's
 * first task its tgid. What the simulated ring to the policy receives is not a scheduling event
 * (the BPF program records none); {@link SimKernel.RingProbe} sees it.
 */
final class SimEvents {
  private static final long RUNNING_CAP_US = 0x7fff_ffffL;  // slice_us(p->scx.slice, 0x7fffffff) in jl_running
  private static final long STOPPING_CAP_US = 0x3fff_ffffL; // slice_us(p->scx.slice, 0x3fffffff) in jl_stopping
  static final SimKernel.RingProbe NO_PROBE = (nowNs, pid, seq, wokeUp) -> { };

  private final SimTasks tasks;
  /** Per CPU: when the running task's slice is used up (p->scx.slice, as a deadline). */
  private final long[] sliceUntil;
  SchedEventListener listener = SchedEventListener.NONE;
  SimKernel.RingProbe probe = NO_PROBE;

  SimEvents(SimTasks tasks, int nrCpus) {
    this.tasks = tasks;
    this.sliceUntil = new long[nrCpus];
  }

  private static int pid(int t) {
    return SimKernel.PID_BASE + t;
  }

  /** A slice in ns as the ring's arg carries it: whole us, at most {@code capUs}. */
  private static long wire(long ns, long capUs) {
    return Math.min(Math.max(0, ns) / 1000, capUs) * 1000;
  }

  /** jl_enable: task {@code t} forks. */
  void enable(int t) {
    listener.task(pid(t), pid(tasks.groupBase[t]), tasks.commNames[t], tasks.weight[t], tasks.exemption[t]);
  }

  /** jl_runnable: task {@code t} is runnable, on {@code cpu} where task {@code current} runs (-1: idle). */
  void runnable(long now, int cpu, int t, int current, boolean wokeUp) {
    listener.runnable(now, cpu, pid(t), current < 0 ? 0 : pid(current), wokeUp);
  }

  /** jl_running: task {@code t} starts on {@code cpu} with {@code sliceNs}. */
  void running(long now, int cpu, int t, long sliceNs) {
    sliceUntil[cpu] = SimTime.satAdd(now, sliceNs);
    listener.running(now, cpu, pid(t), wire(sliceNs, RUNNING_CAP_US));
  }

  /** The kernel keeps the task on {@code cpu} with a fresh slice: no callback. */
  void refill(long now, int cpu, long sliceNs) {
    sliceUntil[cpu] = SimTime.satAdd(now, sliceNs);
  }

  /** jl_stopping: task {@code t} leaves {@code cpu}. */
  void stopping(long now, int cpu, int t, boolean stillRunnable, boolean dead) {
    listener.stopping(now, cpu, pid(t), stillRunnable, dead, wire(sliceUntil[cpu] - now, STOPPING_CAP_US));
  }

  /** jl_enqueue wrote a record for the policy. */
  void queued(long now, int t, long seq, boolean wokeUp) {
    probe.queued(now, pid(t), seq, wokeUp);
  }
}
