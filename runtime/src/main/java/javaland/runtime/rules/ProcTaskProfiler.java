package javaland.runtime.rules;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import javaland.api.TaskProfile;
import javaland.api.TaskProfiles;

/**
 * Per-task counters from /proc, for the real kernel when its event ring is off (no
 * {@code run --record}): the learner's evidence for classes, read only when it asks
 * ({@code GET /tasks}, about once per learner window), on the API's worker thread, never the
 * dispatch thread. The ring would cost the kernel a record per switch; this costs three small
 * file reads per thread per window, and nothing between windows.
 *
 * <p>Per thread ({@code /proc/TGID/task/TID/}): {@code schedstat}'s first field is its CPU time
 * in ns (the kernel's {@code sum_exec_runtime}, which sched_ext keeps too); {@code status}'s
 * {@code voluntary_ctxt_switches} are the bursts that ended because it blocked and
 * {@code nonvoluntary_ctxt_switches} those that ended still runnable (preempted or slice used up).
 * Wakeups are not counted by the kernel without schedstats on, so each voluntary switch stands
 * for one wakeup (a task that blocked is woken before it runs again). {@code stat} gives the comm,
 * the flags (kernel threads, PF_KTHREAD, are left out: no rule applies to them) and the nice
 * value, mapped to the weight sched_ext reports (100 for nice 0). The counters are the thread's
 * since it started: the learner subtracts two answers, so only a window's difference counts. The
 * scheduler's own process ({@code ownTgid}) is left out, as the event ring's exemption does.
 *
 * <p>Two calls within {@link #MIN_INTERVAL_NS} get the same answer, so no client can make it scan
 * faster than that; at most {@code capacity} threads are read, the rest counted in
 * {@code dropped}.
 */
public final class ProcTaskProfiler {
  /** The shortest time between two scans (a learner window is 1 s or more). */
  public static final long MIN_INTERVAL_NS = 500_000_000L;
  private static final int PF_KTHREAD = 0x00200000;
  // The kernel's sched_prio_to_weight (nice -20..19), as sched_ext scales it: w * 100 / 1024, rounded.
  private static final int[] PRIO_TO_WEIGHT = {
      88761, 71755, 56483, 46273, 36291, 29154, 23254, 18705, 14949, 11916,
      9548, 7620, 6100, 4904, 3906, 3121, 2501, 1991, 1586, 1277,
      1024, 820, 655, 526, 423, 335, 272, 215, 172, 137,
      110, 87, 70, 56, 45, 36, 29, 23, 18, 15};

  private final Path proc;
  private final int ownTgid;
  private final int capacity;
  private final LongSupplier clockNs;
  private TaskProfiles last;
  private long lastAtNs;
  private long scans;

  /**
   * @param proc the proc file system, {@code /proc}
   * @param ownTgid the scheduler's own process, left out
   * @param capacity at most this many threads per answer
   * @param clockNs CLOCK_MONOTONIC in ns ({@code System::nanoTime} on Linux), the clock of the answers
   */
  public ProcTaskProfiler(Path proc, int ownTgid, int capacity, LongSupplier clockNs) {
    if (capacity < 1) throw new IllegalArgumentException("proc profiler capacity must be >= 1, got " + capacity);
    this.proc = proc;
    this.ownTgid = ownTgid;
    this.capacity = capacity;
    this.clockNs = clockNs;
  }

  /** /proc, leaving out this process, up to 8192 threads. */
  public static ProcTaskProfiler ofThisProcess() {
    return new ProcTaskProfiler(Path.of("/proc"), (int) ProcessHandle.current().pid(), 8192, System::nanoTime);
  }

  /** How many times /proc was scanned (the cost: one scan per answer not served from the last). */
  public synchronized long scans() {
    return scans;
  }

  /** Every user thread's counters now (or the last answer, if it is younger than {@link #MIN_INTERVAL_NS}). */
  public synchronized TaskProfiles snapshot(int cpus) {
    long now = clockNs.getAsLong();
    if (last != null && now - lastAtNs < MIN_INTERVAL_NS && last.cpus() == cpus) return last;
    List<TaskProfile> out = new ArrayList<>();
    long dropped = 0;
    try (DirectoryStream<Path> procs = Files.newDirectoryStream(proc, ProcTaskProfiler::numeric)) {
      for (Path p : procs) {
        int tgid = Integer.parseInt(p.getFileName().toString());
        if (tgid == ownTgid) continue;
        try (DirectoryStream<Path> threads = Files.newDirectoryStream(p.resolve("task"), ProcTaskProfiler::numeric)) {
          for (Path t : threads) {
            if (out.size() >= capacity) {
              dropped++;
              continue;
            }
            TaskProfile tp = read(t, tgid);
            if (tp != null) out.add(tp);
          }
        } catch (IOException | RuntimeException e) {
          // the process ended while we listed it
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot list " + proc + ": " + e.getMessage(), e);
    }
    out.sort((a, b) -> Integer.compare(a.pid(), b.pid()));
    scans++;
    last = new TaskProfiles(now, cpus, dropped, out);
    lastAtNs = now;
    return last;
  }

  private static boolean numeric(Path p) {
    String n = p.getFileName().toString();
    if (n.isEmpty() || n.length() > 10) return false;
    for (int i = 0; i < n.length(); i++) if (n.charAt(i) < '0' || n.charAt(i) > '9') return false;
    return true;
  }

  /** One thread, or null when it is a kernel thread or gone (or its files do not parse). */
  static TaskProfile read(Path dir, int tgid) {
    try {
      int tid = Integer.parseInt(dir.getFileName().toString());
      String stat = Files.readString(dir.resolve("stat"), StandardCharsets.US_ASCII);
      // "tid (comm) state ppid ...": the comm may hold spaces and parentheses; field k is f[k - 3]
      int open = stat.indexOf('(');
      int close = stat.lastIndexOf(')');
      if (open < 0 || close < open) return null;
      String comm = stat.substring(open + 1, close);
      String[] f = stat.substring(close + 2).split(" ");
      long flags = Long.parseLong(f[6]); // field 9
      if ((flags & PF_KTHREAD) != 0) return null;
      int nice = Integer.parseInt(f[16]); // field 19
      String sched = Files.readString(dir.resolve("schedstat"), StandardCharsets.US_ASCII).strip();
      int sp = sched.indexOf(' ');
      long runNs = Long.parseLong(sp < 0 ? sched : sched.substring(0, sp));
      long voluntary = -1;
      long involuntary = -1;
      for (String line : Files.readAllLines(dir.resolve("status"), StandardCharsets.US_ASCII)) {
        if (line.startsWith("voluntary_ctxt_switches:")) voluntary = Long.parseLong(line.substring(24).strip());
        else if (line.startsWith("nonvoluntary_ctxt_switches:")) involuntary = Long.parseLong(line.substring(27).strip());
      }
      if (voluntary < 0 || involuntary < 0) return null;
      return new TaskProfile(tid, tgid, comm, weight(nice), voluntary, voluntary + involuntary, involuntary, voluntary, runNs);
    } catch (IOException | RuntimeException e) {
      return null; // gone (or exiting) while we read
    }
  }

  /** sched_ext's weight of a nice value: 100 for nice 0, 8668 for -20, 1 for 19. */
  static int weight(int nice) {
    int i = Math.max(-20, Math.min(19, nice)) + 20;
    return (int) Math.max(1, Math.min(10000, Math.round(PRIO_TO_WEIGHT[i] * 100.0 / 1024)));
  }
}
