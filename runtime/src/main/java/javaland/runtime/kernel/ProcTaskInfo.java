package javaland.runtime.kernel;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** A Linux task's attributes from /proc/&lt;pid&gt;/{stat,status,exe,cgroup}, for the rules. */
public final class ProcTaskInfo {
  private ProcTaskInfo() {}

  /** Empty when the task is gone; exe and cgroup are "" when unreadable (kernel threads, permissions). */
  public static Optional<TaskInfo> read(Path proc, int pid) {
    Path dir = proc.resolve(Integer.toString(pid));
    try {
      String stat = Files.readString(dir.resolve("stat"), StandardCharsets.UTF_8);
      // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so split after the last ')'.
      int open = stat.indexOf('(');
      int close = stat.lastIndexOf(')');
      if (open < 0 || close < open) return Optional.empty();
      String comm = stat.substring(open + 1, close);
      String[] f = stat.substring(close + 2).split(" ");
      // f[0] is field 3 (state): field k is f[k - 3]. nice is field 19, starttime field 22.
      int nice = Integer.parseInt(f[16]);
      long start = Long.parseLong(f[19]);
      int tgid = pid;
      int uid = -1;
      int gid = -1;
      for (String line : Files.readAllLines(dir.resolve("status"), StandardCharsets.UTF_8)) {
        if (line.startsWith("Tgid:")) tgid = Integer.parseInt(line.substring(5).strip());
        else if (line.startsWith("Uid:")) uid = Integer.parseUnsignedInt(line.substring(4).strip().split("\\s+")[0]);
        else if (line.startsWith("Gid:")) gid = Integer.parseUnsignedInt(line.substring(4).strip().split("\\s+")[0]);
      }
      String exe = "";
      try {
        exe = Files.readSymbolicLink(dir.resolve("exe")).toString();
      } catch (IOException | UnsupportedOperationException e) {
        // kernel threads have no exe; other users' tasks need privileges
      }
      String cgroup = "";
      try {
        for (String line : Files.readAllLines(dir.resolve("cgroup"), StandardCharsets.UTF_8)) {
          if (line.startsWith("0::")) cgroup = line.substring(3);
        }
      } catch (IOException e) {
        // no cgroup v2 hierarchy
      }
      return Optional.of(new TaskInfo(pid, tgid, comm, exe, cgroup, uid, gid, nice, start));
    } catch (IOException | RuntimeException e) {
      return Optional.empty(); // gone (or exiting) while we read
    }
  }

  public static Optional<TaskInfo> read(int pid) {
    return read(Path.of("/proc"), pid);
  }
}
