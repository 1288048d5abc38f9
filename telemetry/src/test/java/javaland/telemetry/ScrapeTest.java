package javaland.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javaland.telemetry.metrics.JavalandMetrics;
import javaland.telemetry.metrics.MeterNames;
import org.junit.jupiter.api.Test;

class ScrapeTest {
  private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*\\})? (\\S+)$");

  /** name{labels} -> value, from the text format. */
  static Map<String, Double> samples(String body) {
    Map<String, Double> out = new LinkedHashMap<>();
    for (String line : body.split("\n")) {
      if (line.startsWith("#") || line.isBlank()) continue;
      Matcher m = SAMPLE.matcher(line);
      assertTrue(m.matches(), "not a sample line: " + line);
      out.put(m.group(1) + (m.group(2) == null ? "" : m.group(2)), Double.parseDouble(m.group(3)));
    }
    return out;
  }

  @Test
  void scrapeHasEveryJavalandMetric() throws Exception {
    Fixtures f = new Fixtures(true);
    f.record();
    try (Telemetry t = f.telemetry(Map.of())) {
      assertTrue(t.otlp().isEmpty(), "no OTEL_* set: no OTLP");
      String body = t.scrape();
      Files.createDirectories(Path.of("target"));
      Files.writeString(Path.of("target/scrape.txt"), body);
      Map<String, Double> s = samples(body);
      assertEquals(1000.0, s.get("javaland_dispatches_total{path=\"user\"}"));
      assertEquals(500.0, s.get("javaland_dispatches_total{path=\"kernel\"}"));
      assertEquals(3.0, s.get("javaland_dispatches_total{path=\"cancelled\"}"));
      assertEquals(2.0, s.get("javaland_dispatches_total{path=\"fallback\"}"));
      assertEquals(1.0, s.get("javaland_dispatches_total{path=\"bounced\"}"));
      assertEquals(10.0, s.get("javaland_batches_total"));
      assertEquals(1000.0, s.get("javaland_decisions_total"));
      assertEquals(0.0005, s.get("javaland_decide_seconds_total"), 1e-12);
      assertEquals(7.0, s.get("javaland_queue_depth{queue=\"ring\"}"));
      assertEquals(3.0, s.get("javaland_policy_version"));
      // histograms: le buckets cumulative, +Inf = count
      assertEquals(1000.0, s.get("javaland_roundtrip_seconds_count"));
      assertEquals(1000.0, s.get("javaland_roundtrip_seconds_bucket{le=\"+Inf\"}"));
      assertEquals(0.0, s.get("javaland_roundtrip_seconds_bucket{le=\"1.0E-5\"}"));
      assertEquals(1000.0, s.get("javaland_roundtrip_seconds_bucket{le=\"1.0E-4\"}"));
      double sum = 0;
      for (int i = 0; i < 1000; i++) sum += (20_000 + (i % 60) * 1_000L) / 1e9;
      assertEquals(sum, s.get("javaland_roundtrip_seconds_sum"), 1e-9);
      assertEquals(334.0, s.get("javaland_sched_delay_seconds_count{class=\"normal\"}"));
      assertEquals(333.0, s.get("javaland_sched_delay_seconds_count{class=\"low\"}"));
      assertEquals(0.0, s.get("javaland_sched_delay_seconds_count{class=\"other\"}"));
      assertTrue(body.contains("# TYPE javaland_roundtrip_seconds histogram"));
      assertTrue(body.contains("# TYPE javaland_sched_delay_seconds histogram"));
      assertTrue(body.contains("# TYPE javaland_dispatches_total counter"));
      // PSI
      assertTrue(s.containsKey("javaland_psi_stall_seconds_total{kind=\"some\",resource=\"cpu\",scope=\"system\"}"), body);
      assertTrue(s.get("javaland_psi_stall_seconds_total{kind=\"some\",resource=\"cpu\",scope=\"system\"}") > 0);
      double avg10 = s.get("javaland_psi_avg10_ratio{kind=\"some\",resource=\"cpu\",scope=\"system\"}");
      assertTrue(avg10 >= 0 && avg10 <= 1, "avg10 as ratio: " + avg10);
      assertTrue(s.containsKey("javaland_psi_avg300_ratio{kind=\"full\",resource=\"memory\",scope=\"system\"}"));
      // JVM meters too
      assertTrue(s.keySet().stream().anyMatch(k -> k.startsWith("jvm_memory_used_bytes")));
      assertEquals(1.0, s.get("javaland_canary_state"));
      assertEquals(1.0, s.get("javaland_canary_status{state=\"canary\"}"), "state 1 is 'canary', as a label");
      assertEquals(0.0, s.get("javaland_canary_status{state=\"idle\"}"));
      assertEquals(0.0, s.get("javaland_canary_status{state=\"rolled_back\"}"));
      assertEquals(1.0, s.get("javaland_build_info{commit=\"0123456789abcdef0123456789abcdef01234567\",dirty=\"false\",java=\""
          + Runtime.version() + "\",version=\"1.2.3\"}"), body);
      assertEquals(1.0, s.get("javaland_attached{kernel=\"simulated\"}"));
      assertEquals(0.0, s.get("javaland_attached{kernel=\"sched_ext\"}"));
      assertEquals(2.0, s.get("javaland_rollbacks_total{reason=\"delay_p99\"}"));
      assertEquals(0.0, s.get("javaland_rollbacks_total{reason=\"timeout\"}"), "present before the first one");
      assertEquals(4.0, s.get("javaland_faults_total{kind=\"threw\"}"));
      assertEquals(0.0, s.get("javaland_faults_total{kind=\"slice_clamped\"}"), "present before the first one");
      assertEquals(2.0, s.get("javaland_restarts_total{event=\"unload\"}"));
      assertEquals(1.0, s.get("javaland_restarts_total{event=\"restart\"}"));
      assertEquals(0.0, s.get("javaland_restarts_total{event=\"give_up\"}"), "present before the first one");
      assertEquals(3.0, s.get("javaland_learned_classes{class=\"batch\",state=\"committed\"}"), body);
      assertEquals(0.0, s.get("javaland_learned_classes{class=\"latency-critical\",state=\"canary\"}"), "present before the first one");
      // every javaland meter's name appears (queue depth etc. included)
      for (MeterNames m : MeterNames.values()) {
        if (m.learner()) continue; // the learner's process serves those
        assertTrue(body.contains("\n" + m.prometheusName()), "missing " + m.prometheusName());
      }
      // the sums go on
      f.user.set(1234);
      f.rollbacks.put("timeout", 1L);
      f.canaryState.set(3);
      f.attachedTo.set(null); // the kernel unloaded the scheduler
      f.record();
      Thread.sleep(250); // past the 200 ms source cache
      Map<String, Double> s2 = samples(t.scrape());
      assertEquals(1234.0, s2.get("javaland_dispatches_total{path=\"user\"}"));
      assertEquals(1.0, s2.get("javaland_rollbacks_total{reason=\"timeout\"}"));
      assertEquals(2000.0, s2.get("javaland_roundtrip_seconds_count"));
      assertEquals(1.0, s2.get("javaland_canary_status{state=\"rolled_back\"}"));
      assertEquals(0.0, s2.get("javaland_canary_status{state=\"canary\"}"));
      assertEquals(0.0, s2.get("javaland_attached{kernel=\"simulated\"}"), "detached: every kernel 0");
    }
  }

  @Test
  void acceptHeaderPicksTheFormat() {
    Fixtures f = new Fixtures(false);
    try (Telemetry t = f.telemetry(Map.of())) {
      Telemetry.Scrape text = t.scrape((String) null);
      assertTrue(text.contentType().startsWith("text/plain; version=0.0.4"), text.contentType());
      Telemetry.Scrape om = t.scrape("application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5");
      assertTrue(om.contentType().startsWith("application/openmetrics-text"), om.contentType());
      assertTrue(om.text().endsWith("# EOF\n"));
      assertTrue(om.text().contains("# UNIT javaland_roundtrip_seconds seconds"), "OpenMetrics carries units");
    }
  }

  @Test
  void aFailingSourceDoesNotFailTheScrape() {
    StringBuilder warnings = new StringBuilder();
    JavalandMetrics m = JavalandMetrics.builder()
        .dispatches(() -> {
          throw new IllegalStateException("kernel gone");
        })
        .queueDepth("ring", () -> {
          throw new IllegalStateException("no ring");
        })
        .warnings(w -> warnings.append(w).append('\n'))
        .build();
    try (Telemetry t = Telemetry.builder().metrics(m).environment(Map.of()).jvmMetrics(false).build()) {
      Map<String, Double> s = samples(t.scrape());
      assertEquals(0.0, s.get("javaland_dispatches_total{path=\"user\"}"));
      assertTrue(Double.isNaN(s.get("javaland_queue_depth{queue=\"ring\"}")));
      assertTrue(warnings.toString().contains("kernel gone"), warnings.toString());
      assertFalse(t.scrape().contains("javaland_roundtrip_seconds"), "no recorder, no histogram");
    }
  }
}
