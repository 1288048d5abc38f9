package javaland.testbed;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import java.util.List;

/**
 * Pass rules of the {@code faults} scenario (guest/faults.sh): run under a CPU and sleep load, a
 * policy hot swap, a frozen JVM, a fork/exit storm and 2,000 threads, memory pressure, a harmful
 * policy swapped in, a forced unload, then SysRq-S until run gives up (three unloads).
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
 *   <li>{@code storm_no_unload}: after the fork/exit storm and the 2,000 threads, {@code enabled}
 *       and {@code enable_seq} unchanged</li>
 *   <li>{@code storm_forks}: the storm forked at least {@value #STORM_FORKS_MIN} processes and threads
 *       (/proc/stat's {@code processes})</li>
 *   <li>{@code threads_2000}: one process had at least {@value #THREADS_MIN} threads (testbed's ManyThreads), and it exited 0</li>
 *   <li>{@code storm_records_counted}: over the storm, the records Java got (queued) and those decided,
 *       cancelled or left undecided differ by no more than can be in flight ({@value #IN_FLIGHT_MAX})</li>
 *   <li>{@code memory_pressure}: stress-ng --vm exited 0 with MemAvailable below
 *       {@value #MEMORY_AVAILABLE_MAX} of MemTotal</li>
 *   <li>{@code memory_locked}: the scheduler's VmLck was above 0 and never below what it was before</li>
 *   <li>{@code memory_no_unload}: {@code enabled} and {@code enable_seq} unchanged after it</li>
 *   <li>{@code harmful_reverted_by_guard}: the swap to testbed's ThrowingPolicy (throws every 100th batch)
 *       answered 202 and the guard reverted it ({@code guard_revert}) within {@value #HARMFUL_WINDOWS_MAX}
 *       canary windows</li>
 *   <li>{@code bad_cpu_reverted_by_guard}: likewise the swap to BadCpuPolicy (every decision for a CPU the
 *       task may not use)</li>
 *   <li>{@code forced_unload_restarted}: {@code kernel.debug_error=1} answered 202, the kernel unloaded
 *       the scheduler (its log names the knob), run attached again and stayed enabled: the knob was
 *       not brought back</li>
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
  static final long STORM_FORKS_MIN = 2_000;
  static final long THREADS_MIN = 2_000;
  static final long IN_FLIGHT_MAX = 1_024;
  static final double MEMORY_AVAILABLE_MAX = 0.3;
  /*
   * The 2 windows. Boots of 0c93607 and bfba0a1 reverted ThrowingPolicy in window 6: the
   * mixed load is decided in BPF by pushed-down rules, and the policy had no batch to throw on
   * until then. With short-lived processes beside each swap (new tasks go to Java), a boot of
   * 85340d7 reverted the throw-every-100th-batch policy in window 2 and the bad-CPU one in window 1.
   */
  static final long HARMFUL_WINDOWS_MAX = 2;

  private FaultsRules() {}

  /** A harmful swap: answered 202 and ended by a guard (not the timeout) within the bound. */
  private static void checkHarmful(JsonNode harm, String name, List<Check> c) {
    Long http = PassRules.num(harm, "http_status");
    Long windows = PassRules.num(harm, "windows");
    c.add(Check.of(name, http != null && http == 202 && "guard_revert".equals(PassRules.str(harm, "event"))
        && windows != null && windows <= HARMFUL_WINDOWS_MAX,
        PassRules.str(harm, "policy") + ": HTTP " + http + ", " + PassRules.str(harm, "event") + " in window " + windows
            + " after " + PassRules.num(harm, "ms") + " ms: " + PassRules.str(harm, "why")));
  }

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
    checkStormAndMemory(g, c);
    checkHarmful(g.get("harmful_swap"), "harmful_reverted_by_guard", c);
    checkHarmful(g.get("bad_cpu_swap"), "bad_cpu_reverted_by_guard", c);
    JsonNode forced = g.get("forced_unload");
    Long forcedHttp = PassRules.num(forced, "http_status");
    Long klog = PassRules.num(forced, "kernel_log_lines");
    c.add(Check.of("forced_unload_restarted", forcedHttp != null && forcedHttp == 202 && PassRules.num(forced, "ms_to_disabled") != null
        && PassRules.num(forced, "ms_to_enabled") != null && forced.path("stayed_enabled").asBoolean(false) && klog != null && klog >= 1,
        "HTTP " + forcedHttp + ", unloaded after " + PassRules.num(forced, "ms_to_disabled") + " ms, enabled after "
            + PassRules.num(forced, "ms_to_enabled") + " ms, stayed " + (forced == null ? null : forced.path("stayed_enabled").asText())
            + ", kernel log lines " + klog));
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

  private static long delta(JsonNode pair) {
    return pair.get(1).asLong() - pair.get(0).asLong();
  }

  private static boolean pairs(JsonNode n, String... names) {
    for (String name : names) {
      JsonNode p = n.get(name);
      if (p == null || !p.isArray() || p.size() != 2 || !p.get(0).isNumber() || !p.get(1).isNumber()) return false;
    }
    return true;
  }

  private static void checkStormAndMemory(JsonNode g, List<Check> c) {
    JsonNode st = g.get("storm");
    boolean stMoved = st == null || st.path("enable_seq_moved").asBoolean(true);
    c.add(Check.of("storm_no_unload", "enabled".equals(PassRules.str(st, "state")) && !stMoved,
        "state " + PassRules.str(st, "state") + ", enable_seq moved " + stMoved));
    Long forks = PassRules.num(st, "forks");
    c.add(Check.of("storm_forks", forks != null && forks >= STORM_FORKS_MIN, forks + " forks (fork " + PassRules.num(st, "fork_ops")
        + ", clone " + PassRules.num(st, "clone_ops") + ", pthread " + PassRules.num(st, "pthread_ops") + " bogo ops), stress-ng exit "
        + PassRules.num(st, "storm_exit_code")));
    Long peak = PassRules.num(st, "peak_threads");
    Long thRc = PassRules.num(st, "threads_exit_code");
    c.add(Check.of("threads_2000", peak != null && peak >= THREADS_MIN && thRc != null && thRc == 0,
        "peak " + peak + " threads in one process (alive at once by its own count " + PassRules.num(st, "threads_alive") + "), exit " + thRc));
    boolean counted = st != null && pairs(st, "queued", "user_dispatches", "cancelled");
    long lost = 0;
    if (counted) {
      long undecided = pairs(st, "undecided") ? delta(st.get("undecided")) : 0;
      lost = delta(st.get("queued")) - delta(st.get("user_dispatches")) - delta(st.get("cancelled")) - undecided;
      counted = Math.abs(lost) <= IN_FLIGHT_MAX;
    }
    c.add(Check.of("storm_records_counted", counted, st == null ? "no storm" : "queued " + st.get("queued") + ", decided "
        + st.get("user_dispatches") + ", cancelled " + st.get("cancelled") + ", undecided " + st.get("undecided") + ": " + lost
        + " neither (in flight)"));
    JsonNode m = g.get("memory");
    Long total = PassRules.num(m, "mem_total_kb");
    Long avail = PassRules.num(m, "mem_available_min_kb");
    Long vmRc = PassRules.num(m, "exit_code");
    c.add(Check.of("memory_pressure", total != null && avail != null && vmRc != null && vmRc == 0 && avail < MEMORY_AVAILABLE_MAX * total,
        "MemAvailable down to " + avail + " of " + total + " kB, stress-ng exit " + vmRc));
    JsonNode lck = m == null ? null : m.get("vmlck_kb");
    boolean locked = lck != null && lck.isArray() && lck.size() == 3 && lck.get(0).isNumber() && lck.get(1).isNumber()
        && lck.get(2).isNumber() && lck.get(0).asLong() > 0 && lck.get(1).asLong() >= lck.get(0).asLong()
        && lck.get(2).asLong() >= lck.get(0).asLong();
    c.add(Check.of("memory_locked", locked, "VmLck before, least during, after (kB): " + lck));
    boolean mMoved = m == null || m.path("enable_seq_moved").asBoolean(true);
    c.add(Check.of("memory_no_unload", "enabled".equals(PassRules.str(m, "state")) && !mMoved,
        "state " + PassRules.str(m, "state") + ", enable_seq moved " + mMoved));
  }
}
