package javaland.runtime.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcTaskInfoTest {
  @Test
  void readsThisProcess() throws Exception {
    int pid = (int) ProcessHandle.current().pid();
    TaskInfo t = ProcTaskInfo.read(pid).orElseThrow();
    assertEquals(pid, t.tgid());
    assertEquals("java", t.comm());
    assertTrue(t.exe().endsWith("/java"), t.exe());
    assertEquals(Files.readString(Path.of("/proc/self/status")).lines().filter(l -> l.startsWith("Uid:")).findFirst()
        .orElseThrow().split("\\s+")[1], Integer.toString(t.uid()));
    assertTrue(t.startTicks() > 0);
  }

  @Test
  void parsesACommWithSpacesAndParentheses(@TempDir Path proc) throws Exception {
    Path d = Files.createDirectories(proc.resolve("77"));
    // fields 3.. : state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime
    // cutime cstime priority nice(19) num_threads itrealvalue starttime(22)
    Files.writeString(d.resolve("stat"), "77 (a) b (c)) S 1 77 77 0 -1 4194560 1 0 0 0 0 0 0 0 39 19 1 0 123456 0 0\n");
    Files.writeString(d.resolve("status"), "Name:\tx\nTgid:\t70\nUid:\t1001\t1001\t1001\t1001\nGid:\t50\t50\t50\t50\n");
    Files.writeString(d.resolve("cgroup"), "0::/system.slice/backup.service\n");
    TaskInfo t = ProcTaskInfo.read(proc, 77).orElseThrow();
    assertEquals("a) b (c)", t.comm());
    assertEquals(70, t.tgid());
    assertEquals(1001, t.uid());
    assertEquals(50, t.gid());
    assertEquals(19, t.nice());
    assertEquals(123456, t.startTicks());
    assertEquals("/system.slice/backup.service", t.cgroup());
    assertEquals("", t.exe(), "no exe link");
    assertTrue(ProcTaskInfo.read(proc, 78).isEmpty(), "gone");
  }
}
