package javaland.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import javaland.runtime.control.ControlPlane;
import javaland.runtime.kernel.ExitInfo;
import javaland.policies.FifoPolicy;
import org.junit.jupiter.api.Test;
import javaland.models.params.ParameterChange;
import javaland.runtime.kernel.KernelKnob;
import javaland.runtime.policy.PolicySchema;
import javaland.sdk.Policy;

/** A whole scheduler on a scripted kernel: control plane, updates, and how a run ends. */
class SchedulerTest {
  @Test
  void statusServesTheCountersOverHttp() throws Exception {
    ScriptedKernel k = new ScriptedKernel();
    Scheduler s = Scheduler.start(k, Scheduler.Options.of(new FifoPolicy()));
    ControlPlane cp = ControlPlane.start(s, ControlPlane.Options.of("127.0.0.1", 0));
    try {
      k.batches.add(new int[] {1, 2, 3});
      long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (k.decided.size() < 3 && System.nanoTime() < end) Thread.sleep(5);
      HttpResponse<String> r = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + cp.port() + "/status")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, r.statusCode());
      JsonObject j = new JsonObject(r.body());
      assertEquals("fifo", j.getString("policy"));
      assertEquals("scripted", j.getString("kernel"));
      assertEquals(3, j.getJsonObject("dispatch").getLong("user_dispatches"));
      assertEquals(3, j.getJsonObject("loop").getLong("tasks"));
      assertTrue(j.getBoolean("attached"));
      HttpResponse<String> m = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + cp.port() + "/metrics")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, m.statusCode());
      assertTrue(m.body().contains("javaland_dispatches_total{path=\"user\"} 3.0"), m.body());
      assertTrue(m.body().contains("javaland_sched_delay_seconds_count{class=\"wakeup\"}"), m.body());
      assertTrue(m.body().contains("javaland_decisions_total 3.0"), m.body());
      assertTrue(m.body().contains("vertx_http_server_requests_total{"), m.body());
      System.out.println(m.body().lines().filter(l -> l.startsWith("javaland_") && !l.contains("_bucket")).toList());
    } finally {
      s.stop();
      cp.close();
    }
    assertTrue(k.closed, "stop detaches from the kernel");
  }

  @Test
  void badSettingsAreRefusedWithTheirName() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> PolicySchema.of(new FifoPolicy()).change(Map.of("kernel.rescue_ms", 9_999.0)));
    assertTrue(e.getMessage().contains("kernel.rescue_ms"), e.getMessage());
  }

  @Test
  void settingsReachPolicyAndKernelAtStart() {
    ScriptedKernel k = new ScriptedKernel();
    FifoPolicy fifo = new FifoPolicy();
    Scheduler s = Scheduler.start(k, Scheduler.Options.of(fifo)
        .withSettings(Map.of("slice_us", 1234.0, "kernel.rescue_ms", 40.0, "kernel.idle_fastpath", 0.0)));
    try {
      assertEquals(40_000_000L, k.tunables.get(KernelKnob.RESCUE));
      assertEquals(false, k.tunables.on(KernelKnob.IDLE_FASTPATH));
      k.batches.add(new int[] {9});
      long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (k.decided.isEmpty() && System.nanoTime() < end) Thread.yield();
      assertEquals(1_234_000L, k.decided.get(0)[3]);
    } finally {
      s.stop();
    }
  }

  @Test
  void theReportCarriesWhatTheBpfProgramsCostReadBeforeDetaching() throws Exception {
    ScriptedKernel k = new ScriptedKernel();
    k.programs = java.util.List.of(new javaland.runtime.kernel.ProgramCost("jl_enqueue", 4, 10_000),
        new javaland.runtime.kernel.ProgramCost("jl_dispatch", 2, 3_000),
        new javaland.runtime.kernel.ProgramCost("jl_exit", 0, 0));
    Scheduler s = Scheduler.start(k, Scheduler.Options.of(new FifoPolicy()));
    var report = Reports.outcomeJson("fifo", "scripted", s.stop());
    var p = report.get("bpf_programs");
    assertEquals(2_500, p.get("jl_enqueue").get("ns_per_run").asLong());
    assertEquals(2, p.get("jl_dispatch").get("runs").asLong());
    assertFalse(p.has("jl_exit"), "a program that never ran says nothing");
    assertEquals(13_000, p.get("total_ns").asLong());
  }

  @Test
  void withoutBpfStatisticsTheReportHasNoProgramCosts() throws Exception {
    ScriptedKernel k = new ScriptedKernel();
    k.programs = java.util.List.of(new javaland.runtime.kernel.ProgramCost("jl_enqueue", 0, 0));
    Scheduler s = Scheduler.start(k, Scheduler.Options.of(new FifoPolicy()));
    assertFalse(Reports.outcomeJson("fifo", "scripted", s.stop()).has("bpf_programs"));
  }

  @Test
  void aKernelKickOutEndsTheRunWithExitCodeThree() throws Exception {
    ScriptedKernel k = new ScriptedKernel();
    Scheduler s = Scheduler.start(k, Scheduler.Options.of(new FifoPolicy()));
    k.exit = new ExitInfo(ExitInfo.ERROR_STALL, 0, "runnable task stall", "a[7] failed to run for 5s");
    assertTrue(s.awaitEnd(Duration.ofSeconds(5)));
    RunOutcome o = s.stop();
    assertEquals("unloaded by the kernel", o.reason());
    assertEquals(RunOutcome.UNLOADED, o.exitCode());
    var report = Reports.outcomeJson("fifo", "scripted", o);
    assertEquals(1026, report.get("exit_kind").asLong());
    assertEquals("a[7] failed to run for 5s", report.get("exit_msg").asText());
    var gc = report.get("gc");
    assertFalse(gc.isEmpty(), "the report names this JVM's collectors");
    gc.properties().forEach(e -> assertTrue(e.getValue().has("count") && e.getValue().has("ms"), e.getKey()));
  }

  @Test
  void aRequestedStopWithAUserSpaceUnregisterExitsZero() throws Exception {
    ScriptedKernel k = new ScriptedKernel() {
      @Override
      public void close() {
        super.close();
        exit = new ExitInfo(ExitInfo.UNREG, 0, "unregistered from user space", "");
      }
    };
    Scheduler s = Scheduler.start(k, Scheduler.Options.of(new FifoPolicy()));
    s.requestStop("SIGTERM");
    RunOutcome o = s.stop();
    assertEquals("SIGTERM", o.reason());
    assertEquals(0, o.exitCode());
  }
}
