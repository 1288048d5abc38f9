package javaland.cli;

import static javaland.cli.CliRun.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ./javaland replay: a summary, the JSON last, and bad input named with exit code 2. */
class ReplayCommandTest {
  /** Three tasks on two CPUs: a shell woken by its child, a compiler that exits, a worker preempted once. */
  static final String TRACE = String.join("\n",
      "# tracer: nop",
      "#",
      "# entries-in-buffer/entries-written: 12/12   #P:2",
      "#           TASK-PID     CPU#  |||||  TIMESTAMP  FUNCTION",
      "          <idle>-0       [000] d..2.   100.000100: sched_switch: prev_comm=swapper/0 prev_pid=0 prev_prio=120 prev_state=R ==> next_comm=bash next_pid=200 next_prio=120",
      "            bash-200     [000] ....1   100.000150: sched_process_fork: comm=bash pid=200 child_comm=bash child_pid=201",
      "            bash-200     [000] d..3.   100.000160: sched_wakeup_new: comm=bash pid=201 prio=120 target_cpu=001",
      "          <idle>-0       [001] d..2.   100.000170: sched_switch: prev_comm=swapper/1 prev_pid=0 prev_prio=120 prev_state=R ==> next_comm=bash next_pid=201 next_prio=120",
      "            bash-200     [000] d..2.   100.000200: sched_switch: prev_comm=bash prev_pid=200 prev_prio=120 prev_state=S ==> next_comm=kworker/0:1 next_pid=30 next_prio=120",
      "     kworker/0:1-30      [000] d..2.   100.000900: sched_switch: prev_comm=kworker/0:1 prev_pid=30 prev_prio=120 prev_state=R+ ==> next_comm=swapper/0 next_pid=0 next_prio=120",
      "              cc-201     [001] ....1   100.002170: sched_process_exit: comm=cc pid=201 prio=120 group_dead=1",
      "              cc-201     [001] d..3.   100.002180: sched_waking: comm=bash pid=200 prio=120 target_cpu=000",
      "              cc-201     [001] d..2.   100.002190: sched_switch: prev_comm=cc prev_pid=201 prev_prio=120 prev_state=Z ==> next_comm=swapper/1 next_pid=0 next_prio=120",
      "          <idle>-0       [000] d..2.   100.002200: sched_switch: prev_comm=swapper/0 prev_pid=0 prev_prio=120 prev_state=R ==> next_comm=bash next_pid=200 next_prio=120",
      "          <idle>-0       [001] d..2.   100.002300: sched_switch: prev_comm=swapper/1 prev_pid=0 prev_prio=120 prev_state=R ==> next_comm=kworker/0:1 next_pid=30 next_prio=120",
      "            bash-200     [000] d..2.   100.002700: sched_switch: prev_comm=bash prev_pid=200 prev_prio=120 prev_state=S ==> next_comm=swapper/0 next_pid=0 next_prio=120",
      "");

  @TempDir Path dir;

  private Path trace(String name, String text) throws IOException {
    return Files.writeString(dir.resolve(name), text);
  }

  @Test
  void theLastLineIsOneJsonObjectWithEveryMetric() throws IOException {
    Path t = trace("t.txt", TRACE);
    CliRun r = run("replay", "--trace", t.toString(), "--policy", "deadline", "--set", "slice_max_us=5000", "--json");
    assertEquals(0, r.code(), r.out() + r.err());
    assertTrue(r.out().contains("scheduling delay"), r.out());
    JsonObject j = r.json();
    for (String k : List.of("tasks", "events", "skipped_lines", "lost_events", "delay_us", "makespan_ms", "throughput",
        "fairness", "context_switches", "migrations", "cpu_utilisation", "kernel", "classes", "exit")) {
      assertTrue(j.containsKey(k), "missing " + k + ": " + j);
    }
    for (String k : List.of("p50", "p90", "p99", "max")) assertTrue(j.getJsonObject("delay_us").containsKey(k), k);
    assertEquals(3, j.getInteger("tasks"));
    assertEquals(12, j.getInteger("events"));
    assertEquals(0, j.getInteger("skipped_lines"));
    assertEquals(1, j.getInteger("wakeup_edges"), "cc woke bash");
    assertEquals(2, j.getInteger("cpus"));
    assertEquals(5000.0, j.getJsonObject("parameters").getDouble("slice_max_us"));
  }

  @Test
  void withoutJsonThereIsOnlyTheSummary() throws IOException {
    CliRun r = run("replay", "--trace", trace("t.txt", TRACE).toString(), "--cpus", "1", "--seed", "3", "--policy", "fifo");
    assertEquals(0, r.code(), r.out() + r.err());
    assertTrue(r.out().contains("under fifo") && r.out().contains("on 1 CPUs, seed 3"), r.out());
    assertTrue(!r.out().contains("{\""), r.out());
  }

  @Test
  void aMissingFileIsNamed() {
    Path missing = dir.resolve("nope.txt");
    CliRun r = run("replay", "--trace", missing.toString());
    assertEquals(2, r.code());
    assertTrue(r.err().contains(missing.toString()) && r.err().contains("no such file"), r.err());
  }

  @Test
  void anUnknownPolicyOrParameterIsRefusedBeforeReading() {
    Path missing = dir.resolve("never-read.txt");
    CliRun p = run("replay", "--trace", missing.toString(), "--policy", "nope");
    assertEquals(2, p.code());
    assertTrue(p.err().contains("unknown policy 'nope'") && p.err().contains("deadline"), p.err());
    CliRun k = run("replay", "--trace", missing.toString(), "--set", "kernel.turbo=1");
    assertEquals(2, k.code());
    assertTrue(k.err().contains("kernel.turbo") && k.err().contains("kernel.rescue_ms"), k.err());
    CliRun v = run("replay", "--trace", missing.toString(), "--set", "slice_max_us=fast");
    assertEquals(2, v.code());
    assertTrue(v.err().contains("slice_max_us=fast") && v.err().contains("not a number"), v.err());
    CliRun c = run("replay", "--trace", missing.toString(), "--cpus", "-1");
    assertEquals(2, c.code());
    assertTrue(c.err().contains("--cpus"), c.err());
    CliRun none = run("replay");
    assertEquals(2, none.code());
    assertTrue(none.err().contains("--trace"), none.err());
  }

  @Test
  void aMalformedLineFailsStrictModeWithFileAndLineAndIsCountedOtherwise() throws IOException {
    List<String> lines = new ArrayList<>(List.of(TRACE.split("\n")));
    lines.add(7, "            bash-200     [000] d..2.   100.00021x: sched_switch: prev_comm=bash prev_pid=");
    Path t = trace("bad.txt", String.join("\n", lines) + "\n");
    CliRun strict = run("replay", "--trace", t.toString(), "--strict", "--json");
    assertEquals(2, strict.code(), strict.out() + strict.err());
    assertTrue(strict.err().contains(t + ":8: expected"), strict.err());

    CliRun lenient = run("replay", "--trace", t.toString(), "--json");
    assertEquals(0, lenient.code(), lenient.out() + lenient.err());
    assertEquals(1, lenient.json().getInteger("skipped_lines"));
    assertTrue(lenient.err().contains("skipped 1 malformed lines") && lenient.err().contains(t + ":8:"), lenient.err());
  }

  @Test
  void aCorruptBinaryTraceIsNamedWithItsOffset() throws IOException {
    byte[] bytes = {(byte) 0x89, 'J', 'L', 'T', 'R', '\r', '\n', 0x1a, 0, 9};
    Path t = dir.resolve("t.jlt");
    Files.write(t, bytes);
    CliRun r = run("replay", "--trace", t.toString());
    assertEquals(2, r.code());
    assertTrue(r.err().contains(t + ": at byte 8: unsupported trace format version 9"), r.err());
  }

  @Test
  void longReadsReportProgressOnStderr() throws IOException {
    StringBuilder s = new StringBuilder("# tracer: nop\n");
    for (int i = 0; i < 40_000; i++) {
      int cpu = i % 2;
      int pid = 300 + i % 7;
      String ts = String.format(Locale.ROOT, "%d.%06d", 200 + i / 100_000, (i * 10) % 1_000_000);
      s.append(String.format(Locale.ROOT, "          t-%d   [%03d] d..2.  %s: sched_switch: prev_comm=t prev_pid=%d"
          + " prev_prio=120 prev_state=%s ==> next_comm=t next_pid=%d next_prio=120%n",
          pid, cpu, ts, pid, i % 3 == 0 ? "S" : "R+", 300 + (i + 1) % 7));
    }
    Path t = trace("long.txt", s.toString());
    CliRun r = run("replay", "--trace", t.toString(), "--progress", "1ms", "--json");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.err().contains("javaland: replay: reading " + t), r.err());
    assertEquals(40_000, r.json().getInteger("events"));
  }
}
