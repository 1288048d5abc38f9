package javaland.sdk;

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

  @Override
  public int[] coreOf() {
    return coreOf.clone();
  }

  @Override
  public int[] llcOf() {
    return llcOf.clone();
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
