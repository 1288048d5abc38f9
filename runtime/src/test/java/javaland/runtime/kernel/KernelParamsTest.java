package javaland.runtime.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import javaland.models.params.ParameterException;
import org.junit.jupiter.api.Test;

/** The kernel half's knobs: declared once, read in the units the BPF program uses. */
class KernelParamsTest {
  @Test
  void defaultsComeFromTheDeclarationsInWireUnits() {
    KernelParams d = KernelParams.defaults();
    assertEquals(5_000_000L, d.get(KernelKnob.SLICE), "kernel.slice_us 5000 us in ns");
    assertEquals(100_000_000L, d.get(KernelKnob.RESCUE), "kernel.rescue_ms 100 ms in ns");
    assertTrue(d.on(KernelKnob.IDLE_FASTPATH));
    assertTrue(d.on(KernelKnob.WAKEUP_PREEMPT));
    assertEquals(0, d.get(KernelKnob.CONGESTION));
    for (KernelKnob k : KernelKnob.values()) {
      assertEquals(k.toWire(k.parameter().defaultValue()), d.get(k), k.name());
    }
  }

  @Test
  void valuesAreConvertedOnce() {
    KernelParams p = KernelParams.parse(Map.of("kernel.slice_us", 50.0, "kernel.rescue_ms", 4_000.0,
        "kernel.congestion_kb", 2.0, "kernel.idle_fastpath", 0.0));
    assertEquals(50_000L, p.get(KernelKnob.SLICE));
    assertEquals(4_000_000_000L, p.get(KernelKnob.RESCUE));
    assertEquals(2048L, p.get(KernelKnob.CONGESTION), "KiB in bytes");
    assertFalse(p.on(KernelKnob.IDLE_FASTPATH));
    assertEquals(KernelParams.parse(Map.of("kernel.idle_fastpath", 0.0, "kernel.congestion_kb", 2.0,
        "kernel.rescue_ms", 4_000.0, "kernel.slice_us", 50.0)), p, "equal values, equal params");
  }

  @Test
  void outOfRangeKnobsAreRefusedByName() {
    ParameterException e = assertThrows(ParameterException.class,
        () -> KernelParams.parse(Map.of("kernel.slice_us", 49.0, "kernel.rescue_ms", 4_001.0)));
    assertEquals(2, e.errors().size());
    assertTrue(e.getMessage().contains("kernel.slice_us = 49.0 is out of range 50.0..1000000.0 us"), e.getMessage());
    assertTrue(e.getMessage().contains("kernel.rescue_ms = 4001.0 is out of range 1.0..4000.0 ms"), e.getMessage());
  }

  @Test
  void everyKnobIsAKernelParameterWithAWireField() {
    for (KernelKnob k : KernelKnob.values()) {
      assertTrue(k.parameter().name().startsWith("kernel."), k.name());
      assertFalse(k.wireField().isBlank(), k.name());
    }
    assertEquals(KernelKnob.values().length, KernelKnob.PARAMETERS.size());
  }
}
