package javaland.runtime.kernel.sim;

import java.util.ArrayList;
import java.util.List;
import javaland.runtime.kernel.Exemption;
import javaland.runtime.kernel.SchedEventListener;
import javaland.runtime.kernel.TaskBatch;
import javaland.sdk.Policy;

/** Test support: records the simulated kernel's scheduling events, its ring's records and what the policy was shown. */
final class SimTrace implements SchedEventListener, SimKernel.RingProbe {
  record Queued(long at, int pid, long seq, boolean wokeUp) {}

  record Run(long at, int cpu, int pid) {}

  record Task(int pid, int tgid, String comm, int weight, Exemption exempt) {}

  /**
   * One scheduling event as the listener got it: {@code kind} R(unnable), S(tart running) or
   * (sto)P(ping); {@code flag} is wokeUp (R) or stillRunnable (P); {@code sliceNs} the slice (S)
   * or what was left of it (P); {@code waker} for R.
   */
  record Event(char kind, long at, int cpu, int pid, int waker, boolean flag, boolean dead, long sliceNs) {}

  /** One task of one batch, as the policy saw it. */
  record Row(long now, int pid, long seq, int prevCpu, boolean wokeUp, long enqueuedAt, long execNs, long vtime, String comm) {}

  final List<Queued> queued = new ArrayList<>();
  final List<Run> runs = new ArrayList<>();
  final List<Task> tasks = new ArrayList<>();
  final List<Event> events = new ArrayList<>();
  final List<Row> rows = new ArrayList<>();

  /** Watches {@code k}'s events and ring from now on. */
  SimTrace watch(SimKernel k) {
    k.setListener(this);
    k.setProbe(this);
    return this;
  }

  @Override
  public void queued(long nowNs, int pid, long seq, boolean wokeUp) {
    queued.add(new Queued(nowNs, pid, seq, wokeUp));
  }

  @Override
  public void task(int pid, int tgid, String comm, int weight, Exemption exempt) {
    tasks.add(new Task(pid, tgid, comm, weight, exempt));
  }

  @Override
  public void runnable(long nowNs, int cpu, int pid, int wakerPid, boolean wokeUp) {
    events.add(new Event('R', nowNs, cpu, pid, wakerPid, wokeUp, false, 0));
  }

  @Override
  public void running(long nowNs, int cpu, int pid, long sliceNs) {
    runs.add(new Run(nowNs, cpu, pid));
    events.add(new Event('S', nowNs, cpu, pid, 0, false, false, sliceNs));
  }

  @Override
  public void stopping(long nowNs, int cpu, int pid, boolean stillRunnable, boolean dead, long sliceLeftNs) {
    events.add(new Event('P', nowNs, cpu, pid, 0, stillRunnable, dead, sliceLeftNs));
  }

  /** Wraps {@code inner} so every batch row is recorded before it decides. */
  Policy recording(Policy inner) {
    return (waiting, kernel) -> {
      TaskBatch tasks = (TaskBatch) waiting; // the simulated kernel hands the policy its own batch
      for (int i = 0; i < tasks.size(); i++) {
        rows.add(new Row(kernel.nowNs(), tasks.pid(i), tasks.seq(i), tasks.prevCpu(i), tasks.wokeUp(i),
            tasks.enqueuedAtNs(i), tasks.execNs(i), tasks.vtime(i), tasks.comm(i)));
      }
      inner.schedule(tasks, kernel);
    };
  }

  List<Run> runsOf(int pid) {
    return runs.stream().filter(r -> r.pid() == pid).toList();
  }

  Run firstRun(int pid) {
    return runs.stream().filter(r -> r.pid() == pid).findFirst()
        .orElseThrow(() -> new AssertionError("pid " + pid + " never ran"));
  }

  List<Event> eventsOf(int pid) {
    return events.stream().filter(e -> e.pid() == pid).toList();
  }

  static int pid(int taskIndex) {
    return SimKernel.PID_BASE + taskIndex;
  }
}
