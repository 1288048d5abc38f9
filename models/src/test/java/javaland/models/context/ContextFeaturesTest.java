package javaland.models.context;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import javaland.models.context.ContextFeatures.WorkloadClass;
import javaland.models.telemetry.TelemetrySnapshot;
import javaland.models.telemetry.TelemetryWindow;
import org.junit.jupiter.api.Test;

class ContextFeaturesTest {
  static final long[] UPPER = {1_000, 10_000, 100_000};

  static TelemetrySnapshot snap(long ns, long wakeups, double psiUs, long busyNs, long depth) {
    return new TelemetrySnapshot(ns, 0, 1, 0, 0, 0, 0, depth, false, UPPER,
        Map.of("wakeup", new long[] {wakeups, 0, 0}), Map.of("cpu.some", psiUs), 4, busyNs);
  }

  @Test
  void featuresComeFromTheWindowInTheirFixedOrder() {
    // 1 s, 4 CPUs: 4000 wakeups (1000/s per CPU), 0.25 s of cpu.some, 2 CPU-seconds busy, 64 waiting
    TelemetryWindow w = TelemetryWindow.between(snap(0, 0, 0, 0, 0), snap(1_000_000_000L, 4000, 250_000, 2_000_000_000L, 64));
    ContextFeatures f = ContextFeatures.of(w, 4);
    assertEquals(0.5, w.utilisation(), 1e-12);
    assertArrayEquals(new double[] {1, 0.5, 0.25, 0.5, 0.5, 0, 1, 0, 0}, f.toArray(), 1e-12);
    assertEquals("cpu_pressure", ContextFeatures.NAMES.get(2));
    assertEquals(ContextFeatures.SIZE, f.toArray().length);
  }

  @Test
  void classesFollowTheirDocumentedThresholds() {
    assertEquals(WorkloadClass.IDLE, ContextFeatures.classify(0.01, 10));
    assertEquals(WorkloadClass.INTERACTIVE, ContextFeatures.classify(0.3, 500));
    assertEquals(WorkloadClass.BATCH, ContextFeatures.classify(0.95, 20));
    assertEquals(WorkloadClass.MIXED, ContextFeatures.classify(0.9, 800));
    assertEquals(WorkloadClass.MIXED, ContextFeatures.classify(0.4, 100));
  }

  @Test
  void unknownUtilisationCountsAsZero() {
    TelemetrySnapshot a = new TelemetrySnapshot(0, 0, 1, 0, 0, 0, 0, 0, false, UPPER, Map.of(), Map.of());
    TelemetrySnapshot b = new TelemetrySnapshot(500_000_000L, 0, 1, 0, 0, 0, 0, 0, false, UPPER, Map.of(), Map.of());
    TelemetryWindow w = TelemetryWindow.between(a, b);
    assertEquals(Double.NaN, w.utilisation());
    ContextFeatures f = ContextFeatures.of(w, 2);
    assertEquals(0.0, f.utilisation());
    assertEquals(WorkloadClass.IDLE, f.workloadClass());
  }
}
