package javaland.trace;

import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javaland.trace.TraceRecord.Lost;

/**
 * {@code perf script} output of sched:* tracepoints (perf record -e 'sched:*', perf sched record):
 *
 * <pre>
 *             perf  1234 [000] 12345.678901:       sched:sched_switch: prev_comm=perf prev_pid=1234 ...
 *      Web Content  5678/5690  [003] 12345.678950: 1 sched:sched_wakeup: comm=Web Content pid=5690 ...
 * </pre>
 *
 * <p>The comm is right-aligned in 16 columns and may hold spaces; then the tid (or pid/tid with
 * {@code -F pid,tid}), [CPU], the time (6 or 9 decimals), an optional period, the event name
 * right-aligned to the longest, and the fields. Lost records ({@code --show-lost-events}:
 * {@code PERF_RECORD_LOST lost N}) are counted; perf's closing "lost N chunks" warning is
 * counted as a marker when no lost record came before it. Other events, PERF_RECORD_* lines,
 * callchain lines and blank lines are well-formed and unused.
 */
final class PerfScriptLineParser implements LineParser {
  private static final Pattern EVENT = Pattern.compile(
      "\\s*(.*?)\\s+(?:(\\d+)/)?(-?\\d+)\\s+\\[(-?\\d+)\\]\\s+(\\d+\\.\\d+):\\s+(?:(\\d+)\\s+)?([\\w:.\\-]+):\\s?(.*)");
  private static final Pattern LOST_RECORD = Pattern.compile(".*\\bPERF_RECORD_LOST(?:_SAMPLES)?:?\\s+lost\\s+(\\d+)\\b.*");
  private static final Pattern CPU = Pattern.compile("\\[(\\d+)\\]");
  private static final Pattern TIME = Pattern.compile("\\s(\\d+\\.\\d+):\\s");
  private static final Pattern LOST_CHUNKS = Pattern.compile("\\s*Processed \\d+ events and lost \\d+ chunks!\\s*");
  private static final Pattern OTHER_RECORD = Pattern.compile(".*\\bPERF_RECORD_[A-Z_]+\\b.*");
  private static final Pattern CALLCHAIN = Pattern.compile("\\s+[0-9a-fA-F]+\\s+\\S.*");
  private static final Pattern WARNING = Pattern.compile("\\s*(?:Warning:|Check IO/CPU overload!|Samples do not have callchains\\.).*");
  static final String EXPECT_LINE = "a sample line 'COMM TID [CPU] SECONDS: EVENT: FIELDS' (perf script)";

  private boolean sawLostRecords;

  static boolean looksLike(String line) {
    Matcher m = EVENT.matcher(line);
    return m.matches() && m.group(7).contains(":");
  }

  @Override
  public void parse(String line, ParseContext ctx) throws MalformedLineException, IOException {
    if (line.isBlank() || line.startsWith("#")) return;
    Matcher lost = LOST_RECORD.matcher(line);
    if (lost.matches()) {
      if (lost.group(1).length() > 18) throw new MalformedLineException("a lost count that fits 63 bits");
      long n = Long.parseLong(lost.group(1));
      Matcher c = CPU.matcher(line);
      int cpu = c.find() ? SchedPayloads.cpu(c.group(1), "a CPU number") : -1;
      Matcher t = TIME.matcher(line);
      long ts = t.find() ? SchedPayloads.secondsToNs(t.group(1)) : -1;
      sawLostRecords = true;
      ctx.event(new Lost(ts >= 0 ? ts : ctx.lastTimeNs(), cpu, n));
      return;
    }
    if (LOST_CHUNKS.matcher(line).matches()) {
      if (!sawLostRecords) ctx.event(new Lost(ctx.lastTimeNs(), -1, 0)); // how many events, perf does not say
      else ctx.ignored();
      return;
    }
    if (WARNING.matcher(line).matches() || OTHER_RECORD.matcher(line).matches() || CALLCHAIN.matcher(line).matches()) {
      ctx.ignored();
      return;
    }
    Matcher e = EVENT.matcher(line);
    if (!e.matches()) throw new MalformedLineException(EXPECT_LINE);
    String comm = e.group(1);
    int tgid = e.group(2) == null ? -1 : SchedPayloads.pid(e.group(2), EXPECT_LINE);
    String tidText = e.group(3);
    int cpu = e.group(4).startsWith("-") ? -1 : SchedPayloads.cpu(e.group(4), EXPECT_LINE);
    long ts = SchedPayloads.secondsToNs(e.group(5));
    if (ts < 0) throw new MalformedLineException(EXPECT_LINE + " with a time of seconds and up to 9 decimals");
    SchedPayloads.Payload p = SchedPayloads.parse(e.group(7), e.group(8));
    if (!tidText.startsWith("-")) {
      int tid = SchedPayloads.pid(tidText, EXPECT_LINE);
      if (tid != 0) ctx.task(tid, tgid, comm);
    }
    if (p == null) {
      ctx.ignored();
      return;
    }
    p.emit(ctx, ts, cpu);
  }
}
