package javaland.testbed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Pass rules of the {@code soak} benchmark (guest/soak.sh): the scheduler with its learner child
 * for {@code soak_min} minutes of changing load, one sample every {@code sample_s} seconds. The
 * first {@value #WARMUP_SHARE} of the samples (at least one) are the warm-up: the JIT, class
 * loading, the learner's first windows and its heap finding its size; the memory and loss checks
 * read only what comes after.
 * <ul>
 *   <li>{@code ops_javaland}: the scheduler was enabled, as javaland</li>
 *   <li>{@code samples_cover_run}: at least {@value #MIN_SAMPLES} samples, the last at least
 *       {@code soak_min} minutes (less one period) after the first</li>
 *   <li>{@code no_unload}: every sample saw the state {@code enabled}, the API's {@code attached}
 *       and the {@code enable_seq} of the enable: no stall exit, no unload and restart</li>
 *   <li>{@code learner_ran}: the learner child started once and was alive (an RSS) in every
 *       sample after the warm-up</li>
 *   <li>{@code samples_answered}: at most a tenth (at least one) of the samples after the warm-up
 *       lack the figures of /status or /metrics (the request timed out after 20 s: under
 *       emulation and load the control plane's event loop was seen blocked for 48 s); the checks
 *       below read the samples that have their figure</li>
 *   <li>{@code sched_rss_bounded}, {@code learner_rss_bounded}: after the warm-up, the
 *       least-squares slope of RSS over the second half is below {@value #SCHED_RSS_SLOPE_MB}
 *       (scheduler) or {@value #LEARNER_RSS_SLOPE_MB} (learner) MB per 10 minutes, and the last
 *       sample is at most {@value #GROWTH_FACTOR} times the largest of the first half</li>
 *   <li>{@code heap_floor_bounded}: the smallest heap used of the second half is at most
 *       {@value #GROWTH_FACTOR} times that of the first half plus {@value #HEAP_SLACK_MB} MB. The
 *       floor, not a slope: a sample falls anywhere on the collector's sawtooth (the young
 *       generation fills and empties every few seconds), what survives collections is the floor</li>
 *   <li>{@code direct_bounded}: the last direct buffer memory is at most {@value #GROWTH_FACTOR}
 *       times the largest of the first half plus {@value #DIRECT_SLACK_MB} MB</li>
 *   <li>{@code losses_not_growing}: tasks the kernel rescued or dispatched alone for lack of Java
 *       (fallbacks + ring_full + dropped_decisions) as a share of the tasks queued to Java: over
 *       the second half at most twice that of the first half, or {@value #LOSS_SHARE_FLOOR} of
 *       them (a small absolute share is noise under emulation, whatever its ratio)</li>
 *   <li>{@code workloads_exit_0}: every run of every kind exited 0, and each kind of
 *       {@link #KINDS} ran at least once</li>
 *   <li>the clean exit of {@link PassRules#cleanExit}</li>
 * </ul>
 * Why these bounds: the scheduler's heap is fixed and pre-touched ({@code -Xms = -Xmx},
 * {@code AlwaysPreTouch}) and its memory locked, so its RSS changes only by native memory
 * (threads, code cache, metaspace, direct buffers, Vert.x's pools); {@value #SCHED_RSS_SLOPE_MB}
 * MB per 10 minutes, about 12 MB an hour of a JVM of about 200 MB, lets the code cache and
 * malloc arenas settle yet catches a leak of even 10 bytes per decision at the thousand-odd
 * decisions a second this VM makes. The learner's heap is not pre-touched and grows until its
 * collector settles, hence its looser bound. The factor {@value #GROWTH_FACTOR} and the slacks
 * catch a step a slope over a short run would hide. They are first guesses, to be narrowed once
 * several 30-minute runs have shown the noise.
 *
 * <p>Figures (reported, not judged): the slopes and the first and last values of each series
 * (and of the learner's heap, from its own /metrics, when it serves one),
 * the delay p99 (the kernel's histogram since the attach) at the end of the warm-up and at the end.
 */
final class SoakRules {
  static final double WARMUP_SHARE = 0.2;
  static final int MIN_SAMPLES = 4;
  static final double SCHED_RSS_SLOPE_MB = 2.0;
  static final double LEARNER_RSS_SLOPE_MB = 8.0;
  static final double GROWTH_FACTOR = 1.2;
  static final double HEAP_SLACK_MB = 4.0;
  static final double DIRECT_SLACK_MB = 1.0;
  static final double LOSS_SHARE_FLOOR = 0.01;
  static final Set<String> KINDS = Set.of("cpu", "sleepers", "hackbench", "server");

  private SoakRules() {}

  static void check(JsonNode g, List<Check> c) {
    c.add(Check.of("ops_javaland", "javaland".equals(PassRules.str(g, "ops")), "ops " + PassRules.str(g, "ops")));
    List<JsonNode> s = samples(g);
    Long soakMin = PassRules.num(g, "soak_min");
    Long period = PassRules.num(g, "sample_s");
    double span = s.size() < 2 ? 0 : t(s.getLast()) - t(s.getFirst());
    double want = soakMin == null ? Double.MAX_VALUE : soakMin * 60.0 - (period == null ? 0 : period);
    c.add(Check.of("samples_cover_run", s.size() >= MIN_SAMPLES && span >= want,
        s.size() + " samples over " + Math.round(span) + " s, want >= " + MIN_SAMPLES + " over >= " + Math.round(want) + " s"));

    Long seq = PassRules.num(g, "enable_seq");
    String unload = null;
    for (JsonNode x : s) {
      Long xs = PassRules.num(x, "enable_seq");
      boolean attached = !x.hasNonNull("attached") || x.get("attached").asBoolean();
      if (!"enabled".equals(PassRules.str(x, "state")) || !attached || seq == null || !seq.equals(xs)) {
        unload = "at t=" + Math.round(t(x)) + " s: state " + PassRules.str(x, "state") + ", attached " + attached
            + ", enable_seq " + xs + " (enable " + seq + ")";
        break;
      }
    }
    c.add(Check.of("no_unload", !s.isEmpty() && unload == null, unload != null ? unload : s.size() + " samples enabled, enable_seq " + seq));

    List<JsonNode> warm = afterWarmup(s);
    Long restarts = PassRules.num(g, "learner_restarts");
    long missing = warm.stream().filter(x -> !x.hasNonNull("learner_rss_kib")).count();
    c.add(Check.of("learner_ran", Long.valueOf(1).equals(restarts) && !warm.isEmpty() && missing == 0,
        "learner started " + restarts + " time(s), no RSS in " + missing + " of " + warm.size() + " samples after the warm-up"));

    long unanswered = warm.stream().filter(x -> !x.hasNonNull("queued") || !x.hasNonNull("heap_kib")).count();
    long allowed = Math.max(1, warm.size() / 10);
    c.add(Check.of("samples_answered", !warm.isEmpty() && unanswered <= allowed,
        unanswered + " of " + warm.size() + " samples after the warm-up without /status or /metrics figures, at most " + allowed));

    c.add(rss("sched_rss_bounded", with(warm, "sched_rss_kib"), "sched_rss_kib", SCHED_RSS_SLOPE_MB));
    c.add(rss("learner_rss_bounded", with(warm, "learner_rss_kib"), "learner_rss_kib", LEARNER_RSS_SLOPE_MB));

    List<JsonNode> heapSamples = with(warm, "heap_kib");
    List<JsonNode> first = firstHalf(heapSamples);
    List<JsonNode> second = secondHalf(heapSamples);
    double floor1 = min(first, "heap_kib") / 1024;
    double floor2 = min(second, "heap_kib") / 1024;
    boolean heapKnown = !Double.isNaN(floor1) && !Double.isNaN(floor2);
    double heapBound = floor1 * GROWTH_FACTOR + HEAP_SLACK_MB;
    c.add(Check.of("heap_floor_bounded", heapKnown && floor2 <= heapBound,
        String.format(Locale.ROOT, "heap floor %.1f MB (first half) -> %.1f MB (second half), bound %.1f MB", floor1, floor2, heapBound)));

    List<JsonNode> directSamples = with(warm, "direct_kib");
    double directMax = max(firstHalf(directSamples), "direct_kib") / 1024;
    double directLast = directSamples.isEmpty() ? Double.NaN : kib(directSamples.getLast(), "direct_kib") / 1024;
    double directBound = directMax * GROWTH_FACTOR + DIRECT_SLACK_MB;
    c.add(Check.of("direct_bounded", !Double.isNaN(directMax) && !Double.isNaN(directLast) && directLast <= directBound,
        String.format(Locale.ROOT, "direct memory last %.2f MB, bound %.2f MB (first half's largest %.2f MB)", directLast, directBound, directMax)));

    List<JsonNode> counted = with(warm, "queued");
    first = firstHalf(counted);
    second = secondHalf(counted);
    double share1 = lossShare(first.isEmpty() ? List.of() : List.of(first.getFirst(), first.getLast()));
    double share2 = lossShare(second.isEmpty() ? List.of() : List.of(first.isEmpty() ? second.getFirst() : first.getLast(), second.getLast()));
    double lossBound = Math.max(2 * share1, LOSS_SHARE_FLOOR);
    c.add(Check.of("losses_not_growing", !Double.isNaN(share1) && !Double.isNaN(share2) && share2 <= lossBound,
        String.format(Locale.ROOT, "lost/queued %.4f (first half) -> %.4f (second half), bound %.4f", share1, share2, lossBound)));

    c.add(workloads(g.get("runs")));
    PassRules.cleanExit(g, PassRules.stats(g), c);
  }

  /** The figures of the result: each series' first and last value after the warm-up, slopes, delay p99. */
  static ObjectNode figures(JsonNode g) {
    ObjectNode f = JsonNodeFactory.instance.objectNode();
    List<JsonNode> s = samples(g);
    List<JsonNode> warm = afterWarmup(s);
    f.put("samples", s.size()).put("warmup_samples", s.size() - warm.size());
    for (String k : List.of("sched_rss_kib", "learner_rss_kib", "heap_kib", "direct_kib", "learner_heap_kib")) {
      List<JsonNode> v = with(warm, k);
      if (v.isEmpty()) continue;
      ObjectNode o = f.putObject(k.replace("_kib", "_mb"));
      put(o, "first", kib(v.getFirst(), k) / 1024);
      put(o, "last", kib(v.getLast(), k) / 1024);
      put(o, "slope_mb_per_10min", slopeMbPer10Min(secondHalf(v), k));
    }
    if (!warm.isEmpty()) {
      f.put("delay_p99_us_after_warmup", PassRules.num(warm.getFirst(), "delay_p99_us"));
      f.put("delay_p99_us_last", PassRules.num(warm.getLast(), "delay_p99_us"));
      f.put("commits", PassRules.num(s.getLast(), "commits")).put("rollbacks", PassRules.num(s.getLast(), "rollbacks"));
    }
    return f;
  }

  private static Check rss(String name, List<JsonNode> warm, String key, double slopeBound) {
    List<JsonNode> first = firstHalf(warm);
    double slope = slopeMbPer10Min(secondHalf(warm), key);
    double firstMax = max(first, key) / 1024;
    double last = warm.isEmpty() ? Double.NaN : kib(warm.getLast(), key) / 1024;
    boolean ok = !Double.isNaN(slope) && !Double.isNaN(last) && !Double.isNaN(firstMax)
        && slope < slopeBound && last <= firstMax * GROWTH_FACTOR;
    return Check.of(name, ok, String.format(Locale.ROOT,
        "second half %.2f MB/10 min (bound %.1f), last %.1f MB, first half's largest %.1f MB (bound x%.1f)",
        slope, slopeBound, last, firstMax, GROWTH_FACTOR));
  }

  private static Check workloads(JsonNode runs) {
    List<String> bad = new ArrayList<>();
    List<String> ran = new ArrayList<>();
    if (runs != null && runs.isObject()) {
      runs.fields().forEachRemaining(e -> {
        Long n = PassRules.num(e.getValue(), "runs");
        Long failed = PassRules.num(e.getValue(), "failed");
        if (n != null && n > 0) ran.add(e.getKey());
        if (failed == null || failed != 0) {
          bad.add(e.getKey() + " " + failed + "/" + n + " failed (first exit " + PassRules.num(e.getValue(), "first_rc") + ")");
        }
      });
    }
    List<String> never = KINDS.stream().filter(k -> !ran.contains(k)).sorted().toList();
    return Check.of("workloads_exit_0", bad.isEmpty() && never.isEmpty(),
        (bad.isEmpty() ? "every run exited 0" : String.join(", ", bad)) + (never.isEmpty() ? "" : "; never ran: " + never));
  }

  static List<JsonNode> samples(JsonNode g) {
    List<JsonNode> out = new ArrayList<>();
    JsonNode a = g == null ? null : g.get("samples");
    if (a != null && a.isArray()) a.forEach(x -> { if (x.isObject()) out.add(x); });
    return out;
  }

  /** The samples that have KEY: a sample whose HTTP request timed out has none of its figures. */
  static List<JsonNode> with(List<JsonNode> s, String key) {
    return s.stream().filter(x -> x.hasNonNull(key) && x.get(key).isNumber()).toList();
  }

  static List<JsonNode> afterWarmup(List<JsonNode> s) {
    int skip = s.isEmpty() ? 0 : Math.max(1, (int) Math.ceil(s.size() * WARMUP_SHARE));
    return s.size() <= skip ? List.of() : s.subList(skip, s.size());
  }

  static List<JsonNode> firstHalf(List<JsonNode> s) {
    return s.subList(0, (s.size() + 1) / 2);
  }

  static List<JsonNode> secondHalf(List<JsonNode> s) {
    return s.subList(s.size() / 2, s.size());
  }

  /** Least-squares slope of KEY (KiB) against t (s), in MB per 10 minutes; NaN with fewer than 2 points or a missing value. */
  static double slopeMbPer10Min(List<JsonNode> s, String key) {
    int n = s.size();
    if (n < 2) return Double.NaN;
    double st = 0, sv = 0;
    for (JsonNode x : s) {
      double v = kib(x, key);
      if (Double.isNaN(v)) return Double.NaN;
      st += t(x);
      sv += v;
    }
    double mt = st / n, mv = sv / n, num = 0, den = 0;
    for (JsonNode x : s) {
      num += (t(x) - mt) * (kib(x, key) - mv);
      den += (t(x) - mt) * (t(x) - mt);
    }
    return den == 0 ? Double.NaN : num / den * 600 / 1024;
  }

  /** Lost (fallbacks + ring_full + dropped_decisions) per queued between two samples; NaN when unknown or nothing queued. */
  static double lossShare(List<JsonNode> ends) {
    if (ends.size() != 2) return Double.NaN;
    double queued = kib(ends.get(1), "queued") - kib(ends.get(0), "queued");
    double lost = lost(ends.get(1)) - lost(ends.get(0));
    return queued > 0 && !Double.isNaN(lost) ? lost / queued : Double.NaN;
  }

  private static double lost(JsonNode x) {
    double d = x.hasNonNull("dropped_decisions") ? kib(x, "dropped_decisions") : 0;
    return kib(x, "fallbacks") + kib(x, "ring_full") + d;
  }

  private static double t(JsonNode x) {
    return x.path("t").asDouble();
  }

  /** A number of the sample (whatever its unit), NaN when missing. */
  private static double kib(JsonNode x, String key) {
    JsonNode v = x.get(key);
    return v != null && v.isNumber() ? v.asDouble() : Double.NaN;
  }

  private static double min(List<JsonNode> s, String key) {
    double m = Double.NaN;
    for (JsonNode x : s) {
      double v = kib(x, key);
      if (Double.isNaN(v)) return Double.NaN;
      m = Double.isNaN(m) ? v : Math.min(m, v);
    }
    return m;
  }

  private static double max(List<JsonNode> s, String key) {
    double m = Double.NaN;
    for (JsonNode x : s) {
      double v = kib(x, key);
      if (Double.isNaN(v)) return Double.NaN;
      m = Double.isNaN(m) ? v : Math.max(m, v);
    }
    return m;
  }

  /** Two decimals; null for an unknown value (NaN is not JSON). */
  private static void put(ObjectNode o, String key, double v) {
    if (Double.isNaN(v)) o.putNull(key);
    else o.put(key, Math.round(v * 100) / 100.0);
  }
}
