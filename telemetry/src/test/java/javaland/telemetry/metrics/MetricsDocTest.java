package javaland.telemetry.metrics;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/metrics.md lists every meter of {@link MeterNames}, under both of its names, with its unit. */
class MetricsDocTest {
  @Test
  void everyMeterIsDocumented() throws IOException {
    Path doc = Path.of("../docs/metrics.md");
    String text = Files.readString(doc);
    for (MeterNames m : MeterNames.values()) {
      String row = text.lines().filter(l -> l.startsWith("| `" + m.prometheusName() + "`")).findFirst()
          .orElseThrow(() -> new AssertionError(doc + " has no table row starting with `" + m.prometheusName() + "`"));
      assertTrue(row.contains("`" + m.meterName() + "`"), "the row of " + m.prometheusName() + " names the OTLP name " + m.meterName());
      assertTrue(row.contains("`" + m.otlpUnit() + "`"), "the row of " + m.prometheusName() + " gives the OTLP unit " + m.otlpUnit());
    }
  }
}
