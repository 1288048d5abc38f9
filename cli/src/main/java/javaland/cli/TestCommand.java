package javaland.cli;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/**
 * The part of {@code ./javaland test} that needs no build tool: every VM scenario in one boot.
 * The script runs the Maven test suites first, then this.
 */
@Command(name = "test", description = {
    "Run the VM scenarios of the test suite (smoke, fidelity, kill, bench, rules, canary) on a real sched_ext kernel in one boot.",
    "./javaland test runs the unit and integration tests (Maven) first, then this."})
final class TestCommand implements Callable<Integer> {
  // fidelity early: it compares the kernel's timing with a replay, and wants the guest as fresh as smoke leaves it
  static final List<String> ALL_SCENARIOS = List.of("smoke", "fidelity", "kill", "bench", "rules", "canary");

  @Override
  public Integer call() throws Exception {
    VmCommand vm = new VmCommand();
    vm.scenarios = ALL_SCENARIOS;
    vm.timeout = Duration.ofMinutes(20);
    return vm.call();
  }
}
