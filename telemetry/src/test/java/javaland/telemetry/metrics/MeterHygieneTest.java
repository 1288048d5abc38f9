package javaland.telemetry.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class MeterHygieneTest {
  @Test
  void nettyWorkerGaugeIsDroppedAndNettyMetersGetDescriptions() {
    SimpleMeterRegistry r = new SimpleMeterRegistry();
    MeterHygiene.apply(r);
    // what each of Vert.x's two event-loop groups registers, under one id
    Gauge.builder("netty.eventexecutor.workers", () -> 4).register(r);
    Gauge.builder("netty.eventexecutor.workers", () -> 1).register(r);
    Gauge.builder("netty.eventexecutor.tasks.pending", () -> 0).tag("name", "loop-1").register(r);
    Gauge.builder("system.cpu.count", () -> 2).register(r);

    assertNull(r.find("netty.eventexecutor.workers").meter());
    assertEquals("Tasks waiting in a Netty event executor's queue (Vert.x's event loops)",
        r.get("netty.eventexecutor.tasks.pending").gauge().getId().getDescription());
    assertEquals(2.0, r.get("system.cpus.available").gauge().value());
  }
}
