package javaland.trace;

import java.io.IOException;
import java.util.Arrays;
import java.util.HashSet;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javaland.trace.TraceRecord.Lost;
import javaland.trace.TraceRecord.Migrate;
import javaland.trace.TraceRecord.Switch;
import javaland.trace.TraceRecord.TraceEvent;
import javaland.trace.TraceRecord.Wakeup;

/**
 * {@code perf sched timehist} output. Each sample line is a task's switch-out at TIME on CPU,
 * summarising its last cycle: it waited WAIT ms off the CPU (of which the last DELAY ms runnable
 * after its wakeup) and then ran RUN ms:
 *
 * <pre>
 *            time    cpu  task name                       wait time  sch delay   run time
 *   79371.874569 [0011]  gcc[31949]                          0.014      0.000      1.148
 *   79371.874591 [0010]  perf[31948]                                              awakened: gcc[31951]
 *   79371.874603 [0010]  migration/10[59]                                         migrated: gcc[31951] cpu 11 => 10
 *   79371.874604 [0011]  &lt;idle&gt;                              1.148      0.000      0.035
 *   79371.874800 lost 12 events on cpu 3
 * </pre>
 *
 * <p>Events are rebuilt from that: a switch into the task at TIME - RUN (from whatever the CPU's
 * previous line switched out), a wakeup at TIME - RUN - DELAY when it had slept (WAIT larger than
 * DELAY) and no -w wakeup line was seen for it, and the final switch of each CPU at the end.
 * Those times lie before the line's, so events wait in a reorder buffer until no later line can
 * precede them (bounded: 64Ki events; beyond that they go out early and count as out of order).
 * The previous task's switch-out state is only known with --state (else UNKNOWN). Optional
 * columns: -V's CPU map, --show-prio's prio, --state, -n's next task, callchains.
 */
final class TimehistLineParser implements LineParser {
  private static final String TASK = "(<idle>|\\S.*?\\[\\d+(?:/\\d+)?\\])";
  private static final Pattern SAMPLE = Pattern.compile("\\s*(\\d+\\.\\d+)\\s+\\[(\\d+)\\]\\s+(?:[is]\\s+)?" + TASK
      + "(?:\\s+(\\d+(?:->\\d+)?))?\\s+(\\d+\\.\\d+)\\s+(\\d+\\.\\d+)\\s+(\\d+\\.\\d+)(?:\\s+([A-Za-z]))?"
      + "(?:\\s+next:\\s+" + TASK + ")?(?:\\s.*)?");
  private static final Pattern WAKEUP = Pattern.compile("\\s*(\\d+\\.\\d+)\\s+\\[(\\d+)\\]\\s+" + TASK + "\\s+awakened:\\s+" + TASK + "\\s*");
  private static final Pattern MIGRATED = Pattern.compile("\\s*(\\d+\\.\\d+)\\s+\\[(\\d+)\\]\\s+(?:m\\s+)?" + TASK
      + "\\s+migrated:\\s+" + TASK + "\\s+cpu\\s+(\\d+)\\s+=>\\s+(\\d+)\\s*");
  private static final Pattern LOST = Pattern.compile("\\s*(\\d+\\.\\d+)\\s+lost\\s+(\\d+)\\s+events\\s+on\\s+cpu\\s+(-?\\d+)\\s*");
  private static final Pattern TASK_NAME = Pattern.compile("(.*)\\[(\\d+)(?:/(\\d+))?\\]");
  private static final Pattern HEADER = Pattern.compile(
      "\\s*(?:time\\s+cpu\\s.*|\\[tid/pid\\].*|[-\\s]+|Samples .*callchains\\.?|Note: .*)");
  private static final Pattern SUMMARY_START = Pattern.compile(
      "\\s*(?:Runtime summary|Wait-time summary|Idle-time summary|Idle stats:|Total number of unique tasks:).*");
  static final String EXPECT_LINE = "a timehist line 'TIME [CPU] TASK[TID] WAIT DELAY RUN' (or 'awakened:', 'migrated:', 'lost N events')";
  private static final int MAX_BUFFERED = 1 << 16;
  private static final long MAX_LAG_NS = 10_000_000_000L;

  private record Held(long time, long order, TraceEvent event) {}

  private final PriorityQueue<Held> held = new PriorityQueue<>((a, b) ->
      a.time != b.time ? Long.compare(a.time, b.time) : Long.compare(a.order, b.order));
  private long order;
  private long lagNs = 100_000_000L; // grows to the longest run + delay seen
  // Per CPU: the task its last line switched out (-1: none yet), when, in which state; and
  // whether the switch to the next task was already written (from -n's next column).
  private int[] lastPid = new int[0];
  private long[] lastAt = new long[0];
  private TaskState[] lastState = new TaskState[0];
  private int[] switchedTo = new int[0];
  // Tasks a -w line woke since they last ran: their wakeup is not rebuilt.
  private final Set<Integer> woken = new HashSet<>();
  private boolean inSummary;

  static boolean looksLike(String line) {
    return line.matches("\\s*time\\s+cpu\\s+.*task name.*") || SAMPLE.matcher(line).matches()
        || WAKEUP.matcher(line).matches();
  }

  @Override
  public void parse(String line, ParseContext ctx) throws MalformedLineException, IOException {
    if (inSummary || line.isBlank()) return;
    if (SUMMARY_START.matcher(line).matches()) {
      inSummary = true; // the rest is -s/-S tables: not events
      return;
    }
    if (HEADER.matcher(line).matches()) return;
    Matcher m;
    if ((m = LOST.matcher(line)).matches()) {
      long ts = time(m.group(1));
      if (m.group(2).length() > 18) throw new MalformedLineException("a lost count that fits 63 bits");
      int cpu = m.group(3).startsWith("-") ? -1 : SchedPayloads.cpu(m.group(3), EXPECT_LINE);
      hold(ctx, ts, new Lost(ts, cpu, Long.parseLong(m.group(2))));
    } else if ((m = WAKEUP.matcher(line)).matches()) {
      long ts = time(m.group(1));
      int cpu = SchedPayloads.cpu(m.group(2), EXPECT_LINE);
      Task waker = task(m.group(3));
      Task wakee = task(m.group(4));
      waker.define(ctx);
      wakee.define(ctx);
      woken.add(wakee.pid);
      hold(ctx, ts, new Wakeup(EventType.WAKEUP, ts, cpu, wakee.pid, -1));
    } else if ((m = MIGRATED.matcher(line)).matches()) {
      long ts = time(m.group(1));
      int cpu = SchedPayloads.cpu(m.group(2), EXPECT_LINE);
      Task who = task(m.group(3));
      Task moved = task(m.group(4));
      int from = SchedPayloads.cpu(m.group(5), EXPECT_LINE);
      int to = SchedPayloads.cpu(m.group(6), EXPECT_LINE);
      who.define(ctx);
      moved.define(ctx);
      hold(ctx, ts, new Migrate(ts, cpu, moved.pid, from, to));
    } else if ((m = SAMPLE.matcher(line)).matches()) {
      sample(m, ctx);
    } else {
      throw new MalformedLineException(EXPECT_LINE);
    }
  }

  private void sample(Matcher m, ParseContext ctx) throws MalformedLineException, IOException {
    long t = time(m.group(1));
    int cpu = SchedPayloads.cpu(m.group(2), EXPECT_LINE);
    Task x = task(m.group(3));
    long wait = millis(m.group(5));
    long delay = millis(m.group(6));
    long run = millis(m.group(7));
    TaskState state = m.group(8) == null ? TaskState.UNKNOWN : TaskState.parse(m.group(8));
    if (state == null) throw new MalformedLineException(EXPECT_LINE + " with a state letter such as R, S, D, I");
    Task next = m.group(9) == null ? null : task(m.group(9));
    if (run > t || delay > t - run) throw new MalformedLineException(EXPECT_LINE + " whose run time and delay end after time 0");
    grow(cpu);
    x.define(ctx);
    if (next != null) next.define(ctx);
    long in = t - run;
    if (x.pid != 0 && !woken.remove(x.pid) && wait > delay) {
      hold(ctx, t, new Wakeup(EventType.WAKEUP, in - delay, -1, x.pid, cpu)); // it slept, then woke
    }
    // A CPU's first line has no switch before it (perf prints run time 0): the task was already
    // running when tracing began, and gets no switch-in, as in a trace of the kernel itself.
    if (lastPid[cpu] >= 0 && switchedTo[cpu] != x.pid && lastPid[cpu] != x.pid) {
      hold(ctx, t, new Switch(in, cpu, lastPid[cpu], lastState[cpu], x.pid));
    }
    lastPid[cpu] = x.pid;
    lastAt[cpu] = t;
    lastState[cpu] = x.pid == 0 ? TaskState.RUNNING : state;
    switchedTo[cpu] = -1;
    if (next != null && next.pid != x.pid) {
      hold(ctx, t, new Switch(t, cpu, x.pid, lastState[cpu], next.pid));
      switchedTo[cpu] = next.pid;
    }
    lagNs = Math.min(MAX_LAG_NS, Math.max(lagNs, run + delay));
  }

  /** Buffers {@code e}; releases what no line from {@code lineTime} on can precede. */
  private void hold(ParseContext ctx, long lineTime, TraceEvent e) throws IOException {
    held.add(new Held(e.timeNs(), order++, e));
    long safe = lineTime - lagNs;
    while (!held.isEmpty() && (held.peek().time < safe || held.size() > MAX_BUFFERED)) ctx.event(held.poll().event);
  }

  @Override
  public void finish(ParseContext ctx) throws IOException {
    for (int c = 0; c < lastPid.length; c++) {
      // The CPU's last task leaves at the end of its last line, to whatever ran next (unknown: idle).
      if (lastPid[c] > 0 && switchedTo[c] < 0) held.add(new Held(lastAt[c], order++, new Switch(lastAt[c], c, lastPid[c], lastState[c], 0)));
    }
    while (!held.isEmpty()) ctx.event(held.poll().event);
  }

  private void grow(int cpu) {
    if (cpu < lastPid.length) return;
    int n = Math.max(cpu + 1, lastPid.length * 2);
    int old = lastPid.length;
    lastPid = Arrays.copyOf(lastPid, n);
    lastAt = Arrays.copyOf(lastAt, n);
    lastState = Arrays.copyOf(lastState, n);
    switchedTo = Arrays.copyOf(switchedTo, n);
    Arrays.fill(lastPid, old, n, -1);
    Arrays.fill(switchedTo, old, n, -1);
  }

  private static long time(String s) throws MalformedLineException {
    long ns = SchedPayloads.secondsToNs(s);
    if (ns < 0) throw new MalformedLineException(EXPECT_LINE + " with a time of seconds and up to 9 decimals");
    return ns;
  }

  private static long millis(String s) throws MalformedLineException {
    long ns = SchedPayloads.millisToNs(s);
    if (ns < 0) throw new MalformedLineException(EXPECT_LINE + " with times in msec.usec");
    return ns;
  }

  /** "comm[tid]", "comm[tid/pid]" or "&lt;idle&gt;". */
  private record Task(int pid, int tgid, String comm) {
    void define(ParseContext ctx) throws IOException {
      ctx.task(pid, tgid, comm);
    }
  }

  private static Task task(String s) throws MalformedLineException {
    if (s.equals("<idle>")) return new Task(0, 0, "<idle>");
    Matcher m = TASK_NAME.matcher(s);
    if (!m.matches()) throw new MalformedLineException(EXPECT_LINE + " with tasks named 'comm[tid]' or 'comm[tid/pid]'");
    int tid = SchedPayloads.pid(m.group(2), EXPECT_LINE);
    int pid = m.group(3) == null ? tid : SchedPayloads.pid(m.group(3), EXPECT_LINE);
    return new Task(tid, pid, m.group(1));
  }
}
