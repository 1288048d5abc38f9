package javaland.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code run --config FILE} and /etc/javaland/javaland.yaml: applied under the flags, refused whole with file:line: key. */
class ConfigFileTest {
  @TempDir
  Path dir;

  /** A run command parsed from {@code args}, with {@code yaml} applied as its config file. */
  private RunCommand parsed(String yaml, String... args) throws Exception {
    Path f = dir.resolve("javaland.yaml");
    Files.writeString(f, yaml);
    RunCommand run = new RunCommand();
    CommandLine cl = new CommandLine(run);
    cl.parseArgs(args);
    ConfigFile.apply(run.spec, f, null, RunCommand::new);
    return run;
  }

  @Test
  void valuesOfTheFileApplyAndFlagsOverrideThem() throws Exception {
    RunCommand r = parsed("""
        policy: fifo
        http-port: 9000
        learner: false
        progress: 2s
        rules: rules.yaml
        set: {slice_max_us: 10000, kernel.rescue_ms: 50}
        learner-arg: [window=1s, --min-windows=4]
        seed: -5
        """, "--http-port", "9100", "--set", "kernel.rescue_ms=80");
    assertEquals("fifo", r.policy);
    assertEquals(9100, r.httpPort, "the flag wins");
    assertTrue(!r.learner, "learner: false turns the learner child off");
    assertEquals(Duration.ofSeconds(2), r.progress);
    assertEquals(dir.resolve("rules.yaml").toAbsolutePath(), r.rulesFile, "a path is relative to the file");
    assertEquals(Map.of("slice_max_us", "10000", "kernel.rescue_ms", "80"), r.settings, "set merged, the flag's value wins");
    assertEquals(List.of("window=1s", "--min-windows=4"), r.learnerArgs, "a value may start with a dash");
    assertEquals(-5, r.seed);
    assertEquals("mix", r.workload, "a key not given keeps its default");
  }

  @Test
  void everyMistakeIsNamedByFileLineAndKeyAndNothingIsApplied() throws Exception {
    var e = assertThrows(ConfigFile.ConfigException.class, () -> parsed("""
        policy: fifo
        http-prot: 9000
        sim-cpus: "4"
        learner: yes please
        set: [a]
        learner-arg: window=1s
        duration: soon
        """));
    String m = e.getMessage();
    Path f = dir.resolve("javaland.yaml");
    assertTrue(m.contains(f + ":2: key 'http-prot': unknown key; the keys are "), m);
    assertTrue(m.contains(f + ":3: key 'sim-cpus': the value: expected an integer, got the string '4'"), m);
    assertTrue(m.contains(f + ":4: key 'learner': expected true or false"), m);
    assertTrue(m.contains(f + ":5: key 'set': expected a mapping"), m);
    assertTrue(m.contains(f + ":6: key 'learner-arg': expected a list"), m);
    assertTrue(m.contains(f + ":7: key 'duration': "), m);
    assertFalse(m.contains(":1:"), "policy: fifo is fine: " + m);
    // refused whole: a good key of a bad file is not applied either
    RunCommand fresh = new RunCommand();
    new CommandLine(fresh).parseArgs();
    assertThrows(ConfigFile.ConfigException.class,
        () -> ConfigFile.apply(fresh.spec, write("policy: fifo\nbogus: 1\n"), null, RunCommand::new));
    assertEquals("deadline", fresh.policy);
  }

  @Test
  void syntaxErrorsAndNonMappingsNameTheLine() throws Exception {
    var e = assertThrows(ConfigFile.ConfigException.class, () -> parsed("policy: fifo\nset: {a: 1\n"));
    assertTrue(e.getMessage().startsWith(dir.resolve("javaland.yaml") + ":"), e.getMessage());
    var list = assertThrows(ConfigFile.ConfigException.class, () -> parsed("- policy\n"));
    assertTrue(list.getMessage().contains(":1: expected a mapping of option names to values, got a list"), list.getMessage());
  }

  @Test
  void badValuesFoundByTheCommandNameTheFileLineAndKeyAndExitTwoBeforeStarting() throws Exception {
    for (var c : List.of(
        new String[] {"policy: fifo\nworkload: nope\n", ":2: key 'workload': --workload nope: choose one of"},
        new String[] {"policy: nosuch\n", ":1: key 'policy': --policy nosuch: unknown policy"},
        new String[] {"learner-metrics-port: 70000\n", ":1: key 'learner-metrics-port': --learner-metrics-port must be within 0..65535"},
        new String[] {"set:\n  slice_max_us: 10000\n  nosuch_us: 5\n", ":3: key 'set.nosuch_us': unknown parameter nosuch_us"},
        new String[] {"set:\n  kernel.rescue_ms: lots\n", ":2: key 'set.kernel.rescue_ms': --set kernel.rescue_ms=lots"})) {
      Path f = write(c[0]);
      CliRun r = CliRun.run("run", "--config", f.toString(), "--sim", "--duration", "1s", "--no-learner", "--http-port", "-1",
          "--registry", "none");
      assertEquals(2, r.code(), c[0] + r.err());
      assertTrue(r.err().contains(f + c[1]), c[0] + " -> " + r.err());
      assertFalse(r.out().contains("SIMULATED KERNEL"), "nothing started: " + r.out());
    }
  }

  @Test
  void aMissingConfigFileIsAUsageError() {
    Path missing = dir.resolve("nope.yaml");
    CliRun r = CliRun.run("run", "--config", missing.toString(), "--sim", "--duration", "1s");
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().contains("--config " + missing + ": cannot read it (no such file)"), r.err());
  }

  @Test
  void theDefaultFileIsReadWhenItExistsAndARunEndsWithExitZero() throws Exception {
    Path old = RunCommand.defaultConfig;
    RunCommand.defaultConfig = write("policy: fifo\nlearner: false\nhttp-port: -1\nsim: true\nregistry: none\n");
    try {
      CliRun r = CliRun.run("run", "--duration", "2s", "--sim-cpus", "2");
      assertEquals(0, r.code(), r.out() + r.err());
      assertTrue(r.out().contains("policy fifo"), r.out());
      assertTrue(r.out().contains("SIMULATED KERNEL"), r.out());
      assertTrue(r.out().contains("2 CPUs"), "the flag beside the file: " + r.out());
    } finally {
      RunCommand.defaultConfig = old;
    }
    RunCommand.defaultConfig = dir.resolve("absent.yaml");
    try {
      RunCommand plain = new RunCommand();
      new CommandLine(plain).parseArgs();
      assertEquals(ConfigFile.Applied.NONE, ConfigFile.apply(plain.spec, null, RunCommand.defaultConfig, RunCommand::new));
    } finally {
      RunCommand.defaultConfig = old;
    }
  }

  /** {@code #key: value} lines are the shipped file's commented keys; {@code # text} its prose. */
  private static final Pattern COMMENTED_KEY = Pattern.compile("^#([a-z][a-z-]*):(.*)$");

  @Test
  void theShippedDefaultFileNamesEveryKeyWithItsDefault() throws Exception {
    Path shipped = Path.of("..", "packaging", "javaland.yaml");
    String text = Files.readString(shipped);
    RunCommand defaults = new RunCommand();
    new CommandLine(defaults).parseArgs();
    assertEquals(ConfigFile.Applied.NONE.optionLines(),
        ConfigFile.apply(defaults.spec, shipped, null, RunCommand::new).optionLines(), "as shipped, it sets nothing");

    List<String> keys = new ArrayList<>();
    StringBuilder uncommented = new StringBuilder();
    for (String line : text.split("\n")) {
      Matcher m = COMMENTED_KEY.matcher(line);
      if (!m.matches()) continue;
      keys.add(m.group(1));
      if (!m.group(2).isBlank()) uncommented.append(m.group(1)).append(':').append(m.group(2)).append('\n');
    }
    assertEquals(new TreeSet<>(ConfigFile.keys(defaults.spec).keySet()), new TreeSet<>(keys), "one commented key per option");
    assertEquals(keys.size(), new TreeSet<>(keys).size(), "no key twice: " + keys);

    RunCommand applied = new RunCommand();
    new CommandLine(applied).parseArgs();
    ConfigFile.apply(applied.spec, write(uncommented.toString()), null, RunCommand::new);
    var fromFile = ConfigFile.keys(applied.spec);
    ConfigFile.keys(defaults.spec).forEach((key, o) -> {
      Object v = fromFile.get(key).getValue();
      if (v instanceof Path p) v = shipped.getParent().relativize(p); // paths resolve beside the file; none has a default
      assertTrue(Objects.equals(o.getValue(), v), key + ": default " + o.getValue() + ", shipped " + v);
    });
    assertNull(applied.duration, "a key with no value in the file has no default");
  }

  private Path write(String yaml) throws Exception {
    Path f = Files.createTempFile(dir, "cfg", ".yaml");
    Files.writeString(f, yaml);
    return f;
  }
}
