package javaland.runtime.kernel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javaland.sdk.CpuTopology;

/** Reads a machine's {@link CpuTopology} from {@code /sys/devices/system/cpu}. */
public final class SysfsTopology {
  private SysfsTopology() {}

  /** Reads {@code cpuRoot}; CPUs whose files are missing count as their own core. */
  public static CpuTopology read(Path cpuRoot, int nrCpus) {
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
    return read(root, possibleCpus(root.resolve("possible")));
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
}
