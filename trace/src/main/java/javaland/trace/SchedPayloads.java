package javaland.trace;

import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javaland.trace.TraceRecord.Exit;
import javaland.trace.TraceRecord.Fork;
import javaland.trace.TraceRecord.Migrate;
import javaland.trace.TraceRecord.Switch;
import javaland.trace.TraceRecord.Wakeup;

/**
 * The sched tracepoints' text, shared by the ftrace, trace-cmd and perf script importers: the
 * kernel's print formats ({@code prev_comm=... ==> next_comm=...}) and libtraceevent's sched
 * plugin formats ({@code comm:pid [prio] S ==> comm:pid [prio]}), which trace-cmd and perf use
 * when the plugin is loaded. Comms may hold spaces, dashes and colons, so fields are found by
 * the keys after them, not by splitting on spaces. Also the number parsers of all importers.
 */
final class SchedPayloads {
  static final int MAX_CPU = 65535;

  private static final Pattern SWITCH_KV = Pattern.compile(
      "prev_comm=(.*) prev_pid=(\\d+) prev_prio=(-?\\d+) prev_state=(\\S+) ==> next_comm=(.*) next_pid=(\\d+) next_prio=(-?\\d+)\\s*");
  private static final Pattern SWITCH_PLUGIN = Pattern.compile(
      "(.*):(\\d+) \\[(-?\\d+)\\] (\\S+) ==> (.*):(\\d+) \\[(-?\\d+)\\]\\s*");
  private static final Pattern WAKE_KV = Pattern.compile(
      "comm=(.*) pid=(\\d+) prio=(-?\\d+)(?: success=\\d+)?(?: target_cpu=(\\d+))?\\s*");
  private static final Pattern WAKE_PLUGIN = Pattern.compile(
      "(.*):(\\d+) \\[(-?\\d+)\\](?: success=\\d+)?(?: CPU:(\\d+))?\\s*");
  private static final Pattern FORK = Pattern.compile(
      "comm=(.*) pid=(\\d+) child_comm=(.*) child_pid=(\\d+)\\s*");
  // Newer kernels append fields (group_dead=...): allowed after prio.
  private static final Pattern EXIT = Pattern.compile("comm=(.*) pid=(\\d+) prio=(-?\\d+)(?: .*)?");
  private static final Pattern MIGRATE = Pattern.compile(
      "comm=(.*) pid=(\\d+) prio=(-?\\d+) orig_cpu=(\\d+) dest_cpu=(\\d+)\\s*");

  static final String EXPECT_SWITCH = "sched_switch fields 'prev_comm=C prev_pid=N prev_prio=N prev_state=S ==> "
      + "next_comm=C next_pid=N next_prio=N' or 'C:N [N] S ==> C:N [N]'";
  static final String EXPECT_WAKEUP = "wakeup fields 'comm=C pid=N prio=N target_cpu=N' or 'C:N [N] CPU:N'";
  static final String EXPECT_FORK = "sched_process_fork fields 'comm=C pid=N child_comm=C child_pid=N'";
  static final String EXPECT_EXIT = "sched_process_exit fields 'comm=C pid=N prio=N'";
  static final String EXPECT_MIGRATE = "sched_migrate_task fields 'comm=C pid=N prio=N orig_cpu=N dest_cpu=N'";

  private SchedPayloads() {}

  /** A sched event's fields, checked; {@link #emit} reports it. */
  record Payload(EventType type, String comm, int pid, String comm2, int pid2, TaskState state, int cpuA, int cpuB) {
    void emit(ParseContext ctx, long timeNs, int cpu) throws IOException {
      switch (type) {
        case SWITCH -> {
          ctx.task(pid, -1, comm);
          ctx.task(pid2, -1, comm2);
          ctx.event(new Switch(timeNs, cpu, pid, state, pid2));
        }
        case WAKING, WAKEUP, WAKEUP_NEW -> {
          ctx.task(pid, -1, comm);
          ctx.event(new Wakeup(type, timeNs, cpu, pid, cpuA));
        }
        case FORK -> {
          ctx.task(pid, -1, comm);
          ctx.task(pid2, -1, comm2);
          ctx.event(new Fork(timeNs, cpu, pid, pid2));
        }
        case EXIT -> {
          ctx.task(pid, -1, comm);
          ctx.event(new Exit(timeNs, cpu, pid));
        }
        case MIGRATE -> {
          ctx.task(pid, -1, comm);
          ctx.event(new Migrate(timeNs, cpu, pid, cpuA, cpuB));
        }
        default -> throw new IllegalStateException(type.name());
      }
    }
  }

  /**
   * The payload of event {@code name} ("sched_switch", or perf's "sched:sched_switch"), or null if
   * it is not one of the events imported; throws if it is one and its fields do not parse.
   */
  static Payload parse(String name, String fields) throws MalformedLineException {
    String ev = name.startsWith("sched:") ? name.substring(6) : name;
    String body = fields.stripLeading(); // trace-cmd pads the event name to a column
    return switch (ev) {
      case "sched_switch" -> sw(body);
      case "sched_wakeup" -> wake(EventType.WAKEUP, body);
      case "sched_waking" -> wake(EventType.WAKING, body);
      case "sched_wakeup_new" -> wake(EventType.WAKEUP_NEW, body);
      case "sched_process_fork" -> {
        Matcher m = match(FORK, body, EXPECT_FORK);
        yield new Payload(EventType.FORK, m.group(1), pid(m.group(2), EXPECT_FORK), m.group(3), pid(m.group(4), EXPECT_FORK),
            null, -1, -1);
      }
      case "sched_process_exit" -> {
        Matcher m = match(EXIT, body, EXPECT_EXIT);
        yield new Payload(EventType.EXIT, m.group(1), pid(m.group(2), EXPECT_EXIT), null, -1, null, -1, -1);
      }
      case "sched_migrate_task" -> {
        Matcher m = match(MIGRATE, body, EXPECT_MIGRATE);
        yield new Payload(EventType.MIGRATE, m.group(1), pid(m.group(2), EXPECT_MIGRATE), null, -1, null,
            cpu(m.group(4), EXPECT_MIGRATE), cpu(m.group(5), EXPECT_MIGRATE));
      }
      default -> null;
    };
  }

  private static Payload sw(String body) throws MalformedLineException {
    Matcher m = SWITCH_KV.matcher(body);
    if (!m.matches()) m = match(SWITCH_PLUGIN, body, EXPECT_SWITCH);
    TaskState st = TaskState.parse(m.group(4));
    if (st == null) throw new MalformedLineException(EXPECT_SWITCH + " with a prev_state like R, R+, S, D, I (not '" + m.group(4) + "')");
    return new Payload(EventType.SWITCH, m.group(1), pid(m.group(2), EXPECT_SWITCH), m.group(5), pid(m.group(6), EXPECT_SWITCH),
        st, -1, -1);
  }

  private static Payload wake(EventType type, String body) throws MalformedLineException {
    Matcher m = WAKE_KV.matcher(body);
    if (!m.matches()) m = match(WAKE_PLUGIN, body, EXPECT_WAKEUP);
    int target = m.group(4) == null ? -1 : cpu(m.group(4), EXPECT_WAKEUP);
    return new Payload(type, m.group(1), pid(m.group(2), EXPECT_WAKEUP), null, -1, null, target, -1);
  }

  private static Matcher match(Pattern p, String s, String expected) throws MalformedLineException {
    Matcher m = p.matcher(s);
    if (!m.matches()) throw new MalformedLineException(expected);
    return m;
  }

  // ---------------------------------------------------------------- numbers

  /** A pid (digits, as the patterns match them) that fits an int. */
  static int pid(String digits, String expected) throws MalformedLineException {
    if (digits.length() > 10) throw new MalformedLineException(expected + " with a pid that fits 31 bits");
    long v = Long.parseLong(digits);
    if (v > Integer.MAX_VALUE) throw new MalformedLineException(expected + " with a pid that fits 31 bits");
    return (int) v;
  }

  /** A CPU number, 0..65535 (bounded: importers keep per-CPU state). */
  static int cpu(String digits, String expected) throws MalformedLineException {
    if (digits.length() > 5 || Integer.parseInt(digits) > MAX_CPU) {
      throw new MalformedLineException(expected + " with a CPU number of at most " + MAX_CPU);
    }
    return Integer.parseInt(digits);
  }

  /** "SECONDS.FRACTION" (up to 9 fraction digits) or a bare integer of ns (raw counter clocks) to ns; -1 if invalid. */
  static long secondsToNs(String s) {
    int dot = s.indexOf('.');
    String whole = dot < 0 ? s : s.substring(0, dot);
    if (whole.isEmpty() || whole.length() > 18) return -1;
    long w = Long.parseLong(whole);
    if (dot < 0) return w;
    String frac = s.substring(dot + 1);
    if (frac.isEmpty() || frac.length() > 9 || w > 9_000_000_000L) return -1;
    long f = Long.parseLong(frac);
    for (int i = frac.length(); i < 9; i++) f *= 10;
    return w * 1_000_000_000L + f;
  }

  /** "MSEC.FRACTION" (perf sched timehist's msec.usec) to ns; -1 if invalid. */
  static long millisToNs(String s) {
    int dot = s.indexOf('.');
    if (dot <= 0 || dot > 12) return -1;
    String frac = s.substring(dot + 1);
    if (frac.isEmpty() || frac.length() > 6) return -1;
    long f = Long.parseLong(frac);
    for (int i = frac.length(); i < 6; i++) f *= 10;
    return Long.parseLong(s.substring(0, dot)) * 1_000_000L + f;
  }
}
