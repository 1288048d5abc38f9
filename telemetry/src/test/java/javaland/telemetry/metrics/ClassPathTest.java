package javaland.telemetry.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/**
 * Exactly one Prometheus client library version on the class path (java-stack-facts.md: a
 * second prometheus-metrics version, e.g. from OpenTelemetry's Prometheus exporter, makes every
 * scrape throw NoSuchMethodError), and no old simpleclient. Reads each jar's Maven metadata.
 */
class ClassPathTest {
  @Test
  void oneVersionOfThePrometheusClient() throws IOException {
    String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    Map<String, String> prometheus = new TreeMap<>();
    for (String entry : cp.split(File.pathSeparator)) {
      if (!entry.endsWith(".jar")) continue;
      try (JarFile jar = new JarFile(entry)) {
        var it = jar.entries();
        while (it.hasMoreElements()) {
          String name = it.nextElement().getName();
          if (name.startsWith("META-INF/maven/io.prometheus/") && name.endsWith("/pom.properties")) {
            Properties p = new Properties();
            try (InputStream in = jar.getInputStream(jar.getEntry(name))) {
              p.load(in);
            }
            prometheus.put(p.getProperty("artifactId"), p.getProperty("version"));
          }
        }
      }
    }
    System.out.println("io.prometheus artifacts on the class path: " + prometheus);
    assertTrue(prometheus.containsKey("prometheus-metrics-core"), "micrometer-registry-prometheus brings the client");
    assertTrue(prometheus.keySet().stream().noneMatch(a -> a.startsWith("simpleclient")), "the old 0.x client: " + prometheus);
    assertEquals(1, prometheus.values().stream().distinct().count(), "more than one Prometheus client version: " + prometheus);
  }
}
