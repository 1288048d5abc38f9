package javaland.testbed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Pass rules of the {@code canary} scenario (guest/canary.sh): one run of the scheduler with a
 * registry, a static API token and run's learner child, beside the smoke mix. The guest reports
 * what it did and the runtime's audit log ({@code audit}: its JSON lines); the verdicts about the
 * learner and the guard are read from the audit lines, not from the guest's own reading of them.
 * <ul>
 *   <li>{@code state_during_enabled}, {@code ops_javaland}</li>
 *   <li>{@code api_401_without_token}: {@code GET /api/v1/status} without a token answered 401</li>
 *   <li>{@code cli_status_ok}, {@code cli_params_ok}, {@code cli_history_ok}: {@code javaland policy
 *       status / params / history} exited 0 (params and history printed at least one line)</li>
 *   <li>{@code learner_unprivileged}: the learner child ran as uid {@value #NOBODY} (nobody)</li>
 *   <li>{@code learner_proposed}: an audit {@code propose} line whose author starts with {@code learner}</li>
 *   <li>{@code learner_verdict_audited}: after that proposal, an audit line ending it ({@code commit},
 *       {@code rollback}, {@code guard_revert} or {@code timeout_revert} of that version)</li>
 *   <li>{@code learner_killed}: the guest kill -9'ed a live learner before the harmful proposal</li>
 *   <li>{@code harmful_proposed}: {@code PUT /api/v1/parameters} of the harmful set answered 202 and
 *       the audit has its {@code propose} (author {@code vm-canary via api:token})</li>
 *   <li>{@code harmful_guard_reverted}: the line that ended it is a {@code guard_revert} (not a
 *       timeout, not a request)</li>
 *   <li>{@code rollback_windows_at_most_2}: the guard's figure {@code windows} (candidate windows
 *       judged, the tripping one included) is at most {@value #MAX_ROLLBACK_WINDOWS}</li>
 *   <li>{@code guard_had_baseline}: the guard's figure {@code baseline_windows} is at least
 *       {@value #MIN_BASELINE_WINDOWS}: with no baseline the bound is the slack alone, and a revert
 *       against it proves little</li>
 *   <li>{@code enabled_after_revert}: the state was {@code enabled} after the revert and
 *       {@code enable_seq} had not moved (the scheduler was never kicked out)</li>
 *   <li>{@code stats_present} and the clean exit of smoke ({@code no_stall_exit},
 *       {@code state_disabled_after_sigterm}, {@code exit_kind_unreg}, {@code exit_code_0})</li>
 * </ul>
 * Figures (reported): {@code rollback_windows}, {@code guard_reason}, {@code guard_figures},
 * {@code learner_verdict}, {@code learner_proposals}, {@code audit_events}.
 */
final class CanaryRules {
  static final long NOBODY = 65534;
  static final long MAX_ROLLBACK_WINDOWS = 2;
  static final long MIN_BASELINE_WINDOWS = 3;
  private static final Set<String> ENDS = Set.of("commit", "rollback", "guard_revert", "timeout_revert");

  private CanaryRules() {}

  static void check(JsonNode g, List<Check> c) {
    c.add(eq("state_during_enabled", PassRules.str(g, "state_during"), "enabled"));
    c.add(eq("ops_javaland", PassRules.str(g, "ops"), "javaland"));
    c.add(eq("api_401_without_token", PassRules.num(g, "unauth_status"), 401L));
    c.add(cli(g, "status", false));
    c.add(cli(g, "params", true));
    c.add(cli(g, "history", true));
    Long uid = PassRules.num(g, "learner_uid");
    c.add(Check.of("learner_unprivileged", Long.valueOf(NOBODY).equals(uid),
        "learner pid " + PassRules.num(g, "learner_pid") + " uid " + uid + ", want " + NOBODY));

    List<JsonNode> audit = audit(g);
    int lp = firstPropose(audit, "learner");
    c.add(Check.of("learner_proposed", lp >= 0, lp >= 0 ? "version " + version(audit.get(lp)) + ": "
        + PassRules.str(audit.get(lp), "reason") : "no propose by the learner among " + audit.size() + " audit lines"));
    JsonNode lend = lp >= 0 ? end(audit, lp) : null;
    c.add(Check.of("learner_verdict_audited", lend != null, lend == null ? "no end of the learner's proposal in the audit"
        : PassRules.str(lend, "event") + " by " + PassRules.str(lend, "author") + ": " + PassRules.str(lend, "reason")));
    Long killed = PassRules.num(g, "killed_pid");
    JsonNode mid = g.get("killed_mid_canary");
    c.add(Check.of("learner_killed", killed != null, killed == null ? "no live learner was killed"
        : "kill -9 pid " + killed + (mid != null && mid.asBoolean(false) ? " mid-canary" : " between canaries")));

    int hp = firstPropose(audit, "vm-canary");
    Long put = PassRules.num(g, "harmful_status");
    c.add(Check.of("harmful_proposed", hp >= 0 && Long.valueOf(202).equals(put),
        "PUT /api/v1/parameters: HTTP " + put + (hp >= 0 ? ", version " + version(audit.get(hp)) : ", no propose by vm-canary in the audit")));
    JsonNode hend = hp >= 0 ? end(audit, hp) : null;
    String event = PassRules.str(hend, "event");
    c.add(Check.of("harmful_guard_reverted", "guard_revert".equals(event), hend == null
        ? "the harmful set was not ended (state " + PassRules.str(g, "state_after_revert") + ")"
        : event + " by " + PassRules.str(hend, "author") + ": " + PassRules.str(hend, "reason")));
    JsonNode figures = hend == null ? null : hend.get("figures");
    Long windows = PassRules.num(figures, "windows");
    Long baseline = PassRules.num(figures, "baseline_windows");
    boolean guard = "guard_revert".equals(event);
    c.add(Check.of("rollback_windows_at_most_2", guard && windows != null && windows <= MAX_ROLLBACK_WINDOWS,
        "rollback windows " + windows + " (guard revert: " + guard + "), want <= " + MAX_ROLLBACK_WINDOWS));
    c.add(Check.of("guard_had_baseline", guard && baseline != null && baseline >= MIN_BASELINE_WINDOWS,
        "baseline windows " + baseline + ", want >= " + MIN_BASELINE_WINDOWS));
    Long seq0 = PassRules.num(g, "enable_seq");
    Long seq1 = PassRules.num(g, "enable_seq_after_revert");
    c.add(Check.of("enabled_after_revert", "enabled".equals(PassRules.str(g, "state_after_revert")) && seq0 != null
        && seq0.equals(seq1), "state " + PassRules.str(g, "state_after_revert") + ", enable_seq " + seq0 + " -> " + seq1));

    JsonNode stats = PassRules.stats(g);
    c.add(Check.of("stats_present", stats != null, stats != null ? "JAVALAND_STATS received" : "no JAVALAND_STATS line"));
    PassRules.cleanExit(g, stats, c);
  }

  /** What the scenario measured, for the report (never judged here). */
  static ObjectNode figures(JsonNode g) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    List<JsonNode> audit = audit(g);
    int lp = firstPropose(audit, "learner");
    JsonNode lend = lp >= 0 ? end(audit, lp) : null;
    o.put("learner_verdict", PassRules.str(lend, "event"));
    o.put("learner_verdict_reason", PassRules.str(lend, "reason"));
    o.put("learner_proposals", audit.stream().filter(a -> "propose".equals(PassRules.str(a, "event"))
        && author(a).startsWith("learner")).count());
    int hp = firstPropose(audit, "vm-canary");
    JsonNode hend = hp >= 0 ? end(audit, hp) : null;
    JsonNode figures = hend == null ? null : hend.get("figures");
    Long windows = PassRules.num(figures, "windows");
    if (windows == null) o.putNull("rollback_windows");
    else o.put("rollback_windows", windows);
    o.put("guard_event", PassRules.str(hend, "event"));
    o.put("guard_reason", PassRules.str(hend, "reason"));
    if (figures != null && figures.isObject()) o.set("guard_figures", figures.deepCopy());
    var events = o.putArray("audit_events");
    for (JsonNode a : audit) {
      events.add(PassRules.str(a, "event") + " v" + version(a) + " from v" + PassRules.num(a, "from_version") + " by " + author(a));
    }
    return o;
  }

  private static Check cli(JsonNode g, String cmd, boolean wantLines) {
    Long rc = PassRules.num(g, "cli_" + cmd + "_exit");
    Long lines = PassRules.num(g, "cli_" + cmd + "_lines");
    boolean ok = Long.valueOf(0).equals(rc) && (!wantLines || (lines != null && lines > 0));
    return Check.of("cli_" + cmd + "_ok", ok, "javaland policy " + cmd + ": exit " + rc + (wantLines ? ", " + lines + " lines" : ""));
  }

  static List<JsonNode> audit(JsonNode g) {
    List<JsonNode> out = new ArrayList<>();
    JsonNode a = g == null ? null : g.get("audit");
    if (a != null && a.isArray()) a.forEach(e -> {
      if (e.isObject()) out.add(e);
    });
    return out;
  }

  private static String author(JsonNode a) {
    String s = PassRules.str(a, "author");
    return s == null ? "" : s;
  }

  private static Long version(JsonNode a) {
    return PassRules.num(a, "version");
  }

  /** Index of the first propose whose author starts with {@code who}, or -1. */
  private static int firstPropose(List<JsonNode> audit, String who) {
    for (int i = 0; i < audit.size(); i++) {
      if ("propose".equals(PassRules.str(audit.get(i), "event")) && author(audit.get(i)).startsWith(who)) return i;
    }
    return -1;
  }

  /** The line that ended the canary proposed at {@code i}: the next end event from its version, or null. */
  private static JsonNode end(List<JsonNode> audit, int i) {
    Long v = version(audit.get(i));
    for (int j = i + 1; j < audit.size(); j++) {
      JsonNode a = audit.get(j);
      if (ENDS.contains(PassRules.str(a, "event")) && v != null && v.equals(PassRules.num(a, "from_version"))) return a;
    }
    return null;
  }

  private static Check eq(String name, Object actual, Object want) {
    return Check.of(name, want.equals(actual), actual + (want.equals(actual) ? "" : ", want " + want));
  }
}
