package javaland.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import javaland.trace.Samples.Imported;
import javaland.trace.TraceRecord.Lost;
import javaland.trace.TraceRecord.Migrate;
import javaland.trace.TraceRecord.Switch;
import javaland.trace.TraceRecord.TaskInfo;
import javaland.trace.TraceRecord.Wakeup;
import org.junit.jupiter.api.Test;

/** perf script (sched:* events) and perf sched timehist. */
class PerfImportTest {
  @Test
  void perfScript() throws IOException {
    Imported im = Samples.file("perf-script.txt", ImportOptions.strictly());
    assertEquals(TraceFormat.PERF_SCRIPT, im.result().format());
    FtraceImportTest.assertScenario(im, false);
    assertEquals(3, im.result().ignoredLines(), "irq:irq_handler_entry, sched_stat_runtime, sched_process_exec");
    assertEquals(5_173_318_900_000L, im.of(Lost.class).get(0).timeNs(), "the lost record's own time");
  }

  @Test
  void perfScriptWithPidTidNanosecondsAndTheSchedPlugin() throws IOException {
    Imported im = Samples.file("perf-script-pidtid.txt", ImportOptions.strictly());
    assertEquals(TraceFormat.PERF_SCRIPT, im.result().format());
    FtraceImportTest.assertScenario(im, true);
    Map<Integer, TaskInfo> tasks = im.tasks();
    assertEquals(4230, tasks.get(4242).tgid(), "pid/tid: the pid is the thread group");
    assertEquals(4230, tasks.get(4250).tgid());
    assertEquals(3, im.of(Lost.class).get(0).cpu(), "the lost record's CPU");
  }

  @Test
  void perfScriptLostChunksWarningCountsOnlyWithoutLostRecords() throws IOException {
    String sw = "            perf    5020 [000]  5173.318123:       sched:sched_switch: prev_comm=perf prev_pid=5020 "
        + "prev_prio=120 prev_state=S ==> next_comm=swapper/0 next_pid=0 next_prio=120\n";
    String warn = "Warning:\nProcessed 4913 events and lost 3 chunks!\n\nCheck IO/CPU overload!\n";
    ImportResult r = Samples.text(sw + warn, ImportOptions.strictly()).result();
    assertEquals(1, r.lostMarkers());
    assertEquals(0, r.lostEvents(), "perf does not say how many events the chunks held");
    assertEquals(r.lines(), r.parsedLines());
    ImportResult both = Samples.text(sw + "            perf    5020 [001]  5173.318200: PERF_RECORD_LOST lost 40\n" + warn,
        ImportOptions.strictly()).result();
    assertEquals(1, both.lostMarkers());
    assertEquals(40, both.lostEvents());
  }

  @Test
  void timehistRebuildsTheSwitchesOfTheScenario() throws IOException {
    Imported th = Samples.file("perf-sched-timehist.txt", ImportOptions.strictly());
    ImportResult r = th.result();
    assertEquals(TraceFormat.PERF_TIMEHIST, r.format());
    assertEquals(0, r.skippedLines());
    assertEquals(49, r.lines());
    assertEquals(7, r.tasks());
    assertEquals(12, r.lostEvents());
    assertEquals(0, r.outOfOrder());
    assertEquals(4, r.nrCpus());
    assertEquals(List.of(new Migrate(5_173_319_404_000L, 3, 5001, 3, 0)), th.of(Migrate.class));

    // The same switches as the ftrace of the same run, less the states timehist does not print.
    Imported ft = Samples.file("ftrace-trace.txt", ImportOptions.strictly());
    assertEquals(strip(ft.of(Switch.class)), strip(th.of(Switch.class)));
    assertEquals("Web Content", th.tasks().get(4250).comm());
    assertEquals(4230, th.tasks().get(4250).tgid(), "[tid/pid]");
    // Wakeups from -w lines, at the waker's time and CPU.
    assertTrue(th.of(Wakeup.class).contains(new Wakeup(EventType.WAKEUP, 5_173_320_110_000L, 0, 2801, -1)));
  }

  private static List<String> strip(List<Switch> sw) {
    return sw.stream().map(s -> s.timeNs() + "/" + s.cpu() + "/" + s.prevPid() + "->" + s.nextPid()).toList();
  }

  @Test
  void timehistWithoutWakeupLinesRebuildsWakeupsFromWaitAndDelay() throws IOException {
    String text = String.join("\n",
        "           time    cpu  task name                       wait time  sch delay   run time",
        "                        [tid/pid]                          (msec)     (msec)     (msec)",
        "--------------- ------  ------------------------------  ---------  ---------  ---------",
        "     100.000000 [0000]  a[10]                               0.000      0.000      0.000",
        "     100.001000 [0000]  b[11]                               2.000      0.100      1.000",   // slept, woke at 99.9999
        "     100.002000 [0000]  a[10]                               1.000      1.000      1.000",   // preempted: no wakeup
        "");
    Imported im = Samples.text(text, ImportOptions.strictly());
    assertEquals(List.of(new Wakeup(EventType.WAKEUP, 99_999_900_000L, -1, 11, 0)), im.of(Wakeup.class));
    assertEquals(List.of(
        new Switch(100_000_000_000L, 0, 10, TaskState.UNKNOWN, 11),
        new Switch(100_001_000_000L, 0, 11, TaskState.UNKNOWN, 10),
        new Switch(100_002_000_000L, 0, 10, TaskState.UNKNOWN, 0)), im.of(Switch.class));
    assertEquals(0, im.result().outOfOrder(), "the wakeup, earlier than the line before, was held back");
  }

  @Test
  void timehistOptionalColumns() throws IOException {
    // -V (CPU map), --show-prio, --state and -n (next) together.
    String text = String.join("\n",
        "           time    cpu  0123  task name                       prio      wait time  sch delay   run time  state  ",
        "     200.000000 [0001]   s    x[20]                           120           0.000      0.000      0.000      S   next: y[21/20]",
        "     200.000500 [0001]   s    y[21/20]                        120->110      0.000      0.000      0.500      R   next: <idle>",
        "     200.000600 [0002]        x[20]                                                          awakened: y[21/20]",
        "     200.000700 [0002]    m   x[20]                                                          migrated: y[21/20] cpu 1 => 2",
        "     200.000900 [0001]   i    <idle>                          120           0.000      0.000      0.400      I ",
        "");
    Imported im = Samples.text(text, ImportOptions.strictly());
    assertEquals(0, im.result().skippedLines(), () -> im.result().errors().toString());
    assertEquals(List.of(
        new Switch(200_000_000_000L, 1, 20, TaskState.SLEEPING, 21),
        new Switch(200_000_500_000L, 1, 21, TaskState.RUNNING, 0)), im.of(Switch.class));
    assertEquals(20, im.tasks().get(21).tgid());
    assertEquals(1, im.of(Migrate.class).size());
  }

  @Test
  void timehistStrictErrors() {
    TraceParseException e = assertThrows(TraceParseException.class, () -> Samples.text(
        "     100.000000 [0000]  a[10]      0.000      0.000      0.000\n     100.1 [0000]  a[10]  zero  0.0  0.0\n",
        ImportOptions.strictly().withFormat(TraceFormat.PERF_TIMEHIST)));
    assertEquals(2, e.line());
    assertTrue(e.expected().startsWith("a timehist line 'TIME [CPU] TASK[TID] WAIT DELAY RUN'"), e.expected());
  }

  @Test
  void everySampleIsDetected() throws IOException {
    Map<String, TraceFormat> expected = Map.of("ftrace-trace.txt", TraceFormat.FTRACE, "ftrace-trace-tgid.txt", TraceFormat.FTRACE,
        "ftrace-trace-pipe.txt", TraceFormat.FTRACE, "trace-cmd-report.txt", TraceFormat.TRACE_CMD,
        "perf-script.txt", TraceFormat.PERF_SCRIPT, "perf-script-pidtid.txt", TraceFormat.PERF_SCRIPT,
        "perf-sched-timehist.txt", TraceFormat.PERF_TIMEHIST);
    for (String f : Samples.FILES) {
      assertEquals(expected.get(f), Samples.file(f, ImportOptions.lenient()).result().format(), f);
    }
  }
}
