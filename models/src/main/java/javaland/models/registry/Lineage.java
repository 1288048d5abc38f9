package javaland.models.registry;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Where a model artifact came from, so that it can be traced back and made again: the data it was
 * trained on (each trace file with the SHA-256 of its bytes, each synthetic workload with its
 * seeds), what was explored (the policy, the grid of parameter values, the seeds), and the build
 * of javaland that trained it (version and git commit). Kept in the artifact's metadata
 * ({@code artifacts/000003.json}, field {@code lineage}).
 *
 * @param policy the policy whose parameters were explored
 * @param arms parameter name to the values tried, in the order given
 * @param search how they were explored: {@code grid}, {@code bo} or {@code both}
 * @param seeds the seeds every workload ran with
 * @param traces the trace files replayed, in the order read
 * @param synthetic the synthetic workloads run
 * @param build the javaland that trained it
 */
public record Lineage(String policy, Map<String, List<Double>> arms, String search, List<Long> seeds,
    List<TraceInput> traces, List<SyntheticInput> synthetic, BuildInfo build) {
  public Lineage {
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(build, "build");
    Map<String, List<Double>> a = new LinkedHashMap<>();
    (arms == null ? Map.<String, List<Double>>of() : arms).forEach((k, v) -> a.put(k, List.copyOf(v)));
    arms = Collections.unmodifiableMap(a);
    search = search == null ? "" : search;
    seeds = seeds == null ? List.of() : List.copyOf(seeds);
    traces = traces == null ? List.of() : List.copyOf(traces);
    synthetic = synthetic == null ? List.of() : List.copyOf(synthetic);
  }

  /** What {@link TraceInput#sha256} is the hash of: the file's bytes as they lie on disk. */
  public static final String HASH_OF_FILE = "file bytes as stored (compressed if the file is)";

  /**
   * One trace file trained on.
   *
   * @param path the path as given ({@code --traces} directory and file name)
   * @param absolutePath the same, absolute and normalised
   * @param bytes the file's size
   * @param compression {@code gzip} (a {@code .jlt.gz}) or {@code none}
   * @param sha256 hex SHA-256 of the file's bytes as stored, compressed or not: {@code sha256sum
   *     FILE} prints the same
   * @param sha256Of what the hash covers, always {@link #HASH_OF_FILE}
   */
  public record TraceInput(String path, String absolutePath, long bytes, String compression, String sha256, String sha256Of) {
    public TraceInput {
      Objects.requireNonNull(path, "path");
      Objects.requireNonNull(sha256, "sha256");
      absolutePath = absolutePath == null ? "" : absolutePath;
      compression = compression == null ? "none" : compression;
      sha256Of = sha256Of == null ? HASH_OF_FILE : sha256Of;
    }
  }

  /**
   * One synthetic workload trained on.
   *
   * @param name its generator ({@code mix}, {@code hogs}, ...)
   * @param seeds the seeds it was generated with, one run each
   * @param cpus CPUs of its machine
   * @param durationNs its virtual length
   */
  public record SyntheticInput(String name, List<Long> seeds, int cpus, long durationNs) {
    public SyntheticInput {
      Objects.requireNonNull(name, "name");
      seeds = seeds == null ? List.of() : List.copyOf(seeds);
    }
  }
}
