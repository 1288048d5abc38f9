package javaland.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javaland.trace.Samples.Imported;
import javaland.trace.TraceRecord.Exit;
import javaland.trace.TraceRecord.Fork;
import javaland.trace.TraceRecord.Lost;
import javaland.trace.TraceRecord.Migrate;
import javaland.trace.TraceRecord.Switch;
import javaland.trace.TraceRecord.TaskInfo;
import javaland.trace.TraceRecord.Wakeup;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** ftrace (trace, trace_pipe, with and without TGID, 4- and 5-character flags) and trace-cmd report. */
class FtraceImportTest {
  @TempDir Path dir;

  /** The scenario all samples hold (see the files): what every importer but timehist must find. */
  static void assertScenario(Imported im, boolean pluginStates) {
    ImportResult r = im.result();
    assertEquals(0, r.skippedLines(), () -> r.errors().toString());
    assertEquals(r.lines(), r.parsedLines());
    assertEquals(27, r.events());
    assertEquals(15, r.count(EventType.SWITCH));
    assertEquals(4, r.count(EventType.WAKING));
    assertEquals(4, r.count(EventType.WAKEUP));
    assertEquals(1, r.count(EventType.WAKEUP_NEW));
    assertEquals(1, r.count(EventType.FORK));
    assertEquals(1, r.count(EventType.EXIT));
    assertEquals(1, r.count(EventType.MIGRATE));
    assertEquals(1, r.lostMarkers());
    assertEquals(17, r.lostEvents());
    assertEquals(7, r.tasks());
    assertEquals(4, r.nrCpus());
    assertEquals(5_173_318_123_000L, r.firstNs());
    assertEquals(2_877_000L, r.spanNs());
    assertEquals(0, r.outOfOrder());

    Map<Integer, TaskInfo> tasks = im.tasks();
    assertEquals("kworker/u8:2-events", tasks.get(345).comm());
    assertEquals("Web Content", tasks.get(4242).comm());
    assertEquals("kworker/1:2-xfs", tasks.get(4649).comm());
    assertEquals("gcc", tasks.get(5001).comm(), "renamed by exec: the line prefix carries the new comm");
    assertEquals("<idle>", tasks.get(0).comm());

    List<Switch> sw = im.of(Switch.class);
    assertEquals(new Switch(5_173_318_123_000L, 1, 0, TaskState.RUNNING, 4242), sw.get(0));
    Switch preempt = sw.stream().filter(s -> s.prevPid() == 4242 && s.nextPid() == 4649).findFirst().orElseThrow();
    assertEquals(pluginStates ? TaskState.RUNNING : TaskState.PREEMPTED, preempt.prevState(),
        "ftrace prints R+; trace-cmd's plugin drops the +");
    assertEquals(TaskState.IDLE, sw.stream().filter(s -> s.prevPid() == 345).findFirst().orElseThrow().prevState());
    assertEquals(TaskState.ZOMBIE, sw.stream().filter(s -> s.prevPid() == 5001 && s.nextPid() == 2801).findFirst().orElseThrow().prevState());
    assertEquals(TaskState.DISK, sw.stream().filter(s -> s.prevPid() == 4242 && s.nextPid() == 0).findFirst().orElseThrow().prevState());

    Wakeup first = im.of(Wakeup.class).get(0);
    assertEquals(new Wakeup(EventType.WAKING, 5_173_318_140_000L, 1, 345, 2), first);
    assertEquals(List.of(new Fork(5_173_318_170_000L, 0, 2801, 5001)), im.of(Fork.class));
    assertEquals(List.of(new Migrate(5_173_319_404_000L, 3, 5001, 3, 0)), im.of(Migrate.class));
    assertEquals(List.of(new Exit(5_173_320_100_000L, 0, 5001)), im.of(Exit.class));
    Lost lost = im.of(Lost.class).get(0);
    assertEquals(3, lost.cpu());
    assertEquals(17, lost.count());

    // Every event's tasks are defined before it.
    java.util.Set<Integer> defined = new java.util.HashSet<>();
    for (TraceRecord rec : im.records()) {
      if (rec instanceof TaskInfo t) defined.add(t.pid());
      if (rec instanceof Switch s) assertTrue(defined.contains(s.prevPid()) && defined.contains(s.nextPid()), s.toString());
      if (rec instanceof Wakeup w) assertTrue(defined.contains(w.pid()), w.toString());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"ftrace-trace.txt", "ftrace-trace-tgid.txt", "ftrace-trace-pipe.txt"})
  void ftraceSamplesInStrictMode(String file) throws IOException {
    Imported im = Samples.file(file, ImportOptions.strictly());
    assertEquals(TraceFormat.FTRACE, im.result().format());
    assertScenario(im, false);
    assertEquals(3, im.result().ignoredLines(), "irq_handler_entry, sched_stat_runtime, sched_process_exec");
  }

  @Test
  void theTgidColumnGivesThreadGroups() throws IOException {
    Map<Integer, TaskInfo> tasks = Samples.file("ftrace-trace-tgid.txt", ImportOptions.strictly()).tasks();
    assertEquals(4230, tasks.get(4242).tgid());
    assertEquals(4230, tasks.get(4250).tgid());
    assertEquals(2801, tasks.get(2801).tgid());
    Map<Integer, TaskInfo> without = Samples.file("ftrace-trace.txt", ImportOptions.strictly()).tasks();
    assertEquals(-1, without.get(4242).tgid());
  }

  @Test
  void traceCmdReport() throws IOException {
    Imported im = Samples.file("trace-cmd-report.txt", ImportOptions.strictly());
    assertEquals(TraceFormat.TRACE_CMD, im.result().format());
    assertScenario(im, true);
  }

  @Test
  void linesWithoutIrqFlagsOddCommsAndCrLf() throws IOException {
    String text = String.join("\r\n",
        "           <...>-77      [000]  100.000001: sched_wakeup: comm=foo-12 bar pid=77 prio=120 target_cpu=001",
        "    foo-12 bar-77      [001]  100.000002123: sched_switch: prev_comm=swapper/1 prev_pid=0 prev_prio=120 prev_state=R ==> next_comm=foo-12 bar next_pid=77 next_prio=120",
        " Web Content-1234  [001] d.h2  100.000003: sched_wakeup_new: comm=Web Content pid=1235 prio=120 target_cpu=000",
        "CPU:2 [EVENTS DROPPED]",
        "");
    Imported im = Samples.text(text, ImportOptions.strictly().withFormat(TraceFormat.FTRACE));
    assertEquals(4, im.result().lines());
    assertEquals("foo-12 bar", im.tasks().get(77).comm());
    assertEquals("Web Content", im.tasks().get(1234).comm());
    assertEquals(100_000_002_123L, im.of(Switch.class).get(0).timeNs(), "nanosecond timestamps");
    assertEquals(1, im.result().lostMarkers());
    assertEquals(0, im.result().lostEvents(), "trace-cmd did not say how many");
  }

  @Test
  void strictModeNamesFileLineAndWhatWasExpected() {
    String text = "# tracer: nop\n"
        + "  bash-1  [000] d..2.  1.000000: sched_switch: prev_comm=bash prev_pid=1 prev_prio=120 prev_state=S ==> next_comm=x next_pid=2 next_prio=120\n"
        + "  bash-1  [000] d..2.  1.000001: sched_switch: prev_comm=bash prev_pid=1 prev_state=S\n";
    TraceParseException e = assertThrows(TraceParseException.class, () -> Samples.text(text, ImportOptions.strictly()));
    assertEquals(3, e.line());
    assertEquals("inline.txt", e.source());
    assertTrue(e.getMessage().startsWith("inline.txt:3: expected sched_switch fields 'prev_comm=C prev_pid=N"), e.getMessage());
    assertTrue(e.getMessage().endsWith("got '  bash-1  [000] d..2.  1.000001: sched_switch: prev_comm=bash prev_pid=1 prev_state=S'"), e.getMessage());
  }

  @Test
  void lenientModeSkipsAndCounts() throws IOException {
    String text = "# tracer: nop\n"
        + "  bash-1  [000] d..2.  1.000000: sched_switch: prev_comm=bash prev_pid=1 prev_prio=120 prev_state=S ==> next_comm=x next_pid=2 next_prio=120\n"
        + "garbage\n"
        + "  bash-1  [000] d..2.  1.000001: sched_wakeup: comm=x pid=notanumber prio=120 target_cpu=000\n"
        + "  bash-1  [000] d..2.  1.000002: sched_switch: prev_comm=bash prev_pid=1 prev_prio=120 prev_state=Q ==> next_comm=x next_pid=2 next_prio=120\n"
        + "  bash-1  [99999] d..2.  1.000003: sched_waking: comm=x pid=2 prio=120 target_cpu=000\n"
        + "x".repeat(10_000) + "\n";
    Imported im = Samples.text(text, ImportOptions.lenient());
    ImportResult r = im.result();
    assertEquals(7, r.lines());
    assertEquals(5, r.skippedLines());
    assertEquals(2, r.parsedLines());
    assertEquals(1, r.events());
    assertEquals(5, r.errors().size());
    assertTrue(r.errors().get(0).startsWith("inline.txt:3: expected an event line"), r.errors().get(0));
    assertTrue(r.errors().get(2).contains("prev_state like R"), r.errors().get(2));
    assertTrue(r.errors().get(3).contains("CPU number of at most 65535"), r.errors().get(3));
    assertTrue(r.errors().get(4).startsWith("inline.txt:7: expected a line of at most 8192 characters"), r.errors().get(4));
  }

  @Test
  void unrecognisableInputIsRefusedInStrictModeAndSkippedOtherwise() throws IOException {
    TraceParseException e = assertThrows(TraceParseException.class,
        () -> Samples.text("\nhello world\n", ImportOptions.strictly()));
    assertEquals(2, e.line());
    assertTrue(e.getMessage().contains("a line of ftrace, trace-cmd report, perf script or perf sched timehist output"));
    ImportResult r = Samples.text("\nhello world\n", ImportOptions.lenient()).result();
    assertEquals(2, r.lines());
    assertEquals(1, r.skippedLines());
    assertEquals(0, Samples.text("", ImportOptions.strictly()).result().lines());
  }

  @Test
  void convertWritesABinaryTraceWithTheSameStream() throws IOException {
    Path out = dir.resolve("ftrace.jlt");
    ImportResult r = TraceImporter.convert(Samples.path("ftrace-trace-tgid.txt"), out, ImportOptions.lenient());
    Imported direct = Samples.file("ftrace-trace-tgid.txt", ImportOptions.lenient());
    try (TraceReader reader = TraceReader.open(out)) {
      assertEquals("ftrace", reader.header().clock());
      assertEquals(4, reader.header().nrCpus(), "from '#P:4'");
      assertEquals("ftrace-trace-tgid.txt", reader.header().metadata().get("source"));
      assertEquals(direct.records(), TraceWriterReaderTest.readAll(reader));
      TraceSummary s = reader.summary();
      assertEquals(r.events(), s.events());
      assertEquals(r.tasks(), s.tasks());
      assertEquals(r.lostEvents(), s.lostEvents());
      assertEquals("0", s.metadata().get("import.skipped_lines"));
      assertEquals("43", s.metadata().get("import.lines"));
    }
  }

  @Test
  void aFailedConvertLeavesNoTrace() throws IOException {
    Path in = dir.resolve("bad.txt");
    java.nio.file.Files.writeString(in, "# tracer: nop\n  a-1 [000] 1.0: sched_switch: nonsense\n");
    Path out = dir.resolve("bad.jlt");
    assertThrows(TraceParseException.class, () -> TraceImporter.convert(in, out, ImportOptions.strictly()));
    assertTrue(java.nio.file.Files.notExists(out));
  }
}
