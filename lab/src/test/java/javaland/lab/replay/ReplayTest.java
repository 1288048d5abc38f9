package javaland.lab.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import javaland.runtime.kernel.sim.SimConfig;
import javaland.runtime.kernel.sim.SimKernel;
import javaland.runtime.kernel.sim.SimMetrics;
import javaland.runtime.kernel.sim.Workload;
import javaland.runtime.kernel.sim.Workloads;
import javaland.runtime.policy.PolicyCatalog;
import javaland.trace.EventType;
import javaland.trace.TaskState;
import javaland.trace.TraceRecord.Switch;
import javaland.trace.TraceRecord.Wakeup;
import javaland.trace.TraceRecord;
import javaland.runtime.kernel.SchedEventListener;
import javaland.trace.SchedEventRecorder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Replays: fidelity against a recorded simulation, determinism, parameters, the JSON. */
class ReplayTest {
  static final long MS = 1_000_000L;

  @TempDir Path dir;

  /** Runs {@code workload} under {@code policy} on 8 CPUs (1 LLC, 4 cores, 2 threads) and records it. */
  static SimMetrics record(Workload w, String policy, Path file) throws IOException {
    SimKernel k = new SimKernel(w, SimConfig.of(SimConfig.topology(1, 4, 2)));
    try (SchedEventRecorder rec = SchedEventRecorder.attach(k, w, file, Map.of("policy", policy))) {
      return k.runToCompletion(PolicyCatalog.builtIn().create(policy));
    }
  }

  private static void near(String what, long expected, long actual, double rel, long absNs) {
    long tol = Math.max(absNs, Math.round(expected * rel));
    assertTrue(Math.abs(expected - actual) <= tol, what + ": recorded " + expected + " ns, replayed " + actual
        + " ns (tolerance " + tol + " ns)");
  }

  /**
   * Fidelity on the simulated kernel: a recorded run replayed under the same policy on the same
   * machine gives the same scheduling-delay distribution. Tolerance: the same number of delays,
   * p50/p90/p99 within 2% or 2 us, max within 5%. (In fact these replays match exactly: the
   * recorder writes exact times and the tasks come back in their own order.) A post's wakeup is
   * on the poster's CPU, so the replay knows who woke whom (fork-join too); traces carry no
   * weights, so workloads with weights other than 100 are compared under fifo, which ignores them.
   *
   * <p>One case is not exact: server under deadline, whose wakeup rules let BPF preempt a CPU for
   * a woken task. A timer wakeup names the task it interrupted as its waker (as the kernel's
   * does), so the replay makes it a post of that task; at that instant the replayed poster is
   * between two runs, the preemption passes it over for another CPU, and the timelines part
   * (first at 2.7 ms; 19727 delays recorded, 19708 replayed, the same quantiles within 1%).
   * With kernel.wake_rules=0 it replays exactly. Counts there are held within 0.2%.
   */
  @ParameterizedTest
  @CsvSource({"hogs,deadline", "interactive,deadline", "periodic,deadline", "server,deadline", "forkjoin,deadline",
      "interactive,fifo", "server,fifo", "mix,fifo", "server,example"})
  void aRecordedSimulationReplaysToTheSameDelays(String workload, String policy) throws IOException {
    Workload w = Workloads.named(workload, 11, 8, 400 * MS);
    Path f = dir.resolve(workload + ".jlt");
    SimMetrics orig = record(w, policy, f);
    TraceWorkload tw = TraceWorkload.load(f);
    assertEquals(8, tw.nrCpus());
    assertEquals(2, tw.topology().core(3) - tw.topology().core(1), "the header's topology: SMT pairs");
    ReplayResult r = Replay.run(tw, policy, Map.of(), Replay.Options.defaults().withSeed(11));
    SimMetrics.Latency o = orig.schedDelay();
    SimMetrics.Latency p = r.metrics().schedDelay();
    String ctx = workload + "/" + policy + ": recorded " + o + ", replayed " + p;
    System.out.println("fidelity " + ctx);
    assertEquals(orig.tasks(), r.tasks(), ctx);
    boolean rulePreempts = "server".equals(workload) && "deadline".equals(policy);
    long countTol = rulePreempts ? Math.round(o.count() * 0.002) : 0;
    assertTrue(Math.abs(o.count() - p.count()) <= countTol, "delays, tolerance " + countTol + ": " + ctx);
    near("p50 " + ctx, o.p50Ns(), p.p50Ns(), 0.02, 2_000);
    near("p90 " + ctx, o.p90Ns(), p.p90Ns(), 0.02, 2_000);
    near("p99 " + ctx, o.p99Ns(), p.p99Ns(), 0.02, 2_000);
    near("max " + ctx, o.maxNs(), p.maxNs(), 0.05, 2_000);
    near("makespan " + ctx, orig.makespanNs(), (long) (r.makespanMs() * 1e6), 0.01, 0);
    assertTrue(Math.abs(orig.contextSwitches() - r.contextSwitches()) <= countTol, "context switches: " + ctx);
    assertTrue(r.exit().isCleanEnd(), r.exit().toString());
  }

  /**
   * Where tasks wake each other (fork-join) and the replay ignores who woke whom
   * ({@code --no-wakeup-edges}), the dependencies replay as timed sleeps and the timelines drift
   * apart: measured here (seed 11) mean within 20%, p90 within 30%, and as preemptions now fall
   * elsewhere the number of delays too (3611 recorded, 3617 replayed). With the wakers the trace
   * names, the same trace replays exactly (above). This is the case wakeup edges exist for.
   */
  @Test
  void dependenciesReplayedWithoutTheirWakersAreApproximated() throws IOException {
    Workload w = Workloads.named("forkjoin", 11, 8, 400 * MS);
    Path f = dir.resolve("fj.jlt");
    SimMetrics orig = record(w, "deadline", f);
    TraceWorkload edges = TraceWorkload.load(f);
    assertTrue(edges.wakeupEdges() > 0, "the recorder names the wakers of posts");
    TraceWorkload sleeps = TraceWorkload.load(f, TraceWorkload.Options.defaults().withWakeupEdges(false));
    ReplayResult r = Replay.run(sleeps, "deadline", Map.of(), Replay.Options.defaults().withSeed(11));
    SimMetrics.Latency o = orig.schedDelay();
    SimMetrics.Latency p = r.metrics().schedDelay();
    System.out.println("fidelity forkjoin/deadline, no wakeup edges: recorded " + o + ", replayed " + p);
    assertTrue(Math.abs(o.count() - p.count()) <= o.count() / 100, o + " vs " + p);
    assertEquals(0, r.wakeupEdges());
    assertTrue(Math.abs(p.meanNs() / o.meanNs() - 1) < 0.2, o + " vs " + p);
    assertTrue(Math.abs((double) p.p90Ns() / o.p90Ns() - 1) < 0.3, o + " vs " + p);
    assertNotEquals(o.p90Ns(), p.p90Ns(), "without its wakers the replay drifts");
  }

  /**
   * With wakeup edges a wakee waits for its waker's work, however the replay stretches it: A
   * computes 1 ms and then wakes B. Replayed on one CPU shared with a hog, A takes longer; B
   * still runs only after A's post, where a timed sleep would have woken it on the trace's clock.
   */
  @Test
  void aWakeupEdgeKeepsTheWakeeBehindItsWaker() {
    long us = 1_000;
    List<TraceRecord> rs = List.of(
        new Switch(0, 0, 0, TaskState.RUNNING, 1),            // A on CPU 0
        new Switch(0, 1, 0, TaskState.RUNNING, 2),            // B on CPU 1
        new Switch(0, 2, 0, TaskState.RUNNING, 3),            // C, a hog, on CPU 2
        new Switch(10 * us, 1, 2, TaskState.SLEEPING, 0),     // B waits
        new Wakeup(EventType.WAKING, 1000 * us, 0, 2, 1),     // A wakes B
        new Switch(1000 * us, 0, 1, TaskState.SLEEPING, 0),
        new Switch(1005 * us, 1, 0, TaskState.RUNNING, 2),
        new TraceRecord.Exit(1105 * us, 1, 2),
        new Switch(1105 * us, 1, 2, TaskState.DEAD, 0),
        new Switch(3000 * us, 2, 3, TaskState.DEAD, 0));
    for (boolean edges : new boolean[] {true, false}) {
      TraceWorkload tw = TraceWorkload.fromRecords("edge", rs, 3, edges);
      assertEquals(edges ? 1 : 0, tw.wakeupEdges());
      long[] aDone = {-1};
      long[] bSecondRun = {-1};
      int[] bRuns = {0};
      long[] aCpu = {0};
      long[] aSince = {0};
      SchedEventListener watch = new SchedEventListener() {
        @Override
        public void stopping(long nowNs, int cpu, int pid, boolean stillRunnable, boolean dead, long sliceLeftNs) {
          if (pid == SimKernel.PID_BASE && (aCpu[0] += nowNs - aSince[0]) >= 1000 * us && aDone[0] < 0) aDone[0] = nowNs;
        }

        @Override
        public void running(long nowNs, int cpu, int pid, long sliceNs) {
          if (pid == SimKernel.PID_BASE) aSince[0] = nowNs;
          if (pid == SimKernel.PID_BASE + 1 && ++bRuns[0] == 2) bSecondRun[0] = nowNs;
        }
      };
      Map<String, Double> shortSlices = Map.of("slice_max_us", 200.0, "slice_min_us", 100.0, "kernel.slice_us", 100.0,
          "kernel.idle_fastpath", 0.0);
      ReplayResult r = Replay.run(tw, "deadline", shortSlices,
          Replay.Options.defaults().withCpus(1).withListener(watch));
      assertTrue(r.exit().isCleanEnd(), r.exit().toString());
      assertTrue(aDone[0] > 1500 * us, "A shares its CPU with the hog: " + aDone[0]);
      if (edges) {
        assertTrue(bSecondRun[0] >= aDone[0], "B ran at " + bSecondRun[0] + " before A's post at " + aDone[0]);
      } else {
        assertTrue(bSecondRun[0] < aDone[0], "a timed sleep ignores A: B at " + bSecondRun[0] + ", A done at " + aDone[0]);
      }
    }
  }

  @Test
  void theSameInputsGiveTheSameJsonBitForBit() throws Exception {
    Path f = dir.resolve("server.jlt");
    record(Workloads.named("server", 5, 8, 200 * MS), "deadline", f);
    Map<String, Double> params = Map.of("slice_max_us", 3000.0, "kernel.slice_us", 2000.0);
    String a = Replay.run(TraceWorkload.load(f), "deadline", params, Replay.Options.defaults().withSeed(9).withCpus(4)).toJson();
    TraceWorkload shared = TraceWorkload.load(f);
    List<CompletableFuture<String>> runs = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      runs.add(CompletableFuture.supplyAsync(
          () -> Replay.run(shared, "deadline", params, Replay.Options.defaults().withSeed(9).withCpus(4)).toJson()));
    }
    for (CompletableFuture<String> run : runs) assertEquals(a, run.get(), "a shared workload, on other threads");
    String other = Replay.run(shared, "fifo", Map.of(), Replay.Options.defaults().withSeed(9).withCpus(4)).toJson();
    assertNotEquals(a, other);

    Path sample = ReplayTraceWorkloadTest.sample("ftrace-trace.txt");
    assertEquals(Replay.run(sample, "deadline", Map.of(), 1).toJson(), Replay.run(sample, "deadline", Map.of(), 1).toJson());
  }

  @Test
  void theJsonHasEveryMetric() throws IOException {
    ReplayResult r = Replay.run(ReplayTraceWorkloadTest.sample("perf-script.txt"), "deadline", Map.of("max_delay_us", 1000.0), 1);
    JsonNode j = new ObjectMapper().readTree(r.toJson());
    for (String k : List.of("trace", "format", "policy", "parameters", "cpus", "seed", "tasks", "events", "skipped_lines",
        "lost_events", "wakeup_edges", "trace_span_ms", "delay_us", "classes", "makespan_ms", "throughput", "fairness",
        "context_switches", "migrations", "cpu_utilisation", "kernel", "exit", "sim_events")) {
      assertTrue(j.has(k), "missing " + k + " in " + j);
    }
    for (String k : List.of("count", "p50", "p90", "p99", "max", "mean")) assertTrue(j.get("delay_us").has(k), k);
    for (String k : List.of("queued", "user_dispatches", "kernel_dispatches", "idle_dispatches", "fallbacks", "ring_full",
        "congested", "cancelled", "bounced", "heartbeats", "roundtrip_us")) {
      assertTrue(j.get("kernel").has(k), k);
    }
    assertEquals(7, j.get("tasks").asInt());
    assertEquals(27, j.get("events").asInt());
    assertEquals(1000.0, j.get("parameters").get("max_delay_us").asDouble());
    assertTrue(j.get("classes").get("interactive").get("delay_us").has("p99"));
    assertEquals("done", j.get("exit").get("name").asText());
  }

  @Test
  void parametersAreValidatedAndKernelOnesReachTheSimulatedKernel() throws IOException {
    TraceWorkload tw = TraceWorkload.load(ReplayTraceWorkloadTest.sample("ftrace-trace.txt"));
    IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
        () -> Replay.run(tw, "deadline", Map.of("turbo", 1.0), Replay.Options.defaults()));
    assertTrue(unknown.getMessage().contains("turbo") && unknown.getMessage().contains("slice_max_us"), unknown.getMessage());
    IllegalArgumentException range = assertThrows(IllegalArgumentException.class,
        () -> Replay.validate("deadline", Map.of("kernel.rescue_ms", 0.0)));
    assertTrue(range.getMessage().contains("kernel.rescue_ms") && range.getMessage().contains("out of range"));
    IllegalArgumentException policy = assertThrows(IllegalArgumentException.class,
        () -> Replay.run(tw, "tetris", Map.of(), Replay.Options.defaults()));
    assertTrue(policy.getMessage().contains("unknown policy 'tetris'"), policy.getMessage());

    ReplayResult fast = Replay.run(tw, "deadline", Map.of(), Replay.Options.defaults());
    ReplayResult slow = Replay.run(tw, "deadline", Map.of("kernel.idle_fastpath", 0.0), Replay.Options.defaults());
    ReplayResult java = Replay.run(tw, "deadline", Map.of("kernel.idle_fastpath", 0.0, "kernel.wake_rules", 0.0),
        Replay.Options.defaults());
    assertTrue(fast.kernel().idleDispatches() > 0);
    assertEquals(0, slow.kernel().idleDispatches(), "no wakeup took the idle fast path");
    assertTrue(slow.kernel().ruleDispatches() + slow.kernel().ruleRequeues() > 0, "deadline pushes wakeup rules down");
    assertEquals(slow.contextSwitches(),
        slow.kernel().userDispatches() + slow.kernel().ruleDispatches() + slow.kernel().ruleRequeues(),
        "every run was decided by the policy, or by BPF with the policy's rule");
    assertEquals(0, java.kernel().ruleDispatches() + java.kernel().ruleRequeues());
    assertEquals(java.contextSwitches(), java.kernel().userDispatches(), "without rules, every run was the policy's");
  }

  /** The histogram observer (for CDF plots) counts exactly the delays the simulator counts. */
  @Test
  void theDelayHistogramAgreesWithTheSimulator() throws IOException {
    Path f = dir.resolve("mix.jlt");
    record(Workloads.named("mix", 2, 8, 300 * MS), "deadline", f);
    DelayHistogram h = new DelayHistogram();
    ReplayResult r = Replay.run(TraceWorkload.load(f), "deadline", Map.of("kernel.idle_fastpath", 0.0, "kernel.rescue_ms", 2.0),
        Replay.Options.defaults().withCpus(2).withListener(h));
    SimMetrics.Latency l = r.metrics().schedDelay();
    assertEquals(l.count(), h.histogram().getTotalCount());
    assertEquals(l.p50Ns(), h.histogram().getValueAtPercentile(50));
    assertEquals(l.p99Ns(), h.histogram().getValueAtPercentile(99));
    assertEquals(l.maxNs(), h.histogram().getMaxValue());
    assertTrue(r.kernel().fallbacks() > 0, "rescues happened: " + r.kernel());
    List<double[]> cdf = h.cdfMicros();
    assertEquals(1.0, cdf.getLast()[1], 1e-12);
    SimMetrics synthetic = Replay.simulate(Workloads.named("mix", 2, 2, 100 * MS), SimConfig.topology(1, 2, 1), 100 * MS,
        "fifo", Map.of(), Replay.Options.defaults());
    assertEquals(2, synthetic.nrCpus());
  }

  @Test
  void theCpuCountCanBeChanged() throws IOException {
    TraceWorkload tw = TraceWorkload.load(ReplayTraceWorkloadTest.sample("ftrace-trace.txt"));
    ReplayResult one = Replay.run(tw, "fifo", Map.of(), Replay.Options.defaults().withCpus(1));
    ReplayResult four = Replay.run(tw, "fifo", Map.of(), Replay.Options.defaults());
    assertEquals(1, one.cpus());
    assertEquals(4, four.cpus());
    assertTrue(one.makespanMs() > four.makespanMs(), one.makespanMs() + " vs " + four.makespanMs());
    assertTrue(one.delay().max() > 0, "on one CPU tasks wait");
    assertEquals(one.classes().get("batch").cpuMs(), four.classes().get("batch").cpuMs(), 1e-9, "the same work");
  }
}
