package javaland.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import javaland.sdk.CpuTopology;
import javaland.runtime.kernel.ExitInfo;
import javaland.runtime.kernel.Kernel;
import javaland.runtime.kernel.KernelStats;
import javaland.runtime.kernel.KernelParams;
import javaland.runtime.kernel.TaskBatch;

/** A kernel that hands out pre-arranged batches and records every decision and submit. */
public class ScriptedKernel implements Kernel {
  public final ConcurrentLinkedQueue<int[]> batches = new ConcurrentLinkedQueue<>();
  public final List<long[]> decided = java.util.Collections.synchronizedList(new ArrayList<>());
  public volatile int flushes;
  public volatile ExitInfo exit;
  public volatile KernelParams tunables = KernelParams.defaults();
  public volatile boolean registered;
  public volatile boolean closed;

  @Override public String describe() { return "scripted"; }
  @Override public CpuTopology topology() { return CpuTopology.flat(2); }
  @Override public long nowNs() { return System.nanoTime(); }
  @Override public boolean cpuIdle(int cpu) { return false; }
  @Override public int backlog() { return 0; }

  @Override
  public int poll(TaskBatch batch, int timeoutMs) {
    batch.clear();
    int[] pids = batches.poll();
    if (pids == null) {
      try {
        Thread.sleep(1);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return 0;
    }
    for (int pid : pids) batch.add(pid, pid, 0, 2, 100, true, pid * 10L, pid * 100L, 0, 0);
    return pids.length;
  }

  @Override
  public void submit(TaskBatch batch) {
    for (int i = 0; i < batch.size(); i++) {
      if (batch.decided(i)) {
        decided.add(new long[] {batch.pid(i), batch.seq(i), batch.decidedCpu(i), batch.decidedSliceNs(i), batch.decidedDeadline(i)});
      }
    }
    flushes++;
  }

  @Override public void registerDispatcherThread() { registered = true; }
  @Override public void tune(KernelParams t) { tunables = t; }
  @Override public KernelParams params() { return tunables; }

  @Override
  public KernelStats stats() {
    return new KernelStats(0, decided.size(), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
  }

  @Override public Optional<ExitInfo> exitInfo() { return Optional.ofNullable(exit); }
  /** What programCosts() answers while open; a closed kernel's programs are gone, as BpfKernel's fds. */
  public volatile List<javaland.runtime.kernel.ProgramCost> programs = List.of();
  @Override public List<javaland.runtime.kernel.ProgramCost> programCosts() { return closed ? List.of() : programs; }
  @Override public void close() { closed = true; }
}
