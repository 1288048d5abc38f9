package javaland.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import javaland.runtime.Scheduler;
import javaland.runtime.api.ApiAuth;
import javaland.runtime.api.RestApi;
import javaland.runtime.canary.GuardBounds;
import javaland.runtime.kernel.sim.SimConfig;
import javaland.runtime.kernel.sim.SimKernel;
import javaland.runtime.kernel.sim.Workloads;
import javaland.runtime.policy.DeadlinePolicy;

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
  final String url;

  SimRuntime(Path dir, GuardBounds bounds, Map<String, Double> settings) throws Exception {
    Path tokenFile = dir.resolve("api-token");
    Files.createFile(tokenFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(tokenFile, TOKEN + "\n");
    ApiAuth.Config auth = new ApiAuth.Config(tokenFile, null, null, null, false);
    Scheduler.Api api = new Scheduler.Api(auth, s -> new RestApi.Backend("deadline", s.policyControl().orElseThrow(), new NoRules(),
        s::snapshot, s::status, msg -> {}));
    scheduler = Scheduler.create("deadline", new DeadlinePolicy(), settings, "127.0.0.1", 0,
        new Scheduler.CanaryOptions(dir.resolve("registry"), bounds), api);
    scheduler.attach(new SimKernel(Workloads.named("mix", 1, 4, Duration.ofMinutes(10).toNanos()), SimConfig.of(4).paced(1.0)));
    url = "http://127.0.0.1:" + scheduler.httpPort();
  }

  @Override
  public void close() {
    scheduler.stop();
  }
}
