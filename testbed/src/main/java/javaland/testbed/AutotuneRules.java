package javaland.testbed;

import static javaland.testbed.PassRules.dbl;
import static javaland.testbed.PassRules.num;
import static javaland.testbed.PassRules.str;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The autotune scenario (guest/autotune.sh): redis-server and redis-benchmark beside CPU hogs in
 * four phases of one boot: {@code eevdf}, {@code defaults} (javaland, no learner), {@code learner}
 * (javaland and its learner from a cold start, no rules) and {@code rules} (hand-written rules).
 * A pure function of the guest's JSON.
 *
 * <p>The checks are functional, so that emulation noise cannot fail it: every phase ran to the end
 * ({@code PHASE_ran_to_the_end}: at least one benchmark run, each with exit 0 and a rate, and the
 * hogs' figures), {@code eevdf_without_sched_ext} (disabled around every run), and for each
 * javaland phase {@code PHASE_attached_throughout} (enabled, ops javaland, before and after every
 * run, {@code enable_seq} unchanged), {@code PHASE_stats_present} and the clean exit of
 * {@link PassRules#cleanExit} prefixed by the phase (no stall exit among them), and
 * {@code kernel_log_no_stall} over the whole scenario; phase 3 also
 * {@code learner_started}, phase 4 {@code rules_loaded}.
 *
 * <p>The figures ({@link #figures}) are reported, never judged: per phase the medians over its runs
 * of requests/s, p50 and p99 (us), the hogs' bogo ops/s over the phase, and where the CPU went while
 * the load ran ({@code sched_cpus}, {@code learner_cpus}: CPUs' worth of the scheduler's and the
 * learner's JVMs); for the learner phase
 * the same over its last {@link #FINAL_RUNS} runs ({@code final}), its curve (per run: guest
 * seconds since the scheduler's start, p99, the learner's last reward, learned classes proposed,
 * committed, rolled back, parameter sets proposed and committed), {@code learner_up_s} and
 * {@code first_commit_s} (guest seconds from the scheduler's start), and the
 * learned classes' last states; {@code targets_met} by name (issue 13's targets), null when a
 * figure is missing.
 */
final class AutotuneRules {
  static final List<String> PHASES = List.of("eevdf", "defaults", "learner", "rules");
  /** The learner phase's final figures are the medians over this many last runs. */
  static final int FINAL_RUNS = 3;

  private AutotuneRules() {}

  static void check(JsonNode g, List<Check> c) {
    JsonNode phases = g.get("phases");
    for (String p : PHASES) {
      JsonNode ph = phases == null ? null : phases.get(p);
      if (ph == null || !ph.isObject()) {
        c.add(Check.of(p + "_phase_present", false, "no phase '" + p + "' in the result"));
        continue;
      }
      List<JsonNode> runs = runs(ph);
      boolean ran = !runs.isEmpty() && runs.stream().allMatch(r -> Long.valueOf(0).equals(num(r.get("bench"), "exit_code"))
          && dbl(r.get("bench"), "requests_per_s") != null) && dbl(ph, "hog_bogo_ops_per_s") != null;
      c.add(Check.of(p + "_ran_to_the_end", ran, runs.size() + " benchmark runs, exit codes "
          + runs.stream().map(r -> String.valueOf(num(r.get("bench"), "exit_code"))).toList() + ", hogs "
          + dbl(ph, "hog_bogo_ops_per_s") + " bogo ops/s"));
      if (p.equals("eevdf")) {
        c.add(Check.of("eevdf_without_sched_ext", "disabled".equals(str(ph, "state_during")) && ph.path("states_ok").asBoolean(false),
            "state " + str(ph, "state_during") + " before, every run's state disabled: " + ph.path("states_ok").asBoolean(false)));
        continue;
      }
      Long seq0 = num(ph, "enable_seq_before");
      Long seq1 = num(ph, "enable_seq_after");
      boolean attached = "enabled".equals(str(ph, "state_during")) && "javaland".equals(str(ph, "ops"))
          && ph.path("states_ok").asBoolean(false) && seq0 != null && seq0.equals(seq1);
      c.add(Check.of(p + "_attached_throughout", attached, "state " + str(ph, "state_during") + ", ops " + str(ph, "ops")
          + ", enabled at every run: " + ph.path("states_ok").asBoolean(false) + ", enable_seq " + seq0 + " -> " + seq1));
      JsonNode stats = PassRules.stats(ph);
      c.add(Check.of(p + "_stats_present", stats != null, stats != null ? "JAVALAND_STATS received" : "no JAVALAND_STATS line"));
      List<Check> exit = new ArrayList<>();
      PassRules.cleanExit(ph, stats, exit);
      for (Check e : exit) c.add(Check.of(p + "_" + e.name(), e.pass(), e.detail()));
    }
    long kernelStalls = 0;
    for (JsonNode l : g.path("kernel_log")) if (l.asText("").contains("runnable task stall")) kernelStalls++;
    c.add(Check.of("kernel_log_no_stall", kernelStalls == 0, kernelStalls + " 'runnable task stall' lines in the scenario's kernel log"));
    JsonNode learner = phases == null ? null : phases.get("learner");
    c.add(Check.of("learner_started", learner != null && learner.path("learner_started").asBoolean(false),
        "run said 'learner started'"));
    JsonNode rules = phases == null ? null : phases.get("rules");
    c.add(Check.of("rules_loaded", rules != null && rules.path("rules_loaded").asBoolean(false), "the rules phase logged 'rules: loaded 2 rule(s)'"));
  }

  /** The figures and {@code targets_met} (see the class comment). */
  static ObjectNode figures(JsonNode g) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    JsonNode phases = g.get("phases");
    Map<String, ObjectNode> per = new LinkedHashMap<>();
    ObjectNode out = o.putObject("phases");
    for (String p : PHASES) {
      JsonNode ph = phases == null ? null : phases.get(p);
      ObjectNode f = summary(runs(ph), ph);
      per.put(p, f);
      out.set(p, f);
    }
    JsonNode lp = phases == null ? null : phases.get("learner");
    List<JsonNode> lr = runs(lp);
    ObjectNode fin = summary(lr.subList(Math.max(0, lr.size() - FINAL_RUNS), lr.size()), lp);
    per.get("learner").set("final", fin);
    per.get("learner").put("learn_s", num(lp, "learn_s"));
    per.get("learner").put("learner_up_s", dbl(lp, "learner_up_s"));
    per.get("learner").put("first_commit_s", dbl(lp, "first_commit_s"));
    var curve = per.get("learner").putArray("curve");
    for (JsonNode r : lr) {
      ObjectNode w = curve.addObject();
      w.put("since_start_s", num(r, "since_start_s"));
      w.put("p99_us", num(r.get("bench"), "p99_us"));
      w.put("reward", dbl(r, "reward"));
      for (String k : List.of("class_proposed", "class_committed", "class_rolled_back", "param_proposed", "param_committed"))
        w.put(k, num(r, k));
    }
    ObjectNode learned = per.get("learner").putObject("learned_classes");
    JsonNode lc = lp == null ? null : lp.get("learned_classes");
    if (lc != null && lc.isArray()) for (JsonNode c : lc) {
      if (str(c, "comm") != null) learned.put(str(c, "comm"), str(c, "taskClass") + " " + str(c, "state"));
    }
    o.set("targets_met", targets(g, per));
    return o;
  }

  private static ObjectNode targets(JsonNode g, Map<String, ObjectNode> per) {
    ObjectNode t = JsonNodeFactory.instance.objectNode();
    Double eevdf = dbl(per.get("eevdf"), "p99_us");
    Double defaults = dbl(per.get("defaults"), "p99_us");
    Double rules = dbl(per.get("rules"), "p99_us");
    Double learned = dbl((ObjectNode) per.get("learner").get("final"), "p99_us");
    put(t, "p99_at_most_half_of_eevdf", learned == null || eevdf == null ? null : learned <= 0.5 * eevdf);
    // 80% of the rules' improvement over the defaults; no improvement by the rules leaves nothing to match
    put(t, "p99_gain_at_least_80pct_of_rules", learned == null || defaults == null || rules == null ? null
        : rules < defaults && defaults - learned >= 0.8 * (defaults - rules));
    Double hogs3 = dbl((ObjectNode) per.get("learner"), "hog_bogo_ops_per_s");
    Double hogs1 = dbl(per.get("eevdf"), "hog_bogo_ops_per_s");
    put(t, "hogs_at_least_90pct_of_eevdf", hogs3 == null || hogs1 == null ? null : hogs3 >= 0.9 * hogs1);
    List<Check> c = new ArrayList<>();
    check(g, c);
    put(t, "no_stall_exit", c.stream().filter(x -> x.name().endsWith("no_stall_exit") || x.name().equals("kernel_log_no_stall"))
        .allMatch(Check::pass));
    JsonNode lp = g.path("phases").path("learner");
    put(t, "every_change_audited", audited(lp));
    put(t, "harmful_reverted_within_2_windows", reverted(lp));
    return t;
  }

  private static void put(ObjectNode t, String name, Boolean v) {
    if (v == null) t.putNull(name);
    else t.put(name, v);
  }

  /** Each learned-class change by the learner has its learner audit line (class_propose for a canary, an end for the others). */
  static Boolean audited(JsonNode lp) {
    JsonNode lc = lp.get("learned_classes");
    JsonNode la = lp.get("learner_audit");
    if (lc == null || !lc.isArray() || la == null || !la.isArray()) return null;
    long canaries = 0;
    long ends = 0;
    for (JsonNode c : lc) {
      String author = str(c, "author");
      if (author == null || !author.startsWith("learner")) continue;
      if ("canary".equals(str(c, "state"))) canaries++;
      else if ("committed".equals(str(c, "state")) || "rolled_back".equals(str(c, "state"))) ends++;
    }
    long proposeLines = 0;
    long endLines = 0;
    for (JsonNode a : la) {
      String e = str(a, "event");
      if ("class_propose".equals(e)) proposeLines++;
      else if (e != null && e.startsWith("class_")) endLines++;
    }
    return proposeLines >= canaries && endLines >= ends;
  }

  /** Every parameter set a guard reverted was reverted within 2 windows (true when none was). */
  static Boolean reverted(JsonNode lp) {
    JsonNode audit = lp.get("audit");
    if (audit == null || !audit.isArray()) return null;
    for (JsonNode a : audit) {
      if (!"guard_revert".equals(str(a, "event"))) continue;
      Long w = num(a.get("figures"), "windows");
      if (w == null || w > CanaryRules.MAX_ROLLBACK_WINDOWS) return false;
    }
    return true;
  }

  /** Medians of one phase's (or part of its) runs, and the hogs over the phase. */
  private static ObjectNode summary(List<JsonNode> runs, JsonNode ph) {
    ObjectNode f = JsonNodeFactory.instance.objectNode();
    f.put("runs", runs.size());
    f.put("requests_per_s", median(runs, "requests_per_s"));
    f.put("p50_us", median(runs, "p50_us"));
    f.put("p99_us", median(runs, "p99_us"));
    f.put("hog_bogo_ops_per_s", dbl(ph, "hog_bogo_ops_per_s"));
    Long load = num(ph, "load_ms");
    if (load != null && load > 0) { // where the CPU went: CPUs' worth of the scheduler's and the learner's JVMs
      Long sched = num(ph, "sched_cpu_ms");
      Long learner = num(ph, "learner_cpu_ms");
      if (sched != null) f.put("sched_cpus", Math.round(1000.0 * sched / load) / 1000.0);
      if (learner != null) f.put("learner_cpus", Math.round(1000.0 * learner / load) / 1000.0);
    }
    return f;
  }

  private static Double median(List<JsonNode> runs, String field) {
    List<Double> v = new ArrayList<>();
    for (JsonNode r : runs) {
      JsonNode x = r.path("bench").get(field);
      if (x != null && x.isNumber()) v.add(x.asDouble());
    }
    if (v.isEmpty()) return null;
    v.sort(Double::compare);
    int n = v.size();
    return n % 2 == 1 ? v.get(n / 2) : (v.get(n / 2 - 1) + v.get(n / 2)) / 2;
  }

  static List<JsonNode> runs(JsonNode ph) {
    List<JsonNode> out = new ArrayList<>();
    JsonNode runs = ph == null ? null : ph.get("runs");
    if (runs != null && runs.isArray()) runs.forEach(r -> {
      if (r.isObject()) out.add(r);
    });
    return out;
  }
}
