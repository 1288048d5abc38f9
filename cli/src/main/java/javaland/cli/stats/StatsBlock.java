package javaland.cli.stats;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import javaland.runtime.loop.PolicyFaults;

/**
 * One block of live counters, as {@code run --stats} and {@code stats --monitor} print them every
 * interval: made from two {@code GET /status} objects (the runtime's, also inside the API's
 * {@code /api/v1/status}), so that both commands print the same thing from the same source.
 * Rates are over the interval between the two; without an earlier one, over the uptime. The
 * shares follow the bench's {@code dispatch_shares}: of the dispatches Java could decide (all but
 * the exempt), how many Java decided per task, how many BPF placed by the rules Java pushed down,
 * and how many BPF took back because Java was late or the ring was full.
 */
public final class StatsBlock {
  private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT);

  private StatsBlock() {}

  /**
   * The block for {@code now}, with rates since {@code before} (null: since attach).
   *
   * @param seconds the time between the two objects (ignored without {@code before})
   * @param at when {@code now} was read, for the block's first line
   * @param zone the zone the first line's clock is printed in
   */
  public static String format(JsonNode now, JsonNode before, double seconds, Instant at, ZoneId zone) {
    StringBuilder b = new StringBuilder();
    JsonNode canary = now.path("canary");
    b.append("## javaland ").append(CLOCK.format(at.atZone(zone)))
        .append("  policy ").append(now.path("policy").asText("?"))
        .append(" v").append(now.path("policy_version").asLong())
        .append("  up ").append(fmt("%.1f", now.path("uptime_s").asDouble())).append(" s  ")
        .append(now.path("attached").asBoolean() ? "attached" : "NOT ATTACHED")
        .append('\n');
    if (!now.has("dispatch")) {
      b.append("  kernel    ").append(now.path("kernel").asText("not attached yet")).append('\n');
      return b.toString();
    }
    b.append("  kernel    ").append(now.path("simulated").asBoolean() ? "SIMULATED: " : "sched_ext: ")
        .append(now.path("kernel").asText()).append('\n');
    JsonNode d = now.path("dispatch");
    JsonNode p = before == null || !before.has("dispatch") ? null : before.path("dispatch");
    double secs = p == null ? Math.max(now.path("uptime_s").asDouble(), 1e-3) : Math.max(seconds, 1e-3);
    Rates r = new Rates(d, p, secs);

    double user = r.delta("user_dispatches");
    double all = user + r.delta("kernel_dispatches");
    double exempt = r.delta("exempt_dispatches");
    double idle = r.delta("idle_dispatches");
    double cls = r.delta("class_dispatches");
    double rule = r.delta("rule_dispatches") + r.delta("rule_yields") + r.delta("rule_requeues");
    double fallback = r.delta("fallbacks");
    double rescued = fallback + r.delta("ring_full") + r.delta("congested");
    double decidable = all - exempt;
    double byRules = idle + cls + rule;
    double otherBpf = Math.max(0, all - user - exempt - byRules - rescued);
    b.append("  dispatch  ").append(count(all / secs)).append("/s  java-decided ").append(pct(user + byRules, decidable))
        .append(" (per task ").append(pct(user, decidable)).append(", by its rules in BPF ").append(pct(byRules, decidable))
        .append(")  rescued ").append(pct(rescued, decidable)).append('\n');
    b.append("  paths/s   java ").append(count(user / secs))
        .append("  rule ").append(count(rule / secs))
        .append("  class ").append(count(cls / secs))
        .append("  idle ").append(count(idle / secs))
        .append("  exempt ").append(count(exempt / secs))
        .append("  rescue ").append(count(rescued / secs))
        .append("  other-bpf ").append(count(otherBpf / secs)).append('\n');
    b.append("  rescue    fallback ").append(count(fallback / secs)).append("/s (").append(count(d.path("fallbacks").asLong()))
        .append(" total)  ring-full ").append(count(r.delta("ring_full") / secs))
        .append("/s  congested ").append(count(r.delta("congested") / secs))
        .append("/s  cancelled ").append(count(r.delta("cancelled") / secs))
        .append("/s  bounced ").append(count(r.delta("bounced") / secs)).append("/s\n");

    JsonNode faults = now.path("loop").path("policy_faults");
    JsonNode faultsBefore = before == null ? null : before.path("loop").path("policy_faults");
    b.append("  faults   ");
    for (String kind : PolicyFaults.KINDS) b.append(' ').append(kind).append(' ').append(total(faults, faultsBefore, kind));
    b.append("  slice-clamped ").append(total(d, p, "slice_clamped"))
        .append("  deadline-clamped ").append(total(d, p, "deadline_clamped")).append('\n');

    JsonNode loop = now.path("loop");
    JsonNode loopBefore = before == null ? null : before.path("loop");
    double batches = new Rates(loop, loopBefore, secs).delta("batches");
    double tasks = new Rates(loop, loopBefore, secs).delta("tasks");
    JsonNode rt = d.path("roundtrip_us");
    b.append("  queue     ring ").append(now.path("queue_depth").path("ring").asLong())
        .append("  batches ").append(count(batches / secs)).append("/s")
        .append("  tasks/batch ").append(batches == 0 ? "-" : fmt("%.1f", tasks / batches))
        .append("  largest ").append(loop.path("largest_batch").asLong())
        .append("  round trip p50 ").append(micros(rt.path("p50"))).append(" p99 ").append(micros(rt.path("p99")))
        .append(" (since attach)\n");
    JsonNode delay = d.path("sched_delay_us");
    if (delay.isObject()) {
      b.append("  delay    ");
      delay.properties().forEach(e -> {
        if (e.getValue().path("count").asLong() > 0) {
          b.append(' ').append(e.getKey()).append(" p50 ").append(micros(e.getValue().path("p50")))
              .append(" p99 ").append(micros(e.getValue().path("p99")));
          if (!e.getKey().equals("all")) b.append(',');
        }
      });
      b.append(" (since attach)\n");
    }
    if (canary.isObject()) {
      String reason = canary.path("reason").asText("");
      b.append("  canary    ").append(canary.path("state").asText("?"))
          .append(": version ").append(canary.path("version").asLong())
          .append(" (baseline ").append(canary.path("baseline_version").asLong()).append(')')
          .append(reason.isEmpty() ? "" : ", " + reason).append('\n');
    } else {
      b.append("  canary    none (no registry)\n");
    }
    return b.toString();
  }

  /** "N (+D)": a total and what it grew by since the earlier object. */
  private static String total(JsonNode now, JsonNode before, String key) {
    long n = now.path(key).asLong();
    if (before == null || before.isMissingNode()) return count(n);
    return count(n) + " (+" + count(n - before.path(key).asLong()) + ")";
  }

  /** Differences of monotonic counters, since attach without an earlier object. */
  private record Rates(JsonNode now, JsonNode before, double seconds) {
    double delta(String key) {
      long n = now.path(key).asLong();
      return before == null || before.isMissingNode() ? n : Math.max(0, n - before.path(key).asLong());
    }
  }

  private static String pct(double part, double whole) {
    return whole <= 0 ? "-" : fmt("%.1f%%", 100.0 * part / whole);
  }

  private static String count(double v) {
    return fmt("%,d", Math.round(v));
  }

  private static String micros(JsonNode us) {
    return us.isNumber() ? fmt("%,.0f us", us.asDouble()) : "-";
  }

  private static String fmt(String f, Object... args) {
    return String.format(Locale.ROOT, f, args);
  }
}
