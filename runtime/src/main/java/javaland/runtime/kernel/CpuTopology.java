package javaland.runtime.kernel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * CPUs and how they share hardware: {@code coreOf[cpu]} is the physical core (SMT siblings
 * share it), {@code llcOf[cpu]} the last-level cache domain.
 */
public record CpuTopology(int nrCpus, int[] coreOf, int[] llcOf) {
  public CpuTopology {
    if (nrCpus < 1 || coreOf.length != nrCpus || llcOf.length != nrCpus) {
      throw new IllegalArgumentException("topology arrays must have one entry per CPU (" + nrCpus + ")");
    }
    coreOf = coreOf.clone();
    llcOf = llcOf.clone();
  }

  /** Every CPU its own core, all sharing one cache. */
  public static CpuTopology flat(int nrCpus) {
    int[] cores = new int[nrCpus];
    Arrays.setAll(cores, i -> i);
    return new CpuTopology(nrCpus, cores, new int[nrCpus]);
  }

  public int core(int cpu) {
    return coreOf[cpu];
  }

  public int llc(int cpu) {
    return llcOf[cpu];
  }

  /** Reads {@code /sys/devices/system/cpu}; CPUs whose files are missing count as their own core. */
  public static CpuTopology fromSysfs(Path cpuRoot, int nrCpus) {
    int[] cores = new int[nrCpus];
    int[] llcs = new int[nrCpus];
    for (int cpu = 0; cpu < nrCpus; cpu++) {
      Path dir = cpuRoot.resolve("cpu" + cpu);
      cores[cpu] = firstCpu(dir.resolve("topology/thread_siblings_list"), cpu);
      llcs[cpu] = firstCpu(dir.resolve("cache/index3/shared_cpu_list"), 0);
    }
    return new CpuTopology(nrCpus, cores, llcs);
  }

  /**
   * This machine's CPUs, sized by the highest possible CPU id (not by availableProcessors(),
   * which follows affinity and container limits: the kernel reports real CPU ids).
   */
  public static CpuTopology ofThisMachine() {
    Path root = Path.of("/sys/devices/system/cpu");
    return fromSysfs(root, possibleCpus(root.resolve("possible")));
  }

  /** Highest id in a CPU list such as "0-3,8" plus one; availableProcessors() if unreadable. */
  static int possibleCpus(Path list) {
    try {
      int max = -1;
      for (String part : Files.readString(list).trim().split(",")) {
        String[] range = part.split("-");
        max = Math.max(max, Integer.parseInt(range[range.length - 1].trim()));
      }
      return max + 1;
    } catch (IOException | NumberFormatException e) {
      return Runtime.getRuntime().availableProcessors();
    }
  }

  @Override
  public int[] coreOf() {
    return coreOf.clone();
  }

  @Override
  public int[] llcOf() {
    return llcOf.clone();
  }

  /** The lowest CPU in a list like "0-3,8": a stable id for the group. */
  private static int firstCpu(Path list, int fallback) {
    try {
      String s = Files.readString(list).trim();
      if (s.isEmpty()) return fallback;
      return Integer.parseInt(s.split("[,-]")[0]);
    } catch (IOException | NumberFormatException e) {
      return fallback;
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CpuTopology t && t.nrCpus == nrCpus && Arrays.equals(t.coreOf, coreOf)
        && Arrays.equals(t.llcOf, llcOf);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(coreOf) + Arrays.hashCode(llcOf) + nrCpus;
  }

  @Override
  public String toString() {
    return "CpuTopology[" + nrCpus + " cpus, cores " + Arrays.toString(coreOf) + ", llc "
        + Arrays.toString(llcOf) + "]";
  }
}
