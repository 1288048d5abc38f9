package javaland.runtime.kernel;

/**
 * What one BPF program of the scheduler cost the CPUs that ran it: how often it ran and for how
 * long in all, as the kernel counts it while {@code kernel.bpf_stats_enabled} is 1 (the counts stand
 * still otherwise, and cost nothing). The figure that says how much of a context switch is ours.
 */
public record ProgramCost(String name, long runs, long runNs) {
  public ProgramCost {
    if (runs < 0 || runNs < 0) throw new IllegalArgumentException(name + ": negative run count or time");
  }

  /** Nanoseconds per run, 0 before the first. */
  public long nsPerRun() {
    return runs == 0 ? 0 : runNs / runs;
  }

  /**
   * From the text of a BPF program's {@code /proc/<pid>/fdinfo/<fd>} (lines {@code run_time_ns:}
   * and {@code run_cnt:}; kernels before 5.1 have neither: 0).
   */
  public static ProgramCost fromFdinfo(String name, String fdinfo) {
    long runs = 0, ns = 0;
    for (String line : fdinfo.split("\n")) {
      int colon = line.indexOf(':');
      if (colon < 0) continue;
      String key = line.substring(0, colon).strip();
      if (!key.equals("run_cnt") && !key.equals("run_time_ns")) continue;
      long v;
      try {
        v = Long.parseLong(line.substring(colon + 1).strip());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("fdinfo of BPF program " + name + ": bad " + key + " line '" + line + "'");
      }
      if (key.equals("run_cnt")) runs = v;
      else ns = v;
    }
    return new ProgramCost(name, runs, ns);
  }
}
