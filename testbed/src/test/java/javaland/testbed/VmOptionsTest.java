package javaland.testbed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VmOptionsTest {

  private static VmOptions opts(List<String> scenarios) {
    return new VmOptions(scenarios, Path.of("j.jar"), Duration.ofMinutes(15), true, Path.of("/c"), Path.of("/vm"),
        null, Map.of(), 2, 2048, Duration.ofSeconds(60), TcgThreads.AUTO);
  }

  @Test
  void durations() {
    assertEquals(Duration.ofSeconds(900), VmOptions.parseDuration("900"));
    assertEquals(Duration.ofSeconds(90), VmOptions.parseDuration("90s"));
    assertEquals(Duration.ofMinutes(15), VmOptions.parseDuration("15m"));
    assertEquals(Duration.ofMinutes(90), VmOptions.parseDuration("1h30m"));
    assertEquals(Duration.ofMinutes(15), VmOptions.parseDuration("PT15M"));
    assertEquals(Duration.ofMillis(1500), VmOptions.parseDuration("1s500ms"));
    assertThrows(IllegalArgumentException.class, () -> VmOptions.parseDuration("soon"));
    assertThrows(IllegalArgumentException.class, () -> VmOptions.parseDuration("15x"));
  }

  @Test
  void kernelCommandLine() {
    VmOptions o = opts(List.of("smoke", "kill")).withGuestParam("workload_s", "30").withGuestParam("policy", "fifo");
    assertEquals("console=ttyS0,115200 panic=-1 quiet tsc=reliable jl.scenarios=smoke,kill jl.policy=fifo jl.workload_s=30",
        o.kernelCommandLine());
  }

  @Test
  void rejectsWhatCouldBreakTheCommandLine() {
    assertThrows(IllegalArgumentException.class, () -> opts(List.of("smoke kill")));
    assertThrows(IllegalArgumentException.class, () -> opts(List.of()));
    assertThrows(IllegalArgumentException.class, () -> opts(List.of("smoke")).withGuestParam("x", "a b"));
    assertThrows(IllegalArgumentException.class, () -> opts(List.of("smoke")).withGuestParam("scenarios", "x"));
  }
}
