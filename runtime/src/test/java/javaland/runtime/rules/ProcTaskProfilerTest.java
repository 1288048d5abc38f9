package javaland.runtime.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Collectors;
import javaland.api.TaskProfile;
import javaland.api.TaskProfiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcTaskProfilerTest {
  @TempDir
  Path proc;

  /** A thread's three files as Linux writes them; flags 0x00200000 marks a kernel thread. */
  private void thread(int tgid, int tid, String comm, long flags, int nice, long runNs, long vol, long invol) throws IOException {
    Path d = Files.createDirectories(proc.resolve(tgid + "/task/" + tid));
    // fields 3.. : state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime cutime cstime priority nice ...
    Files.writeString(d.resolve("stat"), tid + " (" + comm + ") S 1 1 1 0 -1 " + flags + " 0 0 0 0 5 6 0 0 " + (20 + nice) + " " + nice
        + " 1 0 12345 0 0\n");
    Files.writeString(d.resolve("schedstat"), runNs + " 4242 " + (vol + invol) + "\n");
    Files.writeString(d.resolve("status"), "Name:\t" + comm + "\nTgid:\t" + tgid + "\nvoluntary_ctxt_switches:\t" + vol
        + "\nnonvoluntary_ctxt_switches:\t" + invol + "\n");
  }

  private static Map<Integer, TaskProfile> byPid(TaskProfiles p) {
    return p.tasks().stream().collect(Collectors.toMap(TaskProfile::pid, Function.identity()));
  }

  @Test
  void readsEveryUserThreadAndLeavesOutKernelThreadsAndItsOwnProcess() throws IOException {
    thread(100, 100, "redis-server", 0x400040, 0, 5_000_000, 900, 12);
    thread(100, 103, "io thd (1)", 0x400040, 0, 1_000, 3, 0);
    thread(200, 200, "stress-ng-cpu", 0x400040, 10, 2_000_000_000L, 1, 400);
    thread(2, 2, "kthreadd", 0x208040, 0, 9_000, 50, 1); // PF_KTHREAD
    thread(300, 300, "java", 0x400040, 0, 9_000, 50, 1); // the scheduler itself
    Files.createDirectories(proc.resolve("self"));
    Files.writeString(proc.resolve("uptime"), "1.0 1.0\n");
    Files.createDirectories(proc.resolve("400/task/400")); // a thread that ended mid-read: no files
    AtomicLong clock = new AtomicLong(7_000_000_000L);
    ProcTaskProfiler p = new ProcTaskProfiler(proc, 300, 100, clock::get);
    TaskProfiles s = p.snapshot(2);
    assertEquals(7_000_000_000L, s.atNs());
    assertEquals(2, s.cpus());
    assertEquals(0, s.dropped());
    Map<Integer, TaskProfile> t = byPid(s);
    assertEquals(java.util.Set.of(100, 103, 200), t.keySet());
    assertEquals(new TaskProfile(100, 100, "redis-server", 100, 900, 912, 12, 900, 5_000_000), t.get(100));
    assertEquals("io thd (1)", t.get(103).comm());
    assertEquals(100, t.get(103).tgid());
    TaskProfile hog = t.get(200);
    assertEquals(11, hog.weight(), "nice 10: 110 * 100 / 1024, rounded to the closest");
    assertEquals(400, hog.involuntary());
    assertEquals(2_000_000_000L, hog.runNs());
  }

  @Test
  void answersFromTheLastScanWithinTheMinimumIntervalAndCountsWhatDidNotFit() throws IOException {
    thread(100, 100, "a", 0, 0, 1, 1, 0);
    thread(100, 101, "a", 0, 0, 1, 1, 0);
    thread(100, 102, "a", 0, 0, 1, 1, 0);
    AtomicLong clock = new AtomicLong(1_000_000_000L);
    ProcTaskProfiler p = new ProcTaskProfiler(proc, -1, 2, clock::get);
    TaskProfiles first = p.snapshot(4);
    assertEquals(2, first.tasks().size());
    assertEquals(1, first.dropped());
    clock.addAndGet(ProcTaskProfiler.MIN_INTERVAL_NS - 1);
    assertSame(first, p.snapshot(4));
    assertEquals(1, p.scans());
    clock.addAndGet(1);
    TaskProfiles second = p.snapshot(4);
    assertEquals(2, p.scans());
    assertEquals(first.atNs() + ProcTaskProfiler.MIN_INTERVAL_NS, second.atNs());
  }

  @Test
  void weightIsSchedExtsScaleOfTheNiceValue() {
    assertEquals(100, ProcTaskProfiler.weight(0));
    assertEquals(8668, ProcTaskProfiler.weight(-20));
    assertEquals(1, ProcTaskProfiler.weight(19));
    assertEquals(1, ProcTaskProfiler.weight(40), "clamped to nice 19");
  }

  @Test
  void aThreadWithoutSwitchCountersIsLeftOut() throws IOException {
    thread(100, 100, "a", 0, 0, 1, 1, 0);
    Files.writeString(proc.resolve("100/task/100/status"), "Name:\ta\n");
    assertNull(ProcTaskProfiler.read(proc.resolve("100/task/100"), 100));
  }

  /**
   * The host's own kernel (a real /proc, not sched_ext's: the files are the same on every Linux
   * kernel): a thread that sleeps 1 ms at a time shows voluntary switches and little CPU per
   * wakeup, one that spins shows CPU time.
   */
  @Test
  void onThisMachinesRealProcASleeperAndASpinnerLookAsTheyBehave() throws Exception {
    assumeTrue(Files.isReadable(Path.of("/proc/self/task")) && Files.isReadable(Path.of("/proc/self/schedstat")), "no /proc");
    ProcTaskProfiler p = new ProcTaskProfiler(Path.of("/proc"), -1, 1 << 16, System::nanoTime);
    AtomicBoolean stop = new AtomicBoolean();
    Thread sleeper = new Thread(() -> {
      while (!stop.get()) {
        try {
          Thread.sleep(1);
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "jlt-sleeper");
    Thread spinner = new Thread(() -> {
      long x = 0;
      while (!stop.get()) x += System.nanoTime() & 1;
      if (x == 42) System.out.print("");
    }, "jlt-spinner");
    sleeper.start();
    spinner.start();
    try {
      Thread.sleep(100);
      TaskProfiles before = p.snapshot(1);
      Thread.sleep(ProcTaskProfiler.MIN_INTERVAL_NS / 1_000_000 + 400);
      TaskProfiles after = p.snapshot(1);
      TaskProfile s0 = find(before, "jlt-sleeper");
      TaskProfile s1 = find(after, "jlt-sleeper");
      TaskProfile h0 = find(before, "jlt-spinner");
      TaskProfile h1 = find(after, "jlt-spinner");
      long wakeups = s1.wakeups() - s0.wakeups();
      assertTrue(wakeups >= 100, "the sleeper slept about 900 times in 0.9 s; /proc said " + wakeups);
      assertTrue((s1.runNs() - s0.runNs()) / wakeups < 1_000_000, "under 1 ms per wakeup: " + (s1.runNs() - s0.runNs()) / wakeups + " ns");
      assertTrue(h1.runNs() - h0.runNs() >= 100_000_000L, "the spinner ran at least 0.1 s of 0.9: " + (h1.runNs() - h0.runNs()) + " ns");
      assertEquals(ProcessHandle.current().pid(), s1.tgid());
    } finally {
      stop.set(true);
      sleeper.join();
      spinner.join();
    }
  }

  private static TaskProfile find(TaskProfiles p, String comm) {
    TaskProfile t = p.tasks().stream().filter(x -> x.comm().equals(comm)).findFirst().orElse(null);
    assertNotNull(t, comm + " not among " + p.tasks().size() + " threads");
    return t;
  }
}
