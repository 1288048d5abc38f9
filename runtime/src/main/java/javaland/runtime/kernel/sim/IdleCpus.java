package javaland.runtime.kernel.sim;

import java.util.Arrays;
import javaland.sdk.CpuTopology;

/**
 * Which simulated CPUs are idle, and the kernel's choice of one for a waking task
 * ({@code scx_bpf_select_cpu_dfl}, simplified): the previous CPU, an SMT sibling, an LLC mate,
 * any CPU. Kept apart from {@link SimMachine} because it is topology, not scheduling.
 */
final class IdleCpus {
  private final int nrCpus;
  private final boolean[] idle;
  private final int[][] siblings;
  private final int[][] llcMates;
  private int idleCount;

  IdleCpus(CpuTopology topology) {
    nrCpus = topology.nrCpus();
    idle = new boolean[nrCpus];
    siblings = new int[nrCpus][];
    llcMates = new int[nrCpus][];
    for (int c = 0; c < nrCpus; c++) {
      idle[c] = true;
      siblings[c] = neighbours(topology, c, true);
      llcMates[c] = neighbours(topology, c, false);
    }
    idleCount = nrCpus;
  }

  /** CPUs sharing {@code cpu}'s core (siblings) or else its LLC, nearest number after it first. */
  private static int[] neighbours(CpuTopology topology, int cpu, boolean sameCore) {
    int n = topology.nrCpus();
    int[] out = new int[n];
    int k = 0;
    for (int i = 1; i < n; i++) {
      int c = (cpu + i) % n;
      boolean core = topology.core(c) == topology.core(cpu);
      boolean llc = topology.llc(c) == topology.llc(cpu);
      if (sameCore ? core : llc && !core) out[k++] = c;
    }
    return Arrays.copyOf(out, k);
  }

  boolean isIdle(int cpu) {
    return idle[cpu];
  }

  void setIdle(int cpu) {
    if (!idle[cpu]) {
      idle[cpu] = true;
      idleCount++;
    }
  }

  void setBusy(int cpu) {
    if (idle[cpu]) {
      idle[cpu] = false;
      idleCount--;
    }
  }

  /** An idle CPU for a task that last ran on {@code prev}, or -1 when none is idle. */
  int select(int prev) {
    if (idle[prev]) return prev;
    if (idleCount == 0) return -1;
    for (int c : siblings[prev]) if (idle[c]) return c;
    for (int c : llcMates[prev]) if (idle[c]) return c;
    return next(prev);
  }

  /** The first idle CPU from {@code from} on, wrapping around; -1 when none. */
  int next(int from) {
    if (idleCount == 0) return -1;
    for (int i = 0; i < nrCpus; i++) {
      int c = from + i < nrCpus ? from + i : from + i - nrCpus;
      if (idle[c]) return c;
    }
    return -1;
  }
}
