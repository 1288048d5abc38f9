package javaland.cli;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The part of {@code ./javaland test} that needs no build tool: every VM scenario, in one boot per
 * TCG mode.
 * The script runs the Maven test suites first, then this.
 */
@Command(name = "test", description = {
    "Run the VM scenarios of the test suite (smoke, kill, faults, bench, rules, canary, fidelity, autotune) on a real sched_ext kernel: "
    + "one single-threaded TCG boot for smoke, kill, faults and canary, one multi-threaded boot for bench, rules, fidelity and autotune.",
    "./javaland test runs the unit and integration tests (Maven) first, then this."})
final class TestCommand implements Callable<Integer> {
  // bench, rules, fidelity and autotune boot together with parallel vCPUs (TcgThreads), after the others' boot
  static final List<String> ALL_SCENARIOS = List.of("smoke", "kill", "faults", "bench", "rules", "canary", "fidelity", "autotune");

  @Option(names = "--package", paramLabel = "TARBALL",
      description = "The tarball of ./javaland package: smoke runs javaland.service's command lines from it (see vm --help).")
  Path packageTarball;

  @Override
  public Integer call() throws Exception {
    VmCommand vm = new VmCommand();
    vm.packageTarball = packageTarball;
    vm.scenarios = ALL_SCENARIOS;
    vm.timeout = Duration.ofMinutes(25); // the multi-threaded boot: about 9 min, and autotune about 6 more
    return vm.call();
  }
}
