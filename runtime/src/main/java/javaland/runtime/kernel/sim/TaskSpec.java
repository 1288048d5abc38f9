package javaland.runtime.kernel.sim;

import javaland.runtime.kernel.Exemption;

/**
 * One simulated task.
 *
 * @param comm its command name (the first 15 bytes reach the policy, as in Linux)
 * @param label its class for per-class metrics ("interactive", "batch", ...)
 * @param weight scheduling weight, 1..10000; 100 is nice 0
 * @param startNs when it appears (forks), in virtual ns
 * @param groupBase index of its group's first task: what its program's member numbers count from
 * @param seed seed of its own random generator, so its random draws do not depend on scheduling
 * @param program what it does
 * @param cgroup its cgroup path, for classification rules (default {@code /sim/<label>})
 * @param uid its user id, for classification rules (default 1000)
 * @param exempt whether and how the kernel half dispatches it itself, never asking the policy, as
 *     BPF does the scheduler's own threads and kthreads (for replays of traces that flag them)
 */
public record TaskSpec(String comm, String label, int weight, long startNs, int groupBase, long seed, Program program,
    String cgroup, int uid, Exemption exempt) {
  /** A task the policy schedules, with the default cgroup and uid. */
  public TaskSpec(String comm, String label, int weight, long startNs, int groupBase, long seed, Program program) {
    this(comm, label, weight, startNs, groupBase, seed, program, Exemption.NONE);
  }

  /** A task the policy schedules, with its cgroup and uid. */
  public TaskSpec(String comm, String label, int weight, long startNs, int groupBase, long seed, Program program,
      String cgroup, int uid) {
    this(comm, label, weight, startNs, groupBase, seed, program, cgroup, uid, Exemption.NONE);
  }

  /** A task with the default cgroup and uid, exempt or not. */
  public TaskSpec(String comm, String label, int weight, long startNs, int groupBase, long seed, Program program,
      Exemption exempt) {
    this(comm, label, weight, startNs, groupBase, seed, program, "/sim/" + label, 1000, exempt);
  }
  public TaskSpec {
    if (cgroup == null || !cgroup.startsWith("/")) throw new IllegalArgumentException("cgroup must be a path starting with /");
    if (comm == null || comm.isEmpty()) throw new IllegalArgumentException("comm is required");
    if (label == null || label.isEmpty()) throw new IllegalArgumentException("label is required");
    if (weight < 1 || weight > 10_000) throw new IllegalArgumentException("weight must be 1..10000, got " + weight);
    if (startNs < 0) throw new IllegalArgumentException("startNs must be >= 0");
    if (groupBase < 0) throw new IllegalArgumentException("groupBase must be >= 0");
    if (program == null) throw new IllegalArgumentException("program is required");
    if (exempt == null) throw new IllegalArgumentException("exempt is required (Exemption.NONE: the policy decides)");
  }
}
