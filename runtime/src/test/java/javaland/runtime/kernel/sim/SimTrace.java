package javaland.runtime.kernel.sim;

import java.util.ArrayList;
import java.util.List;
import javaland.sdk.KernelView;
import javaland.runtime.kernel.TaskBatch;
import javaland.sdk.Policy;

/** Test support: records what the simulated kernel did and what the policy was shown. */
final class SimTrace implements SimKernel.Observer {
  record Queued(long at, int pid, long seq, boolean wokeUp) {}

  record Run(long at, int cpu, int pid) {}

  /** One task of one batch, as the policy saw it. */
  record Row(long now, int pid, long seq, int prevCpu, boolean wokeUp, long enqueuedAt, long execNs, long vtime, String comm) {}

  final List<Queued> queued = new ArrayList<>();
  final List<Run> runs = new ArrayList<>();
  final List<Row> rows = new ArrayList<>();

  @Override
  public void queued(long nowNs, int pid, long seq, boolean wokeUp) {
    queued.add(new Queued(nowNs, pid, seq, wokeUp));
  }

  @Override
  public void running(long nowNs, int cpu, int pid) {
    runs.add(new Run(nowNs, cpu, pid));
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

  static int pid(int taskIndex) {
    return SimKernel.PID_BASE + taskIndex;
  }
}
