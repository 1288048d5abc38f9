package javaland.runtime;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javaland.runtime.control.ControlPlane;
import javaland.runtime.kernel.ExitInfo;
import javaland.runtime.kernel.Kernel;
import javaland.runtime.kernel.KernelStats;
import javaland.runtime.kernel.KernelTunables;
import javaland.runtime.loop.DispatchLoop;
import javaland.runtime.policy.Parameter;
import javaland.runtime.policy.Parameters;
import javaland.runtime.policy.Policy;

/**
 * A running scheduler: a kernel, a policy on the dispatch loop, and the control plane. Built by
 * {@link #start}, ended by {@link #stop}, which detaches and reports why it ended.
 */
public final class Scheduler {
  /** The kernel half's knobs, exposed as parameters next to the policy's own. */
  public static final List<Parameter> KERNEL_PARAMETERS = List.of(
      new Parameter("kernel.slice_us", 50, 1_000_000, 5_000, "us", "slice of tasks the kernel dispatches itself"),
      new Parameter("kernel.rescue_ms", 1, 4_000, 100, "ms", "longest a task waits for a decision before the kernel dispatches it"),
      new Parameter("kernel.idle_fastpath", 0, 1, 1, "", "1: wakeups that find an idle CPU are dispatched in the kernel"),
      new Parameter("kernel.congestion_kb", 0, 1024, 0, "KiB", "ring backlog above which tasks bypass Java (0: never)"));

  /** How a run ended. {@code exit} is empty only if the kernel never reported one. */
  public record Outcome(String reason, ExitInfo exit, KernelStats stats, long batches, long tasks,
      int largestBatch, long busyNs, long dispatcherCpuNs, long processCpuNs, Duration ran, Throwable failure) {
    /** Exit code for the CLI: 0 when we detached on purpose, 1 when the kernel threw us out. */
    public int exitCode() {
      return failure == null && exit != null && exit.byUserSpace() ? 0 : 1;
    }
  }

  private final Kernel kernel;
  private final String policyName;
  private final Policy policy;
  private final DispatchLoop loop;
  private final Vertx vertx;
  private final long startedNs = System.nanoTime();
  private volatile HttpServer http;
  private volatile String stopReason = "stopped";

  private Scheduler(Kernel kernel, String policyName, Policy policy, Vertx vertx) {
    this.kernel = kernel;
    this.policyName = policyName;
    this.policy = policy;
    this.vertx = vertx;
    this.loop = new DispatchLoop(kernel, policy, 512);
  }

  /**
   * Starts the loop on {@code kernel} and, when {@code httpPort >= 0}, the control plane.
   * Blocks until the HTTP server listens (or failed: then everything is stopped again).
   */
  public static Scheduler start(Kernel kernel, String policyName, Policy policy, Map<String, Double> settings,
      String httpHost, int httpPort) {
    Scheduler s = new Scheduler(kernel, policyName, policy, Vertx.vertx());
    s.applyNow(settings);
    s.loop.start();
    if (httpPort >= 0) {
      try {
        s.http = ControlPlane.start(s.vertx, httpHost, httpPort, s::status)
            .await(30, TimeUnit.SECONDS);
      } catch (Exception e) {
        s.stop();
        throw new IllegalStateException("control plane could not listen on " + httpHost + ":" + httpPort
            + ": " + e.getMessage(), e);
      }
    }
    return s;
  }

  /** Splits settings into policy and kernel parameters, validates both, and queues them. */
  public void update(Map<String, Double> settings) {
    loop.update(validate(policy, settings));
  }

  private void applyNow(Map<String, Double> settings) {
    DispatchLoop.Update u = validate(policy, settings);
    policy.configure(u.policy());
    if (u.kernel() != null) kernel.tune(u.kernel());
  }

  /**
   * Checks settings against the policy's parameters and {@link #KERNEL_PARAMETERS} ("kernel."
   * names) without applying anything; throws naming the first bad one.
   */
  public static DispatchLoop.Update validate(Policy policy, Map<String, Double> settings) {
    Map<String, Double> policySide = new java.util.HashMap<>();
    Map<String, Double> kernelSide = new java.util.HashMap<>();
    settings.forEach((k, v) -> (k.startsWith("kernel.") ? kernelSide : policySide).put(k, v));
    Parameters p = Parameters.of(policy.parameters(), policySide);
    KernelTunables t = null;
    if (!kernelSide.isEmpty()) {
      Parameters k = Parameters.of(KERNEL_PARAMETERS, kernelSide);
      t = new KernelTunables(k.micros("kernel.slice_us"), Math.round(k.get("kernel.rescue_ms") * 1e6),
          k.get("kernel.idle_fastpath") >= 0.5, (int) Math.round(k.get("kernel.congestion_kb") * 1024));
    }
    return new DispatchLoop.Update(p, t);
  }

  public int httpPort() {
    return http == null ? -1 : http.actualPort();
  }

  public Kernel kernel() {
    return kernel;
  }

  /** Waits up to {@code max} for the loop to end by itself (kernel unloaded us, policy failed). */
  public boolean awaitEnd(Duration max) throws InterruptedException {
    return loop.awaitEnd(max.toMillis(), TimeUnit.MILLISECONDS);
  }

  public void requestStop(String reason) {
    stopReason = reason;
    loop.requestStop();
  }

  /** Stops the loop, detaches from the kernel, closes the control plane; idempotent enough. */
  public Outcome stop() {
    loop.requestStop();
    try {
      loop.awaitEnd(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    String reason = kernel.exitInfo().isPresent() ? "unloaded by the kernel" : stopReason;
    long dispatcherCpu = loop.cpuNs();
    long processCpu = processCpuNs();
    if (loop.failure() != null) reason = "policy failed";
    KernelStats stats = kernel.stats();
    kernel.close();
    try {
      vertx.close().await(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      // closing the control plane is best effort at shutdown
    }
    return new Outcome(reason, kernel.exitInfo().orElse(null), stats, loop.batches(), loop.tasks(),
        loop.largestBatch(), loop.busyNs(), dispatcherCpu, processCpu, Duration.ofNanos(System.nanoTime() - startedNs), loop.failure());
  }

  private static long processCpuNs() {
    if (java.lang.management.ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getProcessCpuTime();
    }
    return -1;
  }

  /** The control plane's view: everything a person or a script wants to know right now. */
  public JsonObject status() {
    KernelStats s = kernel.stats();
    double secs = (System.nanoTime() - startedNs) / 1e9;
    return new JsonObject()
        .put("kernel", kernel.describe())
        .put("policy", policyName)
        .put("uptime_s", Math.round(secs * 10) / 10.0)
        .put("dispatch", Reports.dispatchJson(s, secs))
        .put("loop", new JsonObject()
            .put("batches", loop.batches())
            .put("tasks", loop.tasks())
            .put("largest_batch", loop.largestBatch()))
        .put("attached", kernel.exitInfo().isEmpty());
  }
}
