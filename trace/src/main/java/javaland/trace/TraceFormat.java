package javaland.trace;

import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The text trace formats the importer reads. */
public enum TraceFormat {
  /** Tell from the first lines. */
  AUTO("auto"),
  /** ftrace's {@code trace} or {@code trace_pipe}, with or without the TGID column and irq flags. */
  FTRACE("ftrace"),
  /** {@code trace-cmd report}, with or without its sched plugin's formatting. */
  TRACE_CMD("trace-cmd"),
  /** {@code perf script} of sched:* tracepoints. */
  PERF_SCRIPT("perf-script"),
  /** {@code perf sched timehist}, with or without -w, -M, -V, --state, -n. */
  PERF_TIMEHIST("perf-timehist");

  private static final Pattern TRACE_CMD_HEAD = Pattern.compile("\\s*(?:cpus=\\d+|version = \\d+|CPU \\d+ is empty|CPU:\\d+ \\[(?:\\d+ )?EVENTS DROPPED\\])\\s*");
  private static final Pattern CPUS = Pattern.compile("\\s*cpus=(\\d+)\\s*|.*#P:(\\d+).*");

  private final String id;

  TraceFormat(String id) {
    this.id = id;
  }

  public String id() {
    return id;
  }

  /** By its id ("ftrace", "trace-cmd", "perf-script", "perf-timehist", "auto") or constant name. */
  public static TraceFormat parse(String s) {
    for (TraceFormat f : values()) {
      if (f.id.equalsIgnoreCase(s) || f.name().equalsIgnoreCase(s.replace('-', '_'))) return f;
    }
    throw new IllegalArgumentException("unknown trace format '" + s + "'; known: ftrace, trace-cmd, perf-script, perf-timehist, auto");
  }

  LineParser newParser() {
    return switch (this) {
      case FTRACE -> new FtraceLineParser(false);
      case TRACE_CMD -> new FtraceLineParser(true);
      case PERF_SCRIPT -> new PerfScriptLineParser();
      case PERF_TIMEHIST -> new TimehistLineParser();
      case AUTO -> throw new IllegalStateException("detect the format first");
    };
  }

  /** The format of these first lines of a file, or null if none of them tells. */
  static TraceFormat detect(List<String> lines) {
    for (String line : lines) {
      if (line.isBlank()) continue;
      if (TRACE_CMD_HEAD.matcher(line).matches()) return TRACE_CMD;
      if (line.startsWith("# tracer:")) return FTRACE;
      if (TimehistLineParser.looksLike(line)) return PERF_TIMEHIST;
      if (PerfScriptLineParser.looksLike(line)) return PERF_SCRIPT;
      if (FtraceLineParser.looksLike(line)) return FTRACE;
    }
    return null;
  }

  /** The CPU count the first lines declare ("#P:8" in ftrace's header, "cpus=8" in trace-cmd's), or 0. */
  static int declaredCpus(List<String> lines) {
    for (String line : lines) {
      Matcher m = CPUS.matcher(line);
      if (!m.matches()) continue;
      String n = m.group(1) != null ? m.group(1) : m.group(2);
      if (n.length() <= 6) return Math.min(Integer.parseInt(n), TraceCodec.MAX_CPUS);
    }
    return 0;
  }

  @Override
  public String toString() {
    return id.toLowerCase(Locale.ROOT);
  }
}
