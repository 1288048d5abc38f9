package javaland.telemetry;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import javaland.telemetry.metrics.DispatchCounts;
import javaland.telemetry.metrics.DispatchRecorder;
import javaland.telemetry.metrics.JavalandMetrics;
import javaland.telemetry.psi.PsiReader;

/** A recorder with some data and a Telemetry wired like the runtime would. */
public final class Fixtures {
  public final DispatchRecorder recorder = new DispatchRecorder(List.of("normal", "high", "low"));
  public final AtomicLong user = new AtomicLong(1000);
  public final AtomicLong queue = new AtomicLong(7);
  public final AtomicLong version = new AtomicLong(3);
  public final java.util.concurrent.atomic.AtomicInteger canaryState = new java.util.concurrent.atomic.AtomicInteger(1);
  public final Map<String, Long> rollbacks = new java.util.concurrent.ConcurrentHashMap<>(Map.of("delay_p99", 2L, "timeout", 0L));
  /** The kernel the scheduler is attached to, null for none. */
  public final java.util.concurrent.atomic.AtomicReference<String> attachedTo = new java.util.concurrent.atomic.AtomicReference<>("simulated");
  public static final javaland.models.registry.BuildInfo BUILD =
      new javaland.models.registry.BuildInfo("1.2.3", "0123456789abcdef0123456789abcdef01234567", false, "");
  public final JavalandMetrics metrics;

  public Fixtures(boolean withPsi) {
    JavalandMetrics.Builder b = JavalandMetrics.builder()
        .recorder(recorder)
        .dispatches(() -> new DispatchCounts(user.get(), 500, 3, 2, 1, 0))
        .queueDepth("ring", queue::get)
        .policyVersion(version::get)
        .buildInfo(BUILD)
        .attached(List.of("sched_ext", "simulated"), attachedTo::get)
        .canary(canaryState::get, List.of("delay_p99", "timeout"), r -> rollbacks.getOrDefault(r, 0L))
        .faults(List.of("threw", "slice_clamped"), k -> k.equals("threw") ? 4L : 0L)
        .restarts(List.of("unload", "restart", "give_up"), e -> e.equals("unload") ? 2L : e.equals("restart") ? 1L : 0L)
        .learnedClasses(List.of("latency-critical", "batch"), List.of("canary", "committed"),
            (c, st) -> c.equals("batch") && st.equals("committed") ? 3L : 0L)
        .warnings(m -> System.out.println("warning: " + m));
    if (withPsi) b.psi(PsiReader.system(PsiReader.PROC_PRESSURE, m -> System.out.println("psi: " + m)));
    metrics = b.build();
  }

  /** Some tasks: delays of 1..100 us by class, round trips of 20..80 us, 10 batches. */
  public void record() {
    for (int i = 0; i < 1000; i++) {
      recorder.recordSchedDelay(i % 3, 1_000 + (i % 100) * 1_000L);
      recorder.recordRoundTrip(20_000 + (i % 60) * 1_000L);
    }
    for (int i = 0; i < 10; i++) recorder.recordBatch(100, 50_000);
  }

  public Telemetry telemetry(Map<String, String> env) {
    return Telemetry.builder().metrics(metrics).environment(env).build();
  }
}
