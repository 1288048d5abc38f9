package javaland.trace;

import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javaland.trace.TraceRecord.Lost;

/**
 * ftrace's {@code trace} and {@code trace_pipe} output, and {@code trace-cmd report}'s (which
 * prints events the same way, around a header of its own):
 *
 * <pre>
 *           &lt;idle&gt;-0       [001] d..2.  2162.386484: sched_switch: prev_comm=swapper/1 ...
 *             bash-1234    (   1234) [002] d.h2  2162.386501: sched_wakeup: comm=Web Content pid=77 ...
 * kworker/u8:2-events-345  [000]  2162.386511: sched_switch:         kworker/u8:2:345 [120] S ==> ...
 * CPU:1 [LOST 123 EVENTS]
 * </pre>
 *
 * <p>TASK-PID is the comm (right-aligned, 16 wide, may hold spaces and dashes) and the pid after
 * the last dash before the CPU; the TGID column ({@code options/record-tgid}) and the 4- or
 * 5-character irq flags ({@code options/irq-info}) are optional. The timestamp is seconds with
 * 6 or 9 decimals, or a raw counter. Lost-event markers are ftrace's {@code CPU:N [LOST M EVENTS]}
 * and trace-cmd's {@code CPU:N [M EVENTS DROPPED]}.
 */
final class FtraceLineParser implements LineParser {
  private static final Pattern EVENT = Pattern.compile(
      "\\s*(.*?)-(\\d+)\\s+(?:\\(\\s*(\\d+|-+)\\s*\\)\\s+)?\\[(\\d+)\\]\\s+(?:([^\\s:]{4,5})\\s+)?(\\d+(?:\\.\\d+)?):\\s+([^:\\s]+):\\s?(.*)");
  private static final Pattern LOST = Pattern.compile("\\s*CPU:(\\d+) \\[LOST (\\d+) EVENTS\\]\\s*");
  private static final Pattern DROPPED = Pattern.compile("\\s*CPU:(\\d+) \\[(?:(\\d+) )?EVENTS DROPPED\\]\\s*");
  private static final Pattern CPUS = Pattern.compile("\\s*cpus=(\\d+)\\s*");
  private static final Pattern P_CPUS = Pattern.compile("#.*#P:(\\d+).*");
  private static final Pattern OTHER_HEADER = Pattern.compile(
      "\\s*(?:version = \\d+|CPU \\d+ is empty|##### CPU \\d+ buffer started ####)\\s*");
  static final String EXPECT_LINE = "an event line 'TASK-PID [CPU] TIMESTAMP: EVENT: FIELDS'"
      + " (optionally '(TGID)' before [CPU] and irq flags such as 'd..2.' after it)";
  private static final String EXPECT_LOST = "a lost-event count that fits 63 bits";

  private final boolean traceCmd;

  FtraceLineParser(boolean traceCmd) {
    this.traceCmd = traceCmd;
  }

  static boolean looksLike(String line) {
    Matcher m = EVENT.matcher(line);
    return m.matches() && !m.group(7).contains(":");
  }

  @Override
  public void parse(String line, ParseContext ctx) throws MalformedLineException, IOException {
    if (line.isBlank()) return;
    if (line.startsWith("#")) {
      Matcher p = P_CPUS.matcher(line);
      if (p.matches() && p.group(1).length() <= 5) ctx.declareCpus(Integer.parseInt(p.group(1)));
      return;
    }
    Matcher m = LOST.matcher(line);
    if (!m.matches()) m = DROPPED.matcher(line);
    if (m.matches()) {
      int cpu = SchedPayloads.cpu(m.group(1), "a lost-event marker 'CPU:N [LOST M EVENTS]'");
      long n = 0;
      if (m.group(2) != null) {
        if (m.group(2).length() > 18) throw new MalformedLineException(EXPECT_LOST);
        n = Long.parseLong(m.group(2));
      }
      ctx.event(new Lost(ctx.lastTimeNs(), cpu, n)); // printed just before the next event of that CPU
      return;
    }
    Matcher c = CPUS.matcher(line);
    if (c.matches()) {
      if (c.group(1).length() <= 5) ctx.declareCpus(Integer.parseInt(c.group(1)));
      return;
    }
    if (OTHER_HEADER.matcher(line).matches()) return;

    Matcher e = EVENT.matcher(line);
    if (!e.matches()) throw new MalformedLineException(EXPECT_LINE);
    String comm = e.group(1);
    int pid = SchedPayloads.pid(e.group(2), EXPECT_LINE);
    String tg = e.group(3);
    int tgid = tg == null || tg.startsWith("-") ? -1 : SchedPayloads.pid(tg, EXPECT_LINE);
    int cpu = SchedPayloads.cpu(e.group(4), EXPECT_LINE);
    long ts = SchedPayloads.secondsToNs(e.group(6));
    if (ts < 0) throw new MalformedLineException(EXPECT_LINE + " with a timestamp of seconds and up to 9 decimals");
    SchedPayloads.Payload p = SchedPayloads.parse(e.group(7), e.group(8));
    if (pid != 0) ctx.task(pid, tgid, comm); // the task running on that CPU
    if (p == null) {
      ctx.ignored();
      return;
    }
    p.emit(ctx, ts, cpu);
  }

  @Override
  public String toString() {
    return traceCmd ? "trace-cmd report" : "ftrace";
  }
}
