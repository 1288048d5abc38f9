package javaland.experiments.vm;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Decides whether a scenario passed, from the JSON object the guest printed. A pure function: no
 * I/O, no clock, so it is unit-tested with JSON text.
 *
 * <p>Every scenario needs its JL_RESULT line ({@code result_present}) and no guest kernel crash
 * during or before it ({@code no_guest_crash}).
 *
 * <p><b>smoke</b> (the scheduler attaches, schedules a mixed stress-ng workload, detaches on SIGTERM):
 * <ul>
 *   <li>{@code state_during_enabled}: /sys/kernel/sched_ext/state was {@code enabled}</li>
 *   <li>{@code ops_javaland}: /sys/kernel/sched_ext/root/ops was {@code javaland}</li>
 *   <li>{@code workload_exit_0}: stress-ng exited 0</li>
 *   <li>{@code enabled_through_workload}: the state was still {@code enabled} when the workload ended</li>
 *   <li>{@code stats_present}: the scheduler printed its {@code JAVALAND_STATS} line</li>
 *   <li>{@code most_dispatches_by_java}: {@code user_dispatches > kernel_dispatches - exempt_dispatches}.
 *       {@code kernel_dispatches} counts every task BPF dispatched alone; of these,
 *       {@code exempt_dispatches} (the scheduler's own threads, per-CPU kthreads, reclaim kthreads)
 *       are never meant for Java and are left out; everything else BPF dispatched alone (the idle-CPU
 *       fast path counted in {@code idle_dispatches}, rescues after Java missed its deadline, a full
 *       ring) counts against Java. So Java decided more than half of the dispatches it could have
 *       decided.</li>
 *   <li>{@code no_stall_exit}: {@code exit_kind != 1026} (SCX_EXIT_ERROR_STALL), {@code stall_exits}
 *       (when the scheduler reports it) is 0, and no kernel line of the scenario says
 *       "runnable task stall"</li>
 *   <li>{@code state_disabled_after_sigterm}: the state was {@code disabled} after the scheduler exited</li>
 *   <li>{@code exit_kind_unreg}: {@code exit_kind == 64} (SCX_EXIT_UNREG, "unregistered from user space")</li>
 *   <li>{@code exit_code_0}: the scheduler process exited with 0 after SIGTERM</li>
 * </ul>
 *
 * <p><b>kill</b> (kill -9 of the scheduler under a CPU-bound workload):
 * <ul>
 *   <li>{@code state_during_enabled}</li>
 *   <li>{@code enabled_at_kill}: the scheduler was still attached just before the kill (otherwise
 *       the kill proves nothing)</li>
 *   <li>{@code disabled_within_10s}: {@code ms_to_disabled <= 10000}</li>
 *   <li>{@code workload_completed} and {@code workload_exit_0}</li>
 * </ul>
 *
 * <p><b>jvmstart</b> (a diagnostic: java -version in the guest): {@code exit_code_0}.
 */
public final class PassRules {

  public static final long SCX_EXIT_UNREG = 64;
  public static final long SCX_EXIT_ERROR_STALL = 1026;
  public static final long KILL_DISABLE_LIMIT_MS = 10_000;

  /** What the run knows beyond the guest's JSON. */
  /**
   * What the run knows beyond the guest's JSON.
   *
   * @param crash       a guest crash that happened during or before this scenario, or null
   * @param bootProblem why the (last) boot was incomplete, for the message of a missing result, or null
   */
  public record Context(String kernel, boolean retried, String retryReason, String crash, String bootProblem,
      double bootSeconds, String consoleLog) {
    public static Context of(String kernel) {
      return new Context(kernel, false, null, null, null, -1, null);
    }

    public Context withCrash(String c) {
      return new Context(kernel, retried, retryReason, c, bootProblem, bootSeconds, consoleLog);
    }
  }

  private PassRules() {}

  /** The verdict for one scenario; {@code guest} is its JL_RESULT object, or null when none came. */
  public static ScenarioResult evaluate(String scenario, JsonNode guest, Context ctx) {
    List<Check> checks = checks(scenario, guest, ctx.crash(), ctx.bootProblem());
    boolean pass = !checks.isEmpty() && checks.stream().allMatch(Check::pass);
    JsonNode stats = stats(guest);
    return new ScenarioResult(
        scenario,
        ctx.kernel(),
        pass,
        checks,
        ctx.retried(),
        ctx.retryReason(),
        str(guest, "state_during"),
        str(guest, "ops"),
        num(stats, "user_dispatches"),
        num(stats, "kernel_dispatches"),
        num(stats, "exempt_dispatches"),
        num(stats, "idle_dispatches"),
        num(stats, "cancelled"),
        num(stats, "fallbacks"),
        stallExits(guest),
        num(stats, "exit_kind"),
        str(stats, "exit_reason"),
        num(guest, "exit_code"),
        stats != null && stats.get("roundtrip_us") != null && stats.get("roundtrip_us").isObject()
            ? stats.get("roundtrip_us") : null,
        dbl(stats, "dispatches_per_s"),
        num(guest, "enable_ms"),
        num(guest, "ms_to_disabled"),
        num(guest, "workload_exit_code"),
        str(guest, "state_after"),
        ctx.crash(),
        ctx.bootSeconds() >= 0 ? Math.round(ctx.bootSeconds() * 10) / 10.0 : null,
        ctx.consoleLog(),
        guest);
  }

  /** The checks of one scenario (see the class comment). */
  public static List<Check> checks(String scenario, JsonNode guest, String crash, String bootProblem) {
    List<Check> c = new ArrayList<>();
    c.add(Check.of("result_present", guest != null && guest.isObject(),
        guest != null ? "JL_RESULT received"
            : "no JL_RESULT line for " + scenario + (bootProblem != null ? " (" + bootProblem + ")" : "")));
    c.add(Check.of("no_guest_crash", crash == null, crash == null ? "none" : crash));
    if (guest == null || !guest.isObject()) return c;
    if (guest.hasNonNull("error")) {
      c.add(Check.of("known_scenario", false, str(guest, "error")));
      return c;
    }
    switch (scenario) {
      case "smoke" -> smoke(guest, c);
      case "kill" -> kill(guest, c);
      case "jvmstart" -> c.add(eq("exit_code_0", num(guest, "exit_code"), 0L));
      default -> c.add(Check.of("known_scenario", false, "no pass rules for scenario " + scenario));
    }
    return c;
  }

  private static void smoke(JsonNode g, List<Check> c) {
    JsonNode stats = stats(g);
    c.add(eq("state_during_enabled", str(g, "state_during"), "enabled"));
    c.add(eq("ops_javaland", str(g, "ops"), "javaland"));
    c.add(eq("workload_exit_0", num(g, "workload_exit_code"), 0L));
    c.add(eq("enabled_through_workload", str(g, "state_after_workload"), "enabled"));
    c.add(Check.of("stats_present", stats != null, stats != null ? "JAVALAND_STATS received" : "no JAVALAND_STATS line"));
    Long user = num(stats, "user_dispatches");
    Long kernel = num(stats, "kernel_dispatches");
    Long exempt = num(stats, "exempt_dispatches");
    Long idle = num(stats, "idle_dispatches");
    if (user == null || kernel == null || exempt == null) {
      c.add(Check.of("most_dispatches_by_java", false,
          "missing user_dispatches, kernel_dispatches or exempt_dispatches in stats"));
    } else {
      long bpfAlone = kernel - exempt;
      c.add(Check.of("most_dispatches_by_java", user > bpfAlone,
          "user " + user + (user > bpfAlone ? " > " : " <= ") + "kernel " + kernel + " - exempt " + exempt
              + " = " + bpfAlone + (idle != null ? " (of which idle fast path " + idle + ")" : "")));
    }
    Long stalls = stallExits(g);
    Long kind = num(stats, "exit_kind");
    c.add(Check.of("no_stall_exit", (stalls == null || stalls == 0) && !Long.valueOf(SCX_EXIT_ERROR_STALL).equals(kind),
        "exit_kind " + kind + ", stall exits " + stalls));
    c.add(eq("state_disabled_after_sigterm", str(g, "state_after"), "disabled"));
    c.add(Check.of("exit_kind_unreg", Long.valueOf(SCX_EXIT_UNREG).equals(kind),
        "exit_kind " + kind + (str(stats, "exit_reason") != null ? " (" + str(stats, "exit_reason") + ")" : "")
            + ", want " + SCX_EXIT_UNREG));
    c.add(eq("exit_code_0", num(g, "exit_code"), 0L));
  }

  private static void kill(JsonNode g, List<Check> c) {
    c.add(eq("state_during_enabled", str(g, "state_during"), "enabled"));
    c.add(eq("enabled_at_kill", str(g, "state_before_kill"), "enabled"));
    Long ms = num(g, "ms_to_disabled");
    c.add(Check.of("disabled_within_10s", ms != null && ms >= 0 && ms <= KILL_DISABLE_LIMIT_MS,
        ms == null ? "never disabled (state " + str(g, "state_after") + ")" : ms + " ms after kill -9"));
    JsonNode done = g.get("workload_completed");
    c.add(Check.of("workload_completed", done != null && done.asBoolean(false),
        "workload_completed " + (done == null ? null : done.asText())));
    c.add(eq("workload_exit_0", num(g, "workload_exit_code"), 0L));
  }

  /**
   * Stall exits seen in the scenario: the scheduler's own stall_exits counter when it reports one,
   * at least 1 when exit_kind is SCX_EXIT_ERROR_STALL or a kernel line of the scenario says
   * "runnable task stall"; null when nothing tells.
   */
  static Long stallExits(JsonNode guest) {
    JsonNode stats = stats(guest);
    Long reported = num(stats, "stall_exits");
    Long kind = num(stats, "exit_kind");
    long fromKernel = 0;
    boolean kernelKnown = false;
    JsonNode log = guest == null ? null : guest.get("kernel_log");
    if (log != null && log.isArray()) {
      kernelKnown = true;
      for (JsonNode l : log) {
        if (l.asText("").contains("runnable task stall")) fromKernel++;
      }
    } else if (log != null && log.isTextual()) {
      kernelKnown = true;
      if (log.asText().contains("runnable task stall")) fromKernel++;
    }
    if (reported == null && kind == null && !kernelKnown) return null;
    long n = reported == null ? 0 : reported;
    if (kind != null && kind == SCX_EXIT_ERROR_STALL) n = Math.max(n, 1);
    return Math.max(n, fromKernel);
  }

  private static Check eq(String name, Object actual, Object want) {
    return Check.of(name, want.equals(actual), actual + (want.equals(actual) ? "" : ", want " + want));
  }

  static JsonNode stats(JsonNode guest) {
    if (guest == null) return null;
    JsonNode s = guest.get("stats");
    return s != null && s.isObject() ? s : null;
  }

  static String str(JsonNode o, String field) {
    if (o == null) return null;
    JsonNode v = o.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }

  static Long num(JsonNode o, String field) {
    if (o == null) return null;
    JsonNode v = o.get(field);
    if (v == null || v.isNull()) return null;
    if (v.isIntegralNumber()) return v.asLong();
    if (v.isNumber()) return (long) v.asDouble();
    if (v.isTextual()) {
      try {
        return Long.parseLong(v.asText().strip());
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return null;
  }

  static Double dbl(JsonNode o, String field) {
    if (o == null) return null;
    JsonNode v = o.get(field);
    return v != null && v.isNumber() ? v.asDouble() : null;
  }
}
