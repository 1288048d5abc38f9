package javaland.runtime.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import javaland.sdk.CpuTopology;

class SysfsTopologyTest {
  @TempDir Path sysfs;

  private void write(int cpu, String file, String content) throws IOException {
    Path p = sysfs.resolve("cpu" + cpu).resolve(file);
    Files.createDirectories(p.getParent());
    Files.writeString(p, content);
  }

  private void siblings(int cpu, String list) throws IOException {
    write(cpu, "topology/thread_siblings_list", list);
  }

  private void llc(int cpu, String list) throws IOException {
    write(cpu, "cache/index3/shared_cpu_list", list);
  }

  @Test
  void readsSmtSiblingsAndLlcFromSysfs() throws IOException {
    // 8 CPUs: cores {0,2} {1,3} on LLC 0-3; cores {4,6} {5,7} on LLC 4-7. Files end in "\n" as in sysfs.
    for (int cpu = 0; cpu < 8; cpu++) {
      int base = cpu < 4 ? 0 : 4;
      int first = base + (cpu % 2);
      siblings(cpu, first + "," + (first + 2) + "\n");
      llc(cpu, base + "-" + (base + 3) + "\n");
    }
    CpuTopology t = SysfsTopology.read(sysfs, 8);
    assertEquals(8, t.nrCpus());
    assertArrayEquals(new int[] {0, 1, 0, 1, 4, 5, 4, 5}, t.coreOf());
    assertArrayEquals(new int[] {0, 0, 0, 0, 4, 4, 4, 4}, t.llcOf());
    assertEquals(t.core(0), t.core(2), "SMT siblings share a core");
    assertNotEquals(t.core(0), t.core(1));
    assertEquals(t.llc(0), t.llc(3));
    assertNotEquals(t.llc(3), t.llc(4));
  }

  @Test
  void rangeStyleSiblingLists() throws IOException {
    siblings(0, "0-1\n");
    siblings(1, "0-1\n");
    CpuTopology t = SysfsTopology.read(sysfs, 2);
    assertArrayEquals(new int[] {0, 0}, t.coreOf());
  }

  @Test
  void missingOrBrokenFilesFallBack() throws IOException {
    siblings(0, "0,2");
    llc(0, "0-3");
    // cpu1: no directory at all
    siblings(2, ""); // empty
    llc(2, "garbage");
    siblings(3, "\n");
    CpuTopology t = SysfsTopology.read(sysfs, 4);
    assertArrayEquals(new int[] {0, 1, 2, 3}, t.coreOf(), "a CPU without sibling info is its own core");
    assertArrayEquals(new int[] {0, 0, 0, 0}, t.llcOf(), "without cache info every CPU shares LLC 0");
    assertEquals(CpuTopology.flat(4), SysfsTopology.read(sysfs.resolve("nowhere"), 4));
  }

  @Test
  void ofThisMachineHasOneEntryPerAvailableProcessor() {
    CpuTopology t = SysfsTopology.ofThisMachine();
    assertEquals(Runtime.getRuntime().availableProcessors(), t.nrCpus());
    for (int cpu = 0; cpu < t.nrCpus(); cpu++) {
      // sysfs lists include the CPU itself, so the lowest entry is never above it
      assertTrue(t.core(cpu) >= 0 && t.core(cpu) <= cpu, "core of " + cpu + ": " + t.core(cpu));
      assertTrue(t.llc(cpu) >= 0 && t.llc(cpu) <= cpu, "llc of " + cpu + ": " + t.llc(cpu));
    }
  }

  @Test
  void flatAndValidation() {
    CpuTopology f = CpuTopology.flat(3);
    assertArrayEquals(new int[] {0, 1, 2}, f.coreOf());
    assertArrayEquals(new int[] {0, 0, 0}, f.llcOf());
    assertThrows(IllegalArgumentException.class, () -> new CpuTopology(0, new int[0], new int[0]));
    assertThrows(IllegalArgumentException.class, () -> new CpuTopology(2, new int[1], new int[2]));
    assertThrows(IllegalArgumentException.class, () -> new CpuTopology(2, new int[2], new int[3]));
  }

  @Test
  void copiesItsInputAndComparesByContent() {
    int[] cores = {0, 0};
    CpuTopology t = new CpuTopology(2, cores, new int[2]);
    cores[1] = 1;
    assertEquals(0, t.core(1), "the constructor copies the arrays");
    assertEquals(new CpuTopology(2, new int[] {0, 0}, new int[2]), t);
    assertEquals(new CpuTopology(2, new int[] {0, 0}, new int[2]).hashCode(), t.hashCode());
    assertNotEquals(CpuTopology.flat(2), t);
  }
}
