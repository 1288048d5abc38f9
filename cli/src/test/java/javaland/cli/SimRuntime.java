package javaland.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import javaland.runtime.Scheduler;
import javaland.runtime.api.ApiAuth;
import javaland.runtime.canary.GuardBounds;
import javaland.runtime.control.ControlPlane;
import javaland.runtime.kernel.sim.SimConfig;
import javaland.runtime.kernel.sim.SimKernel;
import javaland.runtime.kernel.sim.Workload;
import javaland.runtime.kernel.sim.Workloads;
import javaland.policies.DeadlinePolicy;

/**
 * A real javaland runtime for the learner's tests: the deadline policy on the simulated kernel
 * (mix workload, 4 CPUs, paced to real time) with a registry, the canary and the REST API behind
 * a static token, on a free loopback port. Here, not in the learner's module, which does not
 * depend on the runtime: the learner reaches it through the API only.
 */
final class SimRuntime implements AutoCloseable {
  static final String TOKEN = "learner-test-token-0123456789abcdef";
  /** Guards so loose that only the learner's verdict ends a canary. */
  static GuardBounds looseGuards(Duration window) {
    return new GuardBounds(window, Duration.ofSeconds(120), 30, 1e6, 1e9, 1e6, 1e9, 1e6, 1e9, 1e6, Duration.ofSeconds(100), 50, "wakeup");
  }

  final Scheduler scheduler;
  final SimKernel kernel;
  final ControlPlane controlPlane;
  final String url;

  SimRuntime(Path dir, GuardBounds bounds, Map<String, Double> settings) throws Exception {
    this(dir.resolve("registry"), bounds, settings, tokenFile(dir), Duration.ofMinutes(10));
  }

  /**
   * What {@code ./javaland run --sim --http-port 0} starts, in this JVM: {@code registry},
   * the canary with {@code bounds}, the REST API accepting the token in {@code tokenFile}.
   */
  SimRuntime(Path registry, GuardBounds bounds, Map<String, Double> settings, Path tokenFile, Duration workload) {
    this(registry, bounds, settings, tokenFile, Workloads.named("mix", 1, 4, workload.toNanos()));
  }

  /** The same, on {@code workload}. */
  SimRuntime(Path registry, GuardBounds bounds, Map<String, Double> settings, Path tokenFile, Workload workload) {
    scheduler = Scheduler.create(Scheduler.Options.of(new DeadlinePolicy()).withSettings(settings)
        .withCanary(new Scheduler.CanaryOptions(registry, bounds)));
    SimKernel k = new SimKernel(workload, SimConfig.of(4).paced(1.0));
    k.setListener(scheduler.taskProfiler()); // GET /tasks, as run --sim has it
    scheduler.attach(k);
    kernel = k;
    controlPlane = ControlPlane.start(scheduler, ControlPlane.Options.of("127.0.0.1", 0)
        .withApi(new ApiAuth.Config(tokenFile, null, null, null, false), line -> {}));
    url = "http://127.0.0.1:" + controlPlane.port();
  }

  /** A file holding {@link #TOKEN}, mode 600, in {@code dir}. */
  static Path tokenFile(Path dir) throws java.io.IOException {
    Path tokenFile = dir.resolve("api-token");
    Files.createFile(tokenFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(tokenFile, TOKEN + "\n");
    return tokenFile;
  }

  @Override
  public void close() {
    scheduler.stop();
    controlPlane.close();
  }
}
