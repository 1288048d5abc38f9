package javaland.testbed;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import java.util.List;

/**
 * Pass rules of the {@code faults} scenario (guest/faults.sh): run under a CPU and sleep load, a
 * policy hot swap, then three unloads by SysRq-S.
 * <ul>
 *   <li>{@code ops_javaland}: the scheduler was enabled first, as javaland</li>
 *   <li>{@code swap_accepted}: {@code PUT /api/v1/policy {"name":"fifo"}} answered 202</li>
 *   <li>{@code swap_while_attached}: 3 s later the state was {@code enabled}, ops {@code javaland},
 *       and {@code enable_seq} had not moved: no moment on the default scheduler</li>
 *   <li>{@code swap_in_force}: the scheduler said fifo is in force from the next batch</li>
 *   <li>{@code freeze_no_unload}: after the scheduler's JVM was stopped (SIGSTOP) for 10 s and
 *       continued, the state was {@code enabled} and {@code enable_seq} had not moved: BPF rescued
 *       every task meanwhile</li>
 *   <li>{@code freeze_java_resumed}: the user dispatches went on growing after SIGCONT</li>
 *   <li>{@code restart_not_the_canary}: the audit has the {@code swap}, then a revert of it
 *       ({@code unload_revert}, or the guard's or the timeout's) before the first {@code restart}</li>
 *   <li>{@code sysrq_N_disabled}: the state went to {@code disabled} within 10 s of the N-th SysRq-S</li>
 *   <li>{@code sysrq_N_restarted}, for every SysRq-S but the last: a new enable ({@code enable_seq}
 *       moved) of ops {@code javaland} followed, without anyone starting it: run's restart</li>
 *   <li>{@code restarted_after_a_sysrq}: at least one SysRq-S was followed by a restart (the guest
 *       stops at the first that is not: an unload the kernel made by itself before, a stall, counts
 *       toward the limit too)</li>
 *   <li>{@code exit_code_4}: after the third unload within the window run gave up by itself</li>
 *   <li>{@code state_disabled_after}: and left the machine on the default scheduler</li>
 *   <li>{@code workload_exit_0}: the load ran through all of it</li>
 *   <li>{@code restarts_counted}: JAVALAND_STATS says 3 unloads (the limit), 2 restarts, 1 give-up</li>
 *   <li>{@code audit_unload_restart_give_up}: the registry's audit log has, in order, the
 *       events unload, restart, unload, restart, unload, give_up</li>
 * </ul>
 */
final class FaultsRules {
  static final long DISABLE_LIMIT_MS = 10_000;

  private FaultsRules() {}

  static void check(JsonNode g, List<Check> c) {
    c.add(Check.of("ops_javaland", "javaland".equals(PassRules.str(g, "ops")), "ops " + PassRules.str(g, "ops")));
    JsonNode swap = g.get("swap");
    Long http = PassRules.num(swap, "http_status");
    c.add(Check.of("swap_accepted", http != null && http == 202, "HTTP " + http + ": " + PassRules.str(swap, "said")));
    boolean moved = swap == null || swap.path("enable_seq_moved").asBoolean(true);
    c.add(Check.of("swap_while_attached", "enabled".equals(PassRules.str(swap, "state"))
        && "javaland".equals(PassRules.str(swap, "ops")) && !moved,
        "state " + PassRules.str(swap, "state") + ", ops " + PassRules.str(swap, "ops") + ", enable_seq moved " + moved));
    c.add(Check.of("swap_in_force", swap != null && swap.path("in_force").asBoolean(false), "in_force " + (swap == null ? null
        : swap.path("in_force").asText())));
    JsonNode freeze = g.get("freeze");
    boolean frozenMoved = freeze == null || freeze.path("enable_seq_moved").asBoolean(true);
    c.add(Check.of("freeze_no_unload", "enabled".equals(PassRules.str(freeze, "state")) && !frozenMoved,
        "state " + PassRules.str(freeze, "state") + ", enable_seq moved " + frozenMoved + ", fallbacks "
            + PassRules.num(freeze, "fallbacks_before") + " -> " + PassRules.num(freeze, "fallbacks_after")));
    JsonNode after = freeze == null ? null : freeze.get("user_dispatches_after");
    boolean resumed = after != null && after.size() == 2 && after.get(0).isNumber() && after.get(1).isNumber()
        && after.get(1).asLong() > after.get(0).asLong();
    c.add(Check.of("freeze_java_resumed", resumed, "user dispatches after SIGCONT " + after));
    JsonNode unloads = g.get("unloads");
    int n = unloads != null && unloads.isArray() ? unloads.size() : 0;
    int restarted = 0;
    for (int i = 0; i < n; i++) {
      JsonNode u = unloads.get(i);
      Long off = PassRules.num(u, "ms_to_disabled");
      c.add(Check.of("sysrq_" + (i + 1) + "_disabled", off != null && off <= DISABLE_LIMIT_MS, "disabled after " + off + " ms"));
      if (i == n - 1) break; // the last one is the give-up: no restart follows
      Long on = PassRules.num(u, "ms_to_enabled");
      boolean ok = on != null && "javaland".equals(PassRules.str(u, "ops_after"));
      if (ok) restarted++;
      c.add(Check.of("sysrq_" + (i + 1) + "_restarted", ok, "enabled again after " + on + " ms, ops " + PassRules.str(u, "ops_after")));
    }
    c.add(Check.of("restarted_after_a_sysrq", restarted >= 1, n + " SysRq-S, " + restarted + " followed by a restart"));
    Long rc = PassRules.num(g, "exit_code");
    c.add(Check.of("exit_code_4", rc != null && rc == 4, "exit code " + rc));
    c.add(Check.of("state_disabled_after", "disabled".equals(PassRules.str(g, "state_after")),
        "state " + PassRules.str(g, "state_after")));
    Long wl = PassRules.num(g, "workload_exit_code");
    c.add(Check.of("workload_exit_0", wl != null && wl == 0, "workload exit code " + wl));
    JsonNode r = PassRules.stats(g) == null ? null : PassRules.stats(g).get("restarts");
    Long un = PassRules.num(r, "unloads");
    Long re = PassRules.num(r, "restarts");
    Long gu = PassRules.num(r, "gave_up");
    c.add(Check.of("restarts_counted", un != null && un == 3 && re != null && re == 2 && gu != null && gu == 1,
        "unloads " + un + ", restarts " + re + ", gave_up " + gu));
    String audit = PassRules.str(g, "audit_events");
    List<String> all = audit == null ? List.of() : Arrays.asList(audit.split(","));
    int swapAt = all.indexOf("swap");
    int restartAt = all.indexOf("restart");
    boolean reverted = swapAt >= 0 && restartAt > swapAt
        && all.subList(swapAt, restartAt).stream().anyMatch(e -> e.endsWith("_revert"));
    c.add(Check.of("restart_not_the_canary", reverted, "audit " + audit));
    List<String> restartEvents = audit == null ? List.of()
        : Arrays.stream(audit.split(",")).filter(e -> List.of("unload", "restart", "give_up").contains(e)).toList();
    c.add(Check.of("audit_unload_restart_give_up",
        restartEvents.equals(List.of("unload", "restart", "unload", "restart", "unload", "give_up")), "audit " + audit));
  }
}
