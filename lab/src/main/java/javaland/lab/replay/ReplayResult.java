package javaland.lab.replay;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import javaland.runtime.kernel.ExitInfo;
import javaland.runtime.kernel.KernelStats;
import javaland.runtime.kernel.sim.SimMetrics;

/**
 * What one replay measured. {@link #toJson()} is one compact JSON object with snake_case keys,
 * the same bytes for the same trace, policy, parameters, CPUs and seed (nothing in it depends on
 * the wall clock or the thread).
 *
 * @param trace the trace's file name
 * @param format "javaland" (binary) or the text format read
 * @param policy the policy's name
 * @param parameters the parameters as given (sorted by name; defaults are not listed)
 * @param cpus simulated CPUs
 * @param seed the workload's seed
 * @param tasks tasks replayed
 * @param events scheduling events in the trace
 * @param skippedLines malformed lines skipped while importing
 * @param lostEvents events the tracer reported dropping
 * @param wakeupEdges wakeups replayed as dependencies between tasks (post/waitFor)
 * @param traceSpanMs the trace's first to last event
 * @param traceDelay scheduling delay as the trace itself shows it, all tasks (TraceWorkload#traceDelay)
 * @param delay scheduling delay (runnable to running), all tasks
 * @param classes per task class, in order of first appearance
 * @param makespanMs simulated time from start to the last task's exit
 * @param throughput CPU work done per makespan, in CPUs' worth
 * @param fairness Jain's index of CPU share among tasks of the same class (SimMetrics#fairness)
 * @param contextSwitches times a task was put on a CPU
 * @param migrations times a task ran on another CPU than the time before
 * @param cpuUtilisation busy CPU time over cpus x makespan
 * @param kernel the simulated kernel half's counters
 * @param exit why the simulation ended (done: every task exited; a stall or deadlock is an error)
 * @param simEvents discrete events the simulator processed
 * @param metrics everything the simulator measured, for anything not above
 */
public record ReplayResult(String trace, String format, String policy, Map<String, Double> parameters, int cpus,
    long seed, int tasks, long events, long skippedLines, long lostEvents, long wakeupEdges, double traceSpanMs,
    Delay traceDelay, Delay delay, Map<String, ClassResult> classes, double makespanMs, double throughput, double fairness,
    long contextSwitches, long migrations, double cpuUtilisation, KernelStats kernel, ExitInfo exit, long simEvents,
    SimMetrics metrics) {

  /** A delay distribution in microseconds (HdrHistogram, 3 significant digits). */
  public record Delay(long count, double p50, double p90, double p99, double max, double mean) {
    static Delay of(SimMetrics.Latency l) {
      return new Delay(l.count(), l.p50Ns() / 1e3, l.p90Ns() / 1e3, l.p99Ns() / 1e3, l.maxNs() / 1e3, round3(l.meanNs() / 1e3));
    }

    /** From a histogram of ns. */
    static Delay of(org.HdrHistogram.Histogram h) {
      if (h.getTotalCount() == 0) return new Delay(0, 0, 0, 0, 0, 0);
      return new Delay(h.getTotalCount(), h.getValueAtPercentile(50) / 1e3, h.getValueAtPercentile(90) / 1e3,
          h.getValueAtPercentile(99) / 1e3, h.getMaxValue() / 1e3, round3(h.getMean() / 1e3));
    }
  }

  /** One task class. */
  public record ClassResult(int tasks, double cpuMs, double fairness, Delay delay) {}

  public ReplayResult {
    parameters = Collections.unmodifiableMap(new TreeMap<>(parameters));
    classes = Collections.unmodifiableMap(new LinkedHashMap<>(classes));
  }

  static ReplayResult of(TraceWorkload trace, String policy, Map<String, Double> parameters, long seed, SimMetrics m) {
    Map<String, ClassResult> classes = new LinkedHashMap<>();
    m.classes().forEach((name, c) -> classes.put(name,
        new ClassResult(c.tasks(), c.cpuNs() / 1e6, c.fairness(), Delay.of(c.schedDelay()))));
    TraceWorkload.TraceInfo i = trace.info();
    return new ReplayResult(trace.name(), i.format(), policy, parameters, m.nrCpus(), seed, m.tasks(), i.events(),
        i.skippedLines(), i.lostEvents(), trace.wakeupEdges(), i.spanNs() / 1e6, trace.traceDelay(), Delay.of(m.schedDelay()), classes,
        m.makespanNs() / 1e6, m.throughput(), m.fairness(), m.contextSwitches(), m.migrations(), m.utilisation(),
        m.kernel(), m.exit(), m.events(), m);
  }

  /** The simulation ended in a stall or a deadlock rather than with every task done. */
  public boolean failed() {
    return exit == null || exit.isError();
  }

  /** One compact JSON object; keys in a fixed order. */
  public String toJson() {
    StringBuilder j = new StringBuilder(1024).append('{');
    str(j, "trace", trace);
    str(j, "format", format);
    str(j, "policy", policy);
    j.append("\"parameters\":{");
    boolean first = true;
    for (Map.Entry<String, Double> e : parameters.entrySet()) {
      if (!first) j.append(',');
      first = false;
      quote(j, e.getKey()).append(':').append(num(e.getValue()));
    }
    j.append("},");
    num(j, "cpus", cpus);
    num(j, "seed", seed);
    num(j, "tasks", tasks);
    num(j, "events", events);
    num(j, "skipped_lines", skippedLines);
    num(j, "lost_events", lostEvents);
    num(j, "wakeup_edges", wakeupEdges);
    num(j, "trace_span_ms", traceSpanMs);
    j.append("\"trace_delay_us\":");
    delay(j, traceDelay).append(',');
    j.append("\"delay_us\":");
    delay(j, delay).append(',');
    j.append("\"classes\":{");
    first = true;
    for (Map.Entry<String, ClassResult> e : classes.entrySet()) {
      if (!first) j.append(',');
      first = false;
      ClassResult c = e.getValue();
      quote(j, e.getKey()).append(":{");
      num(j, "tasks", c.tasks());
      num(j, "cpu_ms", c.cpuMs());
      num(j, "fairness", c.fairness());
      j.append("\"delay_us\":");
      delay(j, c.delay()).append('}');
    }
    j.append("},");
    num(j, "makespan_ms", makespanMs);
    num(j, "throughput", throughput);
    num(j, "fairness", fairness);
    num(j, "context_switches", contextSwitches);
    num(j, "migrations", migrations);
    num(j, "cpu_utilisation", cpuUtilisation);
    KernelStats k = kernel;
    j.append("\"kernel\":{");
    num(j, "queued", k.queued());
    num(j, "user_dispatches", k.userDispatches());
    num(j, "kernel_dispatches", k.kernelDispatches());
    num(j, "idle_dispatches", k.idleDispatches());
    num(j, "exempt_dispatches", k.exemptDispatches());
    num(j, "fallbacks", k.fallbacks());
    num(j, "ring_full", k.ringFull());
    num(j, "congested", k.congested());
    num(j, "cancelled", k.cancelled());
    num(j, "bounced", k.bounced());
    num(j, "heartbeats", k.heartbeats());
    // Only when a policy pushed wakeup rules down (Decision.wakeup): the line of a policy that
    // pushes nothing stays as it was.
    if (k.ruleDispatches() + k.ruleLapsed() + k.ruleRequeues() + k.preempted() > 0) {
      num(j, "rule_dispatches", k.ruleDispatches());
      num(j, "rule_lapsed", k.ruleLapsed());
      num(j, "rule_requeues", k.ruleRequeues());
      num(j, "preempted", k.preempted());
    }
    j.append("\"roundtrip_us\":{");
    num(j, "count", k.roundTrips());
    num(j, "p50", k.roundTripP50Ns() / 1e3);
    num(j, "p99", k.roundTripP99Ns() / 1e3);
    j.append("\"max\":").append(num(k.roundTripMaxNs() / 1e3)).append("}},");
    j.append("\"exit\":{");
    num(j, "kind", exit == null ? 0 : exit.kind());
    str(j, "name", exit == null ? "none" : exit.kindName());
    str(j, "reason", exit == null ? "" : exit.reason());
    j.append("\"message\":");
    quote(j, exit == null ? "" : exit.message()).append("},");
    j.append("\"sim_events\":").append(simEvents);
    return j.append('}').toString();
  }

  /** A few lines for people. */
  public String format() {
    StringBuilder s = new StringBuilder();
    s.append(String.format(Locale.ROOT, "replay of %s (%s) under %s%s on %d CPUs, seed %d: %d tasks, %d wakeup edges%n",
        trace, format, policy, parameters.isEmpty() ? "" : " " + parameters, cpus, seed, tasks, wakeupEdges));
    s.append(String.format(Locale.ROOT, "  trace: %d events over %.3f ms, %d skipped lines, %d lost events%n",
        events, traceSpanMs, skippedLines, lostEvents));
    s.append(String.format(Locale.ROOT,
        "  makespan %.3f ms, throughput %.3f CPUs, utilisation %.1f%%, fairness %.4f, context switches %d, migrations %d%n",
        makespanMs, throughput, cpuUtilisation * 100, fairness, contextSwitches, migrations));
    s.append("  scheduling delay ").append(text(delay)).append('\n');
    s.append("    in the trace ").append(text(traceDelay)).append('\n');
    classes.forEach((name, c) -> s.append(String.format(Locale.ROOT, "    %-12s %4d tasks, cpu %.3f ms, fairness %.4f, delay %s%n",
        name, c.tasks(), c.cpuMs(), c.fairness(), text(c.delay()))));
    KernelStats k = kernel;
    s.append(String.format(Locale.ROOT,
        "  kernel: queued %d, user %d, kernel %d (idle %d, exempt %d, wakeup rule %d, fallback %d, ring full %d, congested %d), cancelled %d, bounced %d, preempted %d, heartbeats %d%n",
        k.queued(), k.userDispatches(), k.kernelDispatches(), k.idleDispatches(), k.exemptDispatches(), k.ruleDispatches(),
        k.fallbacks(), k.ringFull(), k.congested(), k.cancelled(), k.bounced(), k.preempted(), k.heartbeats()));
    s.append("  end: ").append(exit == null ? "still running" : exit.toString()).append('\n');
    return s.toString();
  }

  private static String text(Delay d) {
    if (d.count() == 0) return "-";
    return String.format(Locale.ROOT, "p50 %.1f us, p90 %.1f us, p99 %.1f us, max %.1f us (n=%d)", d.p50(), d.p90(),
        d.p99(), d.max(), d.count());
  }

  // ---------------------------------------------------------------- JSON

  private static StringBuilder delay(StringBuilder j, Delay d) {
    j.append('{');
    num(j, "count", d.count());
    num(j, "p50", d.p50());
    num(j, "p90", d.p90());
    num(j, "p99", d.p99());
    num(j, "max", d.max());
    return j.append("\"mean\":").append(num(d.mean())).append('}');
  }

  private static void str(StringBuilder j, String key, String value) {
    quote(j, key).append(':');
    quote(j, value).append(',');
  }

  private static void num(StringBuilder j, String key, long value) {
    quote(j, key).append(':').append(value).append(',');
  }

  private static void num(StringBuilder j, String key, double value) {
    quote(j, key).append(':').append(num(value)).append(',');
  }

  /** Finite doubles as Java prints them (shortest exact form; valid JSON), integers without ".0", else null. */
  private static String num(double v) {
    if (!Double.isFinite(v)) return "null";
    if (v == Math.rint(v) && Math.abs(v) < 1e15) return Long.toString((long) v);
    return Double.toString(v);
  }

  private static double round3(double v) {
    return Math.round(v * 1000) / 1000.0;
  }

  private static StringBuilder quote(StringBuilder j, String s) {
    j.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> j.append("\\\"");
        case '\\' -> j.append("\\\\");
        case '\n' -> j.append("\\n");
        case '\r' -> j.append("\\r");
        case '\t' -> j.append("\\t");
        default -> {
          if (c < 0x20 || c == 0x2028 || c == 0x2029) j.append(String.format("\\u%04x", (int) c));
          else j.append(c);
        }
      }
    }
    return j.append('"');
  }
}
