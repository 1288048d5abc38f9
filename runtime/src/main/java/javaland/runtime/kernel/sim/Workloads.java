package javaland.runtime.kernel.sim;

import static javaland.runtime.kernel.sim.Workload.MS;
import static javaland.runtime.kernel.sim.Workload.US;

import java.util.List;

/** Ready-made workloads by name, scaled to the number of CPUs: for the command line and demos. */
public final class Workloads {
  public static final List<String> NAMES = List.of("hogs", "interactive", "periodic", "forkjoin", "server", "mix", "server-hogs");

  private Workloads() {}

  /**
   * <ul>
   *   <li>hogs: 2 CPU hogs per CPU, busy for the whole duration
   *   <li>interactive: 4 tasks per CPU, 500 us bursts, 5 ms sleeps (about 40% load)
   *   <li>periodic: 2 tasks per CPU, 10 ms period, up to 2 ms budget (about 30% load)
   *   <li>forkjoin: a parent per 4 CPUs forking one child per CPU, 1 ms each, rounds for the duration
   *   <li>server: one dispatcher, 2 workers per CPU, 200 us requests at 70% load
   *   <li>mix: an oversubscribed machine: a hog per CPU, low-weight background hogs, interactive,
   *       periodic and a server at 30% load
   *   <li>server-hogs: a server process (every thread named {@code server}, a worker per CPU, 200 us
   *       requests loading 0.35 of one CPU whatever the machine: under the half CPU the learner's
   *       classifier allows a latency-critical process) beside 2 CPU hogs per CPU: the offline twin
   *       of the VM's autotune scenario (redis-server beside stress-ng), lab/specs/autotune-twin.yaml
   * </ul>
   */
  public static Workload named(String name, long seed, int nrCpus, long durationNs) {
    if (nrCpus < 1 || durationNs < 1) throw new IllegalArgumentException("need CPUs and a duration");
    Workload.Builder b = Workload.builder(name, seed);
    switch (name) {
      case "hogs" -> b.hogsFor("batch", 2 * nrCpus, durationNs, 100);
      case "interactive" -> b.interactive(4 * nrCpus, 500 * US, 5 * MS, durationNs);
      case "periodic" -> b.periodic(2 * nrCpus, 10 * MS, 2 * MS, durationNs);
      case "forkjoin" -> b.forkJoin(Math.max(1, nrCpus / 4), nrCpus, MS, 100 * US,
          Math.clamp(durationNs / (2 * MS), 1, Integer.MAX_VALUE));
      case "server" -> b.server(1, 2 * nrCpus, interarrival(200 * US, 0.7, nrCpus), 200 * US, durationNs);
      case "mix" -> b.hogsFor("batch", nrCpus, durationNs, 100)
          .hogsFor("background", Math.max(1, nrCpus / 4), durationNs, 25)
          .interactive(2 * nrCpus, 300 * US, 5 * MS, durationNs)
          .periodic(Math.max(1, nrCpus / 2), 10 * MS, MS, durationNs)
          .server(1, nrCpus, interarrival(200 * US, 0.3, nrCpus), 200 * US, durationNs);
      case "server-hogs" -> b.serverProcess("server", nrCpus, interarrival(200 * US, 0.35, 1), 200 * US, durationNs)
          .hogsFor("batch", 2 * nrCpus, durationNs, 100);
      default -> throw new IllegalArgumentException("unknown workload '" + name + "'; choose one of " + String.join(", ", NAMES));
    }
    return b.build();
  }

  /** Mean time between requests so that requests of {@code serviceNs} load {@code load} of the CPUs. */
  static long interarrival(long serviceNs, double load, int nrCpus) {
    return Math.max(1, (long) (serviceNs / (load * nrCpus)));
  }
}
