package javaland.runtime.kernel;

/**
 * A task as the classification rules see it (javaland.runtime.rules).
 *
 * @param pid the thread id
 * @param tgid the process id
 * @param comm the command name (at most 15 bytes, as in Linux)
 * @param exe the executable's path, or "" when unknown (a kernel thread, no permission)
 * @param cgroup the cgroup v2 path ("/system.slice/nginx.service"), or "" when unknown
 * @param uid real user id
 * @param gid real group id
 * @param nice -20..19
 * @param startTicks when the task started (clock ticks since boot on Linux): tells a reused pid
 *     from the task that had it before
 */
public record TaskInfo(int pid, int tgid, String comm, String exe, String cgroup, int uid, int gid, int nice,
    long startTicks) {
  public TaskInfo {
    if (comm == null || exe == null || cgroup == null) throw new IllegalArgumentException("comm, exe and cgroup must not be null");
  }
}
