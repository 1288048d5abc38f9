package javaland.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javaland.telemetry.metrics.MeterNames;
import org.junit.jupiter.api.Test;

/**
 * The shipped rules, {@code deploy/prometheus/javaland-rules.yml}: valid for Prometheus ({@code promtool
 * check rules}, and {@code check config} of the prometheus.yml that loads them), right on the series
 * their unit tests feed ({@code promtool test rules deploy/prometheus/javaland-rules.test.yml}), every
 * alert tested there firing at least once, and every javaland series they read one the runtime exports.
 * promtool comes with Debian's {@code prometheus} package, which {@code ./javaland deps} and
 * {@code ./javaland test} install; without it the promtool half is skipped and says why.
 */
class PrometheusRulesTest {
  private static final Path DIR = Path.of("../deploy/prometheus");
  private static final Pattern SERIES = Pattern.compile("\\b(javaland_[a-z0-9_]+)");

  @Test
  void everyAlertIsTestedAndEverySeriesExists() throws Exception {
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    JsonNode rules = yaml.readTree(DIR.resolve("javaland-rules.yml").toFile());
    JsonNode tests = yaml.readTree(DIR.resolve("javaland-rules.test.yml").toFile());
    Set<String> alerts = new TreeSet<>();
    Set<String> records = new TreeSet<>();
    List<String> exprs = new ArrayList<>();
    for (JsonNode group : rules.path("groups")) {
      for (JsonNode r : group.path("rules")) {
        if (r.has("alert")) alerts.add(r.get("alert").asText());
        if (r.has("record")) records.add(r.get("record").asText());
        exprs.add(r.path("expr").asText());
      }
    }
    assertTrue(alerts.containsAll(Set.of("JavalandDown", "JavalandNotAttached", "JavalandStallRevert",
        "JavalandHighFallbackRate", "JavalandFrequentRollbacks", "JavalandLearnerDown")), alerts.toString());
    Set<String> firingInTests = new TreeSet<>();
    for (JsonNode t : tests.path("tests")) {
      for (JsonNode a : t.path("alert_rule_test")) {
        if (!a.path("exp_alerts").isEmpty()) firingInTests.add(a.path("alertname").asText());
      }
    }
    assertEquals(alerts, firingInTests, "every alert has a case in javaland-rules.test.yml where it fires");

    Set<String> exported = Stream.of(MeterNames.values()).filter(m -> !m.learner())
        .flatMap(m -> m.kind() == MeterNames.Kind.HISTOGRAM
            ? Stream.of(m.prometheusName() + "_bucket", m.prometheusName() + "_count", m.prometheusName() + "_sum")
            : Stream.of(m.prometheusName()))
        .collect(Collectors.toSet());
    for (String e : exprs) {
      Matcher m = SERIES.matcher(e);
      while (m.find()) assertTrue(exported.contains(m.group(1)), "the rules read " + m.group(1) + ", which the runtime does not export: " + e);
    }
    for (String r : records) assertTrue(r.matches("javaland:[a-z0-9_]+:[a-z0-9_]+"), "level:metric:operations naming: " + r);
    assertTrue(Files.readString(DIR.resolve("prometheus.yml")).contains("\n  - javaland-rules.yml\n"),
        "prometheus.yml loads the rules (rule_files)");
  }

  @Test
  void promtoolChecksTheRulesAndTheirUnitTestsPass() throws Exception {
    Path promtool = Stream.of("/usr/bin/promtool", "/usr/local/bin/promtool").map(Path::of).filter(Files::isExecutable)
        .findFirst().orElse(null);
    assumeTrue(promtool != null, "promtool is missing: install Debian's prometheus package (./javaland deps does)");
    String check = run(promtool.toString(), "check", "rules", "javaland-rules.yml");
    assertTrue(check.contains("SUCCESS"), check);
    String config = run(promtool.toString(), "check", "config", "prometheus.yml");
    assertTrue(config.contains("1 rule files found"), config);
    String test = run(promtool.toString(), "test", "rules", "javaland-rules.test.yml");
    assertTrue(test.contains("SUCCESS") && !test.contains("FAILED"), test);
  }

  /** Runs a command in deploy/prometheus; its output, after asserting exit 0. */
  private static String run(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).directory(DIR.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), String.join(" ", cmd) + " did not finish");
    assertEquals(0, p.exitValue(), String.join(" ", cmd) + ":\n" + out);
    return out;
  }
}
