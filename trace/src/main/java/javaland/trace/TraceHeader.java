package javaland.trace;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import javaland.sdk.CpuTopology;

/**
 * What a trace says about itself before its first record.
 *
 * @param version format version of the file (the reader refuses others than {@link #VERSION})
 * @param clock where the timestamps come from: {@link #CLOCK_SIM}, "ftrace", "perf", "monotonic", ...
 * @param nrCpus CPUs of the machine; 0 if the writer did not know (the summary then has the CPUs seen)
 * @param topology cores and caches, or null if unknown; when present it has {@code nrCpus} CPUs
 * @param metadata free-form key/value pairs: source, workload, seed, policy, host, kernel, ...
 */
public record TraceHeader(int version, String clock, int nrCpus, CpuTopology topology, Map<String, String> metadata) {
  /** The format version this code writes and reads. */
  public static final int VERSION = 1;
  /** Virtual ns of a simulated run, from its start. */
  public static final String CLOCK_SIM = "sim-virtual";

  public TraceHeader {
    if (clock == null) clock = "";
    if (nrCpus < 0) throw new IllegalArgumentException("nrCpus must be >= 0, got " + nrCpus);
    if (topology != null && topology.nrCpus() != nrCpus) {
      throw new IllegalArgumentException("topology has " + topology.nrCpus() + " CPUs, header says " + nrCpus);
    }
    Map<String, String> m = new LinkedHashMap<>();
    if (metadata != null) {
      metadata.forEach((k, v) -> {
        if (k == null || v == null) throw new IllegalArgumentException("metadata keys and values must not be null");
        m.put(k, v);
      });
    }
    metadata = Collections.unmodifiableMap(m);
  }

  /** A header of the current version. */
  public static TraceHeader of(String clock, int nrCpus, CpuTopology topology, Map<String, String> metadata) {
    return new TraceHeader(VERSION, clock, nrCpus, topology, metadata);
  }

  /** A header of the current version with the machine's shape from its topology. */
  public static TraceHeader of(String clock, CpuTopology topology, Map<String, String> metadata) {
    return of(clock, topology.nrCpus(), topology, metadata);
  }
}
