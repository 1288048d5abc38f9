package javaland.experiments.vm;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Locale;

/**
 * Pass rules of the {@code fidelity} scenario (guest/fidelity.sh): the scheduler ran the smoke
 * mix with {@code run --record}, and the guest replayed the trace under the same policy and
 * parameters on the simulated kernel. Checks:
 * <ul>
 *   <li>{@code scheduler_ran}: enabled, workload exit 0, stats present, no stall exit, disabled
 *       after SIGTERM with exit_kind 64 and exit code 0 (as smoke)</li>
 *   <li>{@code trace_recorded}: the stats' {@code record} says events were written, and the
 *       kernel dropped at most {@value #MAX_LOST_SHARE} of them (lost / (recorded + lost))</li>
 *   <li>{@code replay_ran}: the replay exited 0 with its JSON</li>
 *   <li>{@code trace_matches_kernel}: the delays the trace itself shows ({@code trace_delay_us} of
 *       the replay: same tasks, same rule) have p50 and p90 within a factor {@value #TRACE_FACTOR} of
 *       the kernel's histogram. This is the like-for-like check of the recording: the histogram's
 *       buckets are 12.5% wide, and the trace leaves out the few runnables that are neither a
 *       wakeup nor a preemption (a task moved between CPUs). Measured: within 10%.</li>
 *   <li>{@code delay_p50_within_factor}, {@code delay_p90_within_factor}: the replay's scheduling
 *       delay (runnable to running) p50 and p90 within a factor {@value #FACTOR} of the kernel's own
 *       measurement ({@code sched_delay_us.all} of the stats: BPF's histograms, both classes)</li>
 * </ul>
 * Why a factor, and this one: the kernel's histogram has buckets 12.5% wide; the simulated kernel
 * models the user-space round trip with fixed costs, not the JVM under emulation (whose round trip
 * varies from tens of microseconds to milliseconds); and TCG adds stalls of its own. A model that
 * keeps the trace's bursts, sleeps and wakeup edges lands within this factor; one that lost them
 * (a broken recorder: no sleeps, say, or bursts merged) is off by an order of magnitude. p99 and
 * max are shown, not judged: under TCG they are the emulator's stalls. Measured (experiments/vm/README.md):
 * with exempt tasks and ticks modelled, p50 lands at 0.57-0.70 and p90 at 0.29-0.56 of the kernel's,
 * too narrow because the simulated dispatch thread uses no CPU; the factor was not widened for it.
 */
final class FidelityRules {
  static final double FACTOR = 3.0;
  static final double TRACE_FACTOR = 1.5;
  static final double MAX_LOST_SHARE = 0.01;

  private FidelityRules() {}

  static void check(JsonNode g, List<Check> c) {
    JsonNode stats = PassRules.stats(g);
    c.add(Check.of("was_enabled", g.path("was_enabled").asBoolean(false), "was_enabled " + g.get("was_enabled")));
    c.add(Check.of("workload_exit_0", Long.valueOf(0).equals(PassRules.num(g, "workload_exit_code")),
        "workload exit " + PassRules.num(g, "workload_exit_code")));
    c.add(Check.of("stats_present", stats != null, stats != null ? "JAVALAND_STATS received" : "no JAVALAND_STATS line"));
    PassRules.cleanExit(g, stats, c);

    JsonNode rec = stats == null ? null : stats.get("record");
    Long events = PassRules.num(rec, "events");
    Long lost = PassRules.num(rec, "lost_events");
    boolean recorded = events != null && events > 0 && lost != null && rec.get("error") == null
        && lost <= MAX_LOST_SHARE * (events + lost);
    c.add(Check.of("trace_recorded", recorded, rec == null ? "no record in the stats"
        : events + " events, " + lost + " lost, " + PassRules.num(g, "trace_bytes") + " bytes"
            + (rec.get("error") != null ? ", error: " + rec.get("error").asText() : "")));

    JsonNode replay = g.get("replay");
    boolean replayed = replay != null && replay.isObject() && Long.valueOf(0).equals(PassRules.num(g, "replay_exit_code"));
    c.add(Check.of("replay_ran", replayed, "replay exit " + PassRules.num(g, "replay_exit_code")
        + ", " + (replay != null && replay.isObject() ? "JSON present" : "no JSON")
        + ", " + PassRules.num(g, "replay_ms") + " ms"));

    JsonNode measured = stats == null ? null : stats.path("sched_delay_us").get("all");
    JsonNode traced = replay == null ? null : replay.get("trace_delay_us");
    Check p50 = within("trace_matches_kernel", "p50", PassRules.dbl(measured, "p50"), PassRules.dbl(traced, "p50"), TRACE_FACTOR);
    Check p90 = within("trace_matches_kernel", "p90", PassRules.dbl(measured, "p90"), PassRules.dbl(traced, "p90"), TRACE_FACTOR);
    c.add(Check.of("trace_matches_kernel", p50.pass() && p90.pass(), "trace vs kernel, " + p50.detail() + "; " + p90.detail()));
    JsonNode replayedDelay = replay == null ? null : replay.get("delay_us");
    for (String q : List.of("p50", "p90")) {
      Double m = PassRules.dbl(measured, q);
      Double r = PassRules.dbl(replayedDelay, q);
      c.add(within("delay_" + q + "_within_factor", q, m, r));
    }
    c.add(Check.of("figures", true, figures(measured, traced, replayedDelay)));
  }

  /** Replayed over measured within [1/FACTOR, FACTOR]; below 1 us both count as 1 us (bucket resolution). */
  static Check within(String name, String q, Double measured, Double replayed) {
    return within(name, q, measured, replayed, FACTOR);
  }

  static Check within(String name, String q, Double measured, Double replayed, double factor) {
    if (measured == null || replayed == null) {
      return Check.of(name, false, q + ": measured " + measured + " us, other " + replayed + " us");
    }
    double ratio = Math.max(replayed, 1.0) / Math.max(measured, 1.0);
    boolean ok = ratio <= factor && ratio >= 1 / factor;
    return Check.of(name, ok, String.format(Locale.ROOT, "%s: measured %.1f us, other %.1f us, ratio %.2f (limit %.1fx)",
        q, measured, replayed, ratio, factor));
  }

  private static String figures(JsonNode measured, JsonNode traced, JsonNode replayed) {
    StringBuilder s = new StringBuilder("scheduling delay us (measured by the kernel / in the trace / replayed):");
    for (String q : List.of("count", "p50", "p90", "p99")) {
      s.append(' ').append(q).append(' ').append(value(measured, q)).append(" / ").append(value(traced, q))
          .append(" / ").append(value(replayed, q));
    }
    return s.toString();
  }

  private static String value(JsonNode o, String f) {
    Double d = PassRules.dbl(o, f);
    return d == null ? "?" : d == Math.rint(d) ? Long.toString(d.longValue()) : String.format(Locale.ROOT, "%.1f", d);
  }
}
