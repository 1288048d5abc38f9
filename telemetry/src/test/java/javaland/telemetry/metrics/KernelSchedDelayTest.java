package javaland.telemetry.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** javaland_sched_delay_seconds from histograms the kernel keeps, one per class. */
class KernelSchedDelayTest {
  private static final long[] BOUNDS = {1_000, 10_000, 1_000_000, Long.MAX_VALUE};

  @Test
  void kernelHistogramsReplaceTheRecordersDelays() {
    DispatchRecorder rec = new DispatchRecorder(List.of("wakeup", "requeue"));
    rec.recordSchedDelay(0, 5_000); // must not be exported once the kernel's are given
    JavalandMetrics m = JavalandMetrics.builder()
        .recorder(rec)
        .kernelSchedDelay("wakeup", () -> new BucketCounts(BOUNDS, new long[] {2, 1, 0, 0}, 9_000, 8_000))
        .kernelSchedDelay("requeue", () -> null) // not attached yet: empty
        .build();
    List<JavalandMetrics.NamedHistogram> delays = m.histograms().stream()
        .filter(h -> h.meter() == MeterNames.SCHED_DELAY).toList();
    assertEquals(List.of("wakeup", "requeue"), delays.stream().map(JavalandMetrics.NamedHistogram::taskClass).toList());
    assertEquals(3, delays.get(0).data().count());
    assertEquals(9_000, delays.get(0).data().sumNs());
    assertEquals(0, delays.get(1).data().count());
  }

  @Test
  void aClassGivenTwiceIsRefused() {
    JavalandMetrics.Builder b = JavalandMetrics.builder().kernelSchedDelay("wakeup", () -> null);
    assertThrows(IllegalArgumentException.class, () -> b.kernelSchedDelay("wakeup", () -> null));
  }
}
