package javaland.runtime.policy;

import javaland.sdk.CpuTopology;
import javaland.sdk.KernelView;

/** A {@link KernelView} whose idle CPUs, backlog and clock the test sets. */
final class FakeKernelView implements KernelView {
  private final CpuTopology topology;
  private final boolean[] idle;
  int backlog;
  long nowNs;

  FakeKernelView(int nrCpus) {
    topology = CpuTopology.flat(nrCpus);
    idle = new boolean[nrCpus];
  }

  FakeKernelView idle(int... cpus) {
    java.util.Arrays.fill(idle, false);
    for (int c : cpus) idle[c] = true;
    return this;
  }

  @Override
  public CpuTopology topology() {
    return topology;
  }

  @Override
  public long nowNs() {
    return nowNs;
  }

  @Override
  public boolean cpuIdle(int cpu) {
    return cpu >= 0 && cpu < idle.length && idle[cpu];
  }

  @Override
  public int backlog() {
    return backlog;
  }
}
