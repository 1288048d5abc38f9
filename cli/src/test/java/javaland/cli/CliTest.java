package javaland.cli;

import static javaland.cli.CliRun.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.time.Duration;
import javaland.runtime.kernel.bpf.BpfKernel;
import org.junit.jupiter.api.Test;

/** Command-line errors name what was wrong; nothing is attached when the input is bad. */
class CliTest {
  @Test
  void anUnknownPolicyIsNamedWithTheChoices() {
    CliRun r = run("run", "--policy", "nope", "--duration", "1s");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("unknown policy 'nope'") && r.err().contains("deadline, fifo, example"), r.err());
  }

  @Test
  void anOutOfRangeSettingIsRefusedBeforeAnythingHappens() {
    CliRun r = run("run", "--set", "slice_max_us=99999999", "--duration", "1s");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("slice_max_us") && r.err().contains("out of range"), r.err());
    assertTrue(r.out().isEmpty(), "nothing else ran: " + r.out());
  }

  @Test
  void aNonNumericSettingIsNamed() {
    CliRun r = run("run", "--set", "kernel.rescue_ms=soon");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("kernel.rescue_ms=soon") && r.err().contains("not a number"), r.err());
  }

  @Test
  void anUnknownKernelParameterListsTheKnownOnes() {
    CliRun r = run("run", "--set", "kernel.turbo=1");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("kernel.turbo") && r.err().contains("kernel.rescue_ms"), r.err());
  }

  @Test
  void aBadDurationIsExplained() {
    CliRun r = run("run", "--duration", "soon");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("'soon' is not a duration"), r.err());
  }

  @Test
  void withoutSchedExtRunSimulatesAndSaysSoFirst() {
    assumeFalse(BpfKernel.available(), "this kernel has sched_ext");
    java.nio.file.Path reg;
    try {
      reg = java.nio.file.Files.createTempDirectory("javaland-registry");
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    CliRun r = run("run", "--duration", "2s", "--http-port", "-1", "--workload", "interactive", "--progress", "1s",
        "--registry", reg.toString());
    assertTrue(r.out().contains("javaland: recorded version 1 of deadline (defaults at start"), r.out());
    CliRun again = run("run", "--duration", "1s", "--http-port", "-1", "--workload", "interactive", "--registry", reg.toString());
    assertTrue(again.out().contains("javaland: serving last-known-good version 1 of deadline from the registry"), again.out());
    assertEquals(0, r.code(), r.out() + r.err());
    String[] lines = r.out().split("\n");
    assertTrue(lines[0].startsWith("javaland: SIMULATED KERNEL:") && lines[0].contains("no sched_ext"), lines[0]);
    String last = lines[lines.length - 1];
    assertTrue(last.startsWith("JAVALAND_STATS {"), last);
    io.vertx.core.json.JsonObject stats = new io.vertx.core.json.JsonObject(last.substring("JAVALAND_STATS ".length()));
    // the policy decided: in Java, or by the wakeup rules its decisions pushed down
    assertTrue(stats.getLong("user_dispatches") > 0, last);
    assertTrue(stats.getLong("user_dispatches") + stats.getLong("rule_dispatches") + stats.getLong("rule_requeues") > 100, last);
    assertEquals(64, stats.getLong("exit_kind"), "detached when the duration elapsed: " + last);
    assertEquals(true, stats.getBoolean("attached"));
  }

  @Test
  void theRegistryDefaultsToTheXdgStateDirectory() {
    assertEquals(java.nio.file.Path.of("/s/javaland"), RunCommand.registryDir(null, java.util.Map.of("XDG_STATE_HOME", "/s"), false));
    assertEquals(java.nio.file.Path.of(System.getProperty("user.home"), ".local/state/javaland"),
        RunCommand.registryDir(null, java.util.Map.of(), false));
    assertEquals(java.nio.file.Path.of("/var/lib/javaland"), RunCommand.registryDir(null, java.util.Map.of("XDG_STATE_HOME", "/s"), true),
        "as root: where the package's unit keeps it");
    assertEquals(java.nio.file.Path.of("/r"), RunCommand.registryDir("/r", java.util.Map.of("XDG_STATE_HOME", "/s"), true));
    assertEquals(null, RunCommand.registryDir("none", java.util.Map.of(), false));
  }

  @Test
  void anUnknownWorkloadIsNamed() {
    CliRun r = run("run", "--sim", "--workload", "tetris");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("tetris") && r.err().contains("mix"), r.err());
  }

  @Test
  void durationsParseInEveryDocumentedForm() {
    DurationConverter c = new DurationConverter();
    assertEquals(Duration.ofSeconds(30), c.convert("30s"));
    assertEquals(Duration.ofMinutes(5), c.convert("5m"));
    assertEquals(Duration.ofHours(1), c.convert("1h"));
    assertEquals(Duration.ofMillis(250), c.convert("250ms"));
    assertEquals(Duration.ofMillis(1500), c.convert("1.5"));
  }

  @Test
  void versionNamesTheSchedExtState() {
    CliRun r = run("version");
    assertEquals(0, r.code());
    assertTrue(r.out().contains("sched_ext:"), r.out());
  }
}
