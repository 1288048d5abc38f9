package javaland.api;

import java.util.List;

/**
 * {@code GET /tasks} (schema TaskProfiles): every task's {@link TaskProfile} at the kernel's time
 * {@code atNs}, on a machine of {@code cpus} CPUs; {@code dropped} counts tasks the runtime's
 * table had no room for (their figures are missing, never mixed into another task's).
 */
public record TaskProfiles(long atNs, int cpus, long dropped, List<TaskProfile> tasks) {
  public TaskProfiles {
    tasks = tasks == null ? List.of() : List.copyOf(tasks);
  }
}
