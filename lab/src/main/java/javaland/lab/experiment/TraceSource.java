package javaland.lab.experiment;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import javaland.lab.replay.TraceWorkload;
import javaland.sdk.CpuTopology;
import javaland.runtime.kernel.sim.Workload;

/**
 * A recorded trace replayed as a workload, through {@link TraceWorkload} (javaland.lab.replay):
 * a binary javaland trace or any text format its importer reads, loaded once (leniently: bad lines
 * are skipped and counted) and shared by every run. It runs on the machine the spec gives for it,
 * else on the traced machine's own CPUs.
 */
public final class TraceSource implements WorkloadSource {
  private final String label;
  private final Path path;
  private final CpuTopology given;
  private TraceWorkload loaded;

  /**
   * @param label how the experiment names it (default: the file name without extension)
   * @param path the trace file, absolute
   * @param given the machine the spec asked for, or null to use the trace's own
   */
  public TraceSource(String label, Path path, CpuTopology given) {
    this.label = label;
    this.path = path;
    this.given = given;
  }

  /** Reads and models the trace, once; later calls return the same model. */
  public synchronized TraceWorkload load() throws IOException {
    if (loaded == null) loaded = TraceWorkload.load(path);
    return loaded;
  }

  private TraceWorkload model() {
    try {
      return load();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("trace " + path + ": " + e.getMessage(), e);
    }
  }

  public Path path() {
    return path;
  }

  @Override
  public String label() {
    return label;
  }

  @Override
  public String kind() {
    return "trace";
  }

  @Override
  public void prepare() throws IOException {
    load();
  }

  @Override
  public CpuTopology topology() {
    return given != null ? given : model().topology();
  }

  @Override
  public String describe() {
    TraceWorkload t = model();
    TraceWorkload.TraceInfo i = t.info();
    return String.format(Locale.ROOT, "trace %s (%s), %d tasks, %d events over %.1f ms, %d skipped lines, %d lost events; "
        + "replayed on %d CPUs%s", path.getFileName(), i.format(), t.tasks().size(), i.events(), i.spanNs() / 1e6,
        i.skippedLines(), i.lostEvents(), topology().nrCpus(), given == null ? " (the trace's own)" : "");
  }

  @Override
  public Workload workload(long seed) throws IOException {
    return load().workload(seed);
  }
}
