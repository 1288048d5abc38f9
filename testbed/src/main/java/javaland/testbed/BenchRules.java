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
 * The bench scenario (guest/bench.sh): rounds of an EEVDF run then a javaland run in one boot,
 * each run every measurement of guest/bench-workloads.sh. A pure function of the guest's JSON.
 *
 * <p>The checks ask only that the comparison is sound, never that javaland wins:
 * <ul>
 *   <li>{@code eevdf_runs_completed}, {@code javaland_run_completed}: every run of the scheduler
 *       has each measurement with exit 0 and a value (sysbench cpu and threads events/s &gt; 0,
 *       cyclictest samples, the loaded run's hogs exit 0, hackbench time, the server's requests/s,
 *       the CPU share)</li>
 *   <li>{@code eevdf_without_sched_ext}: the state was {@code disabled} around every EEVDF
 *       measurement ({@code eevdf_clean})</li>
 *   <li>per javaland round (its run's {@code scheduler} object; the checks hold for every round):
 *       {@code state_during_enabled}, {@code ops_javaland}, {@code enabled_throughout} (enabled
 *       before and after each measurement, {@code enable_seq} unchanged), {@code stats_present} and
 *       the clean exit of {@link PassRules#cleanExit}</li>
 * </ul>
 *
 * <p>The figures are fields, not checks (measurements under emulation): per figure the
 * <b>median</b> over each scheduler's runs ({@code eevdf}, {@code javaland}), the spread (largest /
 * smallest value, {@code eevdf_spread}, {@code javaland_spread}), and ratios of the medians,
 * javaland / EEVDF: {@code throughput_ratio} (sysbench cpu), {@code threads_ratio} (sysbench
 * threads), {@code hog_throughput_ratio} (the hogs beside cyclictest), {@code hackbench_ratio}
 * (time: lower is better), {@code server_rps_ratio}, {@code server_p50_ratio}, {@code
 * server_p99_ratio}, {@code cpu_share_ratio} (CPU left to {@code stress-ng --cpu}), {@code
 * latency_ratios.idle|loaded.p50|p99|avg} and {@code latency_ratio_p50|p99|avg} (the worse of idle
 * and loaded), {@code loaded_samples_ratio}. {@code targets_met} says for each of {@link #TARGETS}
 * by name whether its ratio holds (null when unknown), {@code targets_all_met} whether all do.
 * From the javaland runs: {@code sched_cpu_ms_per_s}, the scheduler JVM's CPU ms per second of wall
 * time over each run (median, and per measurement), and {@code dispatch_shares}: of the
 * dispatches Java could have decided (all but the exempt), the share Java decided, the share BPF
 * decided by values Java set (the idle fast path, the rules' classes, the wakeup values a policy
 * pushed down), and the share BPF took back (rescues, a full or congested ring), summed over rounds.
 */
final class BenchRules {
  private BenchRules() {}

  /** A target: a ratio of medians, its bound and which side is better. */
  record Target(String name, String ratio, double bound, boolean atMost) {
    Boolean met(Double r) {
      return r == null ? null : atMost ? r <= bound : r >= bound;
    }

    String describe() {
      return ratio + (atMost ? " <= " : " >= ") + bound;
    }
  }

  /** The targets (medians over the rounds of one boot, javaland / EEVDF). */
  static final List<Target> TARGETS = List.of(
      new Target("loaded_p50", "latency_ratios.loaded.p50", 1.0, true),
      new Target("loaded_p99", "latency_ratios.loaded.p99", 1.0, true),
      new Target("idle_p50", "latency_ratios.idle.p50", 1.0, true),
      new Target("idle_p99", "latency_ratios.idle.p99", 1.5, true),
      new Target("sysbench_cpu", "throughput_ratio", 0.95, false),
      new Target("sysbench_threads", "threads_ratio", 0.9, false),
      new Target("hogs_beside_probe", "hog_throughput_ratio", 0.95, false),
      new Target("cpu_share", "cpu_share_ratio", 0.98, false),
      new Target("hackbench", "hackbench_ratio", 0.5, true),
      new Target("server_rps", "server_rps_ratio", 1.0, false),
      new Target("server_p99", "server_p99_ratio", 1.0, true));

  static final String NOTE = "measured under qemu TCG (software emulation): only ratios within this boot mean"
      + " anything; each figure is the median over the rounds, and the spread (largest / smallest) shows how much"
      + " one scheduler's runs moved. targets_met is reported, not judged: the scenario passes when both schedulers'"
      + " runs completed and javaland stayed enabled and exited cleanly in every round. Latency is judged by"
      + " p50/p99, never by max (TCG stalls of 0.4-1.3 s).";

  /** name -> {object in the run, field} */
  static final Map<String, String[]> FIGURES = new LinkedHashMap<>();

  static {
    FIGURES.put("events_per_s", new String[] {"throughput", "events_per_s"});
    FIGURES.put("threads_events_per_s", new String[] {"threads", "events_per_s"});
    for (String load : List.of("idle", "loaded")) {
      for (String f : List.of("p50_us", "p99_us", "avg_us", "max_us", "samples")) {
        FIGURES.put(load + "_" + f, new String[] {"latency_" + load, f});
      }
    }
    FIGURES.put("hog_bogo_ops_per_s", new String[] {"latency_loaded", "hog_bogo_ops_per_s"});
    FIGURES.put("hackbench_s", new String[] {"hackbench", "time_s"});
    FIGURES.put("server_rps", new String[] {"server", "requests_per_s"});
    FIGURES.put("server_p50_us", new String[] {"server", "p50_us"});
    FIGURES.put("server_p99_us", new String[] {"server", "p99_us"});
    FIGURES.put("cpu_share", new String[] {"cpu_share", "cpu_share"});
    FIGURES.put("cpu_bogo_ops_per_s", new String[] {"cpu_share", "bogo_ops_per_s"});
  }

  static void check(JsonNode g, List<Check> c) {
    List<JsonNode> eevdf = PassRules.runs(g, "eevdf");
    List<JsonNode> jl = PassRules.runs(g, "javaland");
    c.add(runsCompleted("eevdf_runs_completed", eevdf));
    JsonNode clean = g.get("eevdf_clean");
    c.add(Check.of("eevdf_without_sched_ext", clean != null && clean.asBoolean(false),
        "eevdf_clean " + (clean == null ? null : clean.asText())));
    c.add(runsCompleted("javaland_run_completed", jl));
    // Each javaland round's scheduler; a result of one round without "scheduler" objects keeps its fields on top.
    List<JsonNode> rounds = new ArrayList<>();
    for (JsonNode r : jl) {
      if (!r.hasNonNull("scheduler") || !r.get("scheduler").isObject()) continue;
      // the boot's sched_ext kernel lines (a stall of any round) count against every round
      ObjectNode s = r.get("scheduler").deepCopy();
      if (!s.has("kernel_log") && g.has("kernel_log")) s.set("kernel_log", g.get("kernel_log"));
      rounds.add(s);
    }
    if (rounds.isEmpty()) rounds.add(g);
    List<List<Check>> per = new ArrayList<>();
    for (JsonNode s : rounds) {
      List<Check> rc = new ArrayList<>();
      JsonNode stats = PassRules.stats(s);
      rc.add(eq("state_during_enabled", str(s, "state_during"), "enabled"));
      rc.add(eq("ops_javaland", str(s, "ops"), "javaland"));
      JsonNode through = s.get("enabled_throughout");
      rc.add(Check.of("enabled_throughout", through != null && through.asBoolean(false),
          "enabled_throughout " + (through == null ? null : through.asText()) + ", enable_seq "
              + num(s, "enable_seq") + " -> " + num(s, "enable_seq_end")));
      rc.add(Check.of("stats_present", stats != null, stats != null ? "JAVALAND_STATS received" : "no JAVALAND_STATS line"));
      PassRules.cleanExit(s, stats, rc);
      per.add(rc);
    }
    // one check per name, failing if it failed in any round (the detail names the rounds)
    for (int k = 0; k < per.getFirst().size(); k++) {
      String name = per.getFirst().get(k).name();
      boolean pass = true;
      List<String> details = new ArrayList<>();
      for (int r = 0; r < per.size(); r++) {
        Check x = per.get(r).get(k);
        pass &= x.pass();
        details.add((per.size() > 1 ? "round " + (r + 1) + ": " : "") + x.detail());
      }
      c.add(Check.of(name, pass, String.join("; ", details)));
    }
  }

  private static Check eq(String name, Object actual, Object want) {
    return Check.of(name, want.equals(actual), actual + (want.equals(actual) ? "" : ", want " + want));
  }

  private static Check runsCompleted(String name, List<JsonNode> runs) {
    if (runs.isEmpty()) return Check.of(name, false, "no run");
    List<String> problems = new ArrayList<>();
    for (JsonNode r : runs) {
      String p = "run " + str(r, "round") + ": ";
      positive(r, "throughput", "events_per_s", p + "sysbench cpu", problems);
      for (String lat : List.of("latency_idle", "latency_loaded")) {
        JsonNode l = r.get(lat);
        Long n = num(l, "samples");
        if (!Long.valueOf(0).equals(num(l, "exit_code")) || n == null || n <= 0 || num(l, "p50_us") == null) {
          problems.add(p + lat + " cyclictest exit " + num(l, "exit_code") + ", samples " + n);
        }
      }
      if (!Long.valueOf(0).equals(num(r.get("latency_loaded"), "hog_exit_code"))) {
        problems.add(p + "stress-ng hog exit " + num(r.get("latency_loaded"), "hog_exit_code"));
      }
      // the measurements added by issue 12: required where the run has them (older results lack them)
      if (r.has("threads")) positive(r, "threads", "events_per_s", p + "sysbench threads", problems);
      if (r.has("hackbench")) positive(r, "hackbench", "time_s", p + "hackbench", problems);
      if (r.has("server")) positive(r, "server", "requests_per_s", p + "server", problems);
      if (r.has("cpu_share")) positive(r, "cpu_share", "cpu_share", p + "stress-ng cpu share", problems);
    }
    return Check.of(name, problems.isEmpty(),
        problems.isEmpty() ? runs.size() + " run(s) with every measurement" : String.join("; ", problems));
  }

  private static void positive(JsonNode run, String object, String field, String what, List<String> problems) {
    JsonNode o = run.get(object);
    Double v = dbl(o, field);
    if (!Long.valueOf(0).equals(num(o, "exit_code")) || v == null || v <= 0) {
      problems.add(what + " exit " + num(o, "exit_code") + ", " + field + " " + v);
    }
  }

  /** The figures (see the class comment). Never null; fields are null when a value is missing. */
  static ObjectNode figures(JsonNode g) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    List<JsonNode> eevdfRuns = PassRules.runs(g, "eevdf");
    List<JsonNode> jlRuns = PassRules.runs(g, "javaland");
    Map<String, Double> e = medians(eevdfRuns);
    Map<String, Double> j = medians(jlRuns);
    putD(o, "throughput_ratio", ratio(j, e, "events_per_s"));
    putD(o, "threads_ratio", ratio(j, e, "threads_events_per_s"));
    putD(o, "hog_throughput_ratio", ratio(j, e, "hog_bogo_ops_per_s"));
    putD(o, "loaded_samples_ratio", ratio(j, e, "loaded_samples"));
    putD(o, "hackbench_ratio", ratio(j, e, "hackbench_s"));
    putD(o, "server_rps_ratio", ratio(j, e, "server_rps"));
    putD(o, "server_p50_ratio", ratio(j, e, "server_p50_us"));
    putD(o, "server_p99_ratio", ratio(j, e, "server_p99_us"));
    putD(o, "cpu_share_ratio", ratio(j, e, "cpu_share"));
    ObjectNode each = o.putObject("latency_ratios");
    for (String q : List.of("p50", "p99", "avg")) {
      Double worst = null;
      boolean known = true;
      for (String load : List.of("idle", "loaded")) {
        Double r = ratio(j, e, load + "_" + q + "_us");
        ObjectNode perLoad = each.has(load) ? (ObjectNode) each.get(load) : each.putObject(load);
        putD(perLoad, q, r);
        if (r == null) known = false;
        else if (worst == null || r > worst) worst = r;
      }
      putD(o, "latency_ratio_" + q, known ? worst : null);
    }
    ObjectNode met = o.putObject("targets_met");
    ObjectNode targets = o.putObject("targets");
    boolean all = true;
    for (Target t : TARGETS) {
      JsonNode v = o;
      for (String part : t.ratio().split("\\.")) v = v == null ? null : v.get(part);
      Boolean m = t.met(v != null && v.isNumber() ? v.asDouble() : null);
      if (m == null) met.putNull(t.name());
      else met.put(t.name(), m);
      all &= Boolean.TRUE.equals(m);
      targets.put(t.name(), t.describe());
    }
    o.put("targets_all_met", all);
    putFigures(o.putObject("eevdf"), e, eevdfRuns.size());
    putFigures(o.putObject("javaland"), j, jlRuns.size());
    spread(o.putObject("eevdf_spread"), eevdfRuns);
    spread(o.putObject("javaland_spread"), jlRuns);
    schedulerCost(o, jlRuns);
    o.put("note", NOTE);
    return o;
  }

  private static void putFigures(ObjectNode o, Map<String, Double> m, int runs) {
    m.forEach((k, v) -> putD(o, k, v));
    o.put("runs", runs);
  }

  private static void spread(ObjectNode o, List<JsonNode> runs) {
    if (runs.size() < 2) return;
    for (String k : List.of("events_per_s", "threads_events_per_s", "idle_p50_us", "idle_p99_us", "loaded_p50_us",
        "loaded_p99_us", "hog_bogo_ops_per_s", "hackbench_s", "server_rps", "server_p99_us", "cpu_share")) {
      Double lo = null;
      Double hi = null;
      for (JsonNode r : runs) {
        Double v = figure(r, k);
        if (v == null) continue;
        lo = lo == null ? v : Math.min(lo, v);
        hi = hi == null ? v : Math.max(hi, v);
      }
      putD(o, k, hi == null || lo == null || lo <= 0 ? null : hi / lo);
    }
  }

  /**
   * The scheduler's own cost and who decided, from the javaland runs: {@code sched_cpu_ms_per_s}
   * (median over runs, overall and per measurement) and {@code dispatch_shares} (summed over rounds).
   */
  private static void schedulerCost(ObjectNode o, List<JsonNode> jlRuns) {
    List<Double> perS = new ArrayList<>();
    Map<String, List<Double>> byM = new LinkedHashMap<>();
    Map<String, Long> paths = new LinkedHashMap<>();
    for (String k : List.of("user_dispatches", "rule_dispatches", "rule_yields", "rule_requeues", "class_dispatches",
        "idle_dispatches", "fallbacks",
        "ring_full", "congested", "exempt_dispatches", "kernel_dispatches")) paths.put(k, 0L);
    boolean anyStats = false;
    for (JsonNode r : jlRuns) {
      JsonNode cpu = r.get("sched_cpu_ms");
      Double total = dbl(cpu, "total_ms");
      Double wall = dbl(cpu, "wall_ms");
      if (total != null && wall != null && wall > 0) perS.add(total * 1000 / wall);
      JsonNode by = cpu == null ? null : cpu.get("by_measurement");
      if (by != null && by.isObject()) {
        by.properties().forEach(en -> {
          Double ms = dbl(en.getValue(), "cpu_ms");
          Double w = dbl(en.getValue(), "wall_ms");
          if (ms != null && w != null && w > 0) byM.computeIfAbsent(en.getKey(), x -> new ArrayList<>()).add(ms * 1000 / w);
        });
      }
      JsonNode stats = PassRules.stats(r.get("scheduler"));
      if (stats == null) continue;
      anyStats = true;
      for (String k : paths.keySet()) {
        Long v = num(stats, k);
        if (v != null) paths.merge(k, v, Long::sum);
      }
    }
    putD(o, "sched_cpu_ms_per_s", median(perS));
    ObjectNode bm = o.putObject("sched_cpu_ms_per_s_by_measurement");
    byM.forEach((k, v) -> putD(bm, k, median(v)));
    ObjectNode shares = o.putObject("dispatch_shares");
    if (!anyStats) return;
    long java = paths.get("user_dispatches");
    long byValues = paths.get("rule_dispatches") + paths.get("rule_yields") + paths.get("rule_requeues")
        + paths.get("class_dispatches") + paths.get("idle_dispatches");
    long rescued = paths.get("fallbacks") + paths.get("ring_full") + paths.get("congested");
    long decidable = java + paths.get("kernel_dispatches") - paths.get("exempt_dispatches");
    putD(shares, "java", decidable > 0 ? (double) java / decidable : null);
    putD(shares, "bpf_by_java_values", decidable > 0 ? (double) byValues / decidable : null);
    putD(shares, "bpf_rescue", decidable > 0 ? (double) rescued / decidable : null);
    ObjectNode counts = shares.putObject("counts");
    paths.forEach(counts::put);
  }

  static Double figure(JsonNode run, String name) {
    String[] where = FIGURES.get(name);
    JsonNode v = run.get(where[0]) == null ? null : run.get(where[0]).get(where[1]);
    return v != null && v.isNumber() ? v.asDouble() : null;
  }

  /** Median of each figure over the runs that have it; figures no run has are left out. */
  static Map<String, Double> medians(List<JsonNode> runs) {
    Map<String, Double> m = new LinkedHashMap<>();
    for (String k : FIGURES.keySet()) {
      List<Double> vs = new ArrayList<>();
      for (JsonNode r : runs) {
        Double v = figure(r, k);
        if (v != null) vs.add(v);
      }
      Double med = median(vs);
      if (med != null) m.put(k, med);
    }
    return m;
  }

  /** The median; the mean of the middle two for an even count (two runs: their mean). */
  static Double median(List<Double> vs) {
    if (vs.isEmpty()) return null;
    List<Double> s = new ArrayList<>(vs);
    s.sort(Double::compare);
    int n = s.size();
    return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
  }

  private static Double ratio(Map<String, Double> j, Map<String, Double> e, String k) {
    Double a = j.get(k);
    Double b = e.get(k);
    return a == null || b == null || b <= 0 ? null : a / b;
  }

  private static void putD(ObjectNode o, String k, Double v) {
    if (v == null) o.putNull(k);
    else o.put(k, Math.round(v * 1000) / 1000.0);
  }
}
