package javaland.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javaland.runtime.config.Dirs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * deploy/kubernetes/javaland.yaml (the Helm chart rendered with its defaults: test-kubernetes.sh
 * checks that) against what javaland itself declares: the directories of {@link Dirs}, the
 * defaults of run's and learn's options, the package's javaland.service, and run's own config
 * file validation for the ConfigMap. No API server is involved: this reads the file.
 */
class KubernetesManifestTest {
  private static final Path MANIFEST = Path.of("../deploy/kubernetes/javaland.yaml");

  @TempDir
  Path dir;

  private static List<JsonNode> docs() throws Exception {
    List<JsonNode> out = new ArrayList<>();
    try (var it = new YAMLMapper().readerFor(JsonNode.class).readValues(Files.readString(MANIFEST))) {
      while (it.hasNext()) {
        JsonNode d = (JsonNode) it.next();
        if (d != null && !d.isNull() && !d.isMissingNode()) out.add(d);
      }
    }
    return out;
  }

  private static JsonNode kind(String kind) throws Exception {
    return docs().stream().filter(d -> kind.equals(d.path("kind").asText())).findFirst()
        .orElseThrow(() -> new AssertionError("no " + kind + " in " + MANIFEST));
  }

  private static JsonNode named(JsonNode array, String name) {
    for (JsonNode n : array) if (name.equals(n.path("name").asText())) return n;
    throw new AssertionError("nothing named " + name + " in " + array);
  }

  private static List<String> command(JsonNode container) {
    List<String> out = new ArrayList<>();
    container.path("command").forEach(n -> out.add(n.asText()));
    return out;
  }

  /** The command lines of {@code key}= in the package's javaland.service, in order. */
  private static List<String> unitLines(String key) throws Exception {
    String unit = Files.readString(Path.of("../packaging/systemd/javaland.service"));
    return unit.lines().filter(l -> l.startsWith(key + "=")).map(l -> l.substring(key.length() + 1)).toList();
  }

  private static List<String> unitLine(String key) throws Exception {
    return List.of(unitLines(key).get(0).split(" "));
  }

  /** The mount path of the volume named {@code volume} in {@code container}, null when it is not mounted. */
  private static String mountOf(JsonNode container, String volume) {
    for (JsonNode m : container.path("volumeMounts")) if (volume.equals(m.path("name").asText())) return m.path("mountPath").asText();
    return null;
  }

  private static String defaultOf(Class<?> command, String option) {
    try {
      return new CommandLine(command.getDeclaredConstructor().newInstance()).getCommandSpec().findOption(option).defaultValue();
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void theSchedulerContainerRunsTheUnitsCommandPrivilegedInTheHostsPidNamespace() throws Exception {
    JsonNode pod = kind("DaemonSet").path("spec").path("template").path("spec");
    assertTrue(pod.path("hostPID").asBoolean(), "hostPID");
    JsonNode scheduler = named(pod.path("containers"), "scheduler");
    assertTrue(scheduler.path("securityContext").path("privileged").asBoolean(), "privileged");
    assertEquals(unitLine("ExecStart"), command(scheduler), "the container runs javaland.service's ExecStart");
    assertEquals(List.of("/usr/lib/javaland/slot-check"), command(named(pod.path("initContainers"), "slot-check")),
        "the first init container is the unit's first ExecStartPre");
    String prepare = command(named(pod.path("initContainers"), "prepare")).get(2);
    assertTrue(prepare.startsWith(unitLines("ExecStartPre").get(1) + " "), "prepare makes the token as the unit's second ExecStartPre does: " + prepare);
    assertTrue(!java.util.regex.Pattern.compile("chmod 0?6[1-7]").matcher(prepare).find(),
        "no token file is made readable by others: run refuses such a file (TokenFile): " + prepare);
    assertEquals(defaultOf(RunCommand.class, "--http-port"), scheduler.path("ports").get(0).path("containerPort").asText());
  }

  @Test
  void theHostsBpfCgroupAndStateDirectoriesAreMountedWhereJavalandLooks() throws Exception {
    JsonNode pod = kind("DaemonSet").path("spec").path("template").path("spec");
    JsonNode scheduler = named(pod.path("containers"), "scheduler");
    Map<String, String> hostPaths = new java.util.HashMap<>();
    for (JsonNode v : pod.path("volumes")) {
      if (v.has("hostPath")) hostPaths.put(v.path("name").asText(), v.path("hostPath").path("path").asText());
    }
    assertEquals("/sys/fs/bpf", hostPaths.get("bpf"));
    assertEquals("/sys/fs/bpf", mountOf(scheduler, "bpf"));
    assertEquals("/sys/fs/cgroup", hostPaths.get("cgroup"));
    assertEquals("/sys/fs/cgroup", mountOf(scheduler, "cgroup"));
    assertEquals(Dirs.SYSTEM_STATE.toString(), hostPaths.get("state"), "the node keeps the registry where the package does");
    assertEquals(Dirs.SYSTEM_STATE.toString(), mountOf(scheduler, "state"));
    assertEquals(RunCommand.defaultConfig.getParent().toString(), mountOf(scheduler, "config"), "run reads its default config file there");
  }

  @Test
  void theLearnerIsItsOwnNonRootContainerTalkingToTheSchedulersApi() throws Exception {
    JsonNode pod = kind("DaemonSet").path("spec").path("template").path("spec");
    JsonNode learner = named(pod.path("containers"), "learner");
    JsonNode sc = learner.path("securityContext");
    assertTrue(sc.path("runAsNonRoot").asBoolean());
    assertNotEquals(0, sc.path("runAsUser").asInt(0));
    assertTrue(!sc.path("privileged").asBoolean() && !sc.path("allowPrivilegeEscalation").asBoolean(true));
    List<String> cmd = command(learner);
    assertEquals(List.of("/usr/bin/javaland", "learn"), cmd.subList(0, 2));
    assertEquals(defaultOf(LearnCommand.class, "--url"), cmd.get(cmd.indexOf("--url") + 1), "learn's default URL is run's API");
    assertEquals(Dirs.learnerState(Map.of(), true).toString(), cmd.get(cmd.indexOf("--state-dir") + 1));
    assertEquals(Dirs.learnerState(Map.of(), true).toString(), mountOf(learner, "state"));
    assertEquals(defaultOf(RunCommand.class, "--learner-metrics-port"), cmd.get(cmd.indexOf("--metrics-port") + 1));
    JsonNode run = null;
    for (JsonNode m : learner.path("volumeMounts")) if ("run".equals(m.path("name").asText())) run = m;
    assertEquals("learner", run.path("subPath").asText(), "the learner sees its own copy of the token, not the scheduler's");
    String token = unitLine("ExecStart").get(unitLine("ExecStart").indexOf("--api-token-file") + 1);
    assertEquals(token, cmd.get(cmd.indexOf("--token-file") + 1), "the learner reads the token the scheduler's run is given");
  }

  @Test
  void theConfigMapIsAConfigFileRunAccepts() throws Exception {
    JsonNode cm = kind("ConfigMap");
    String file = RunCommand.defaultConfig.getFileName().toString();
    String text = cm.path("data").path(file).asText(null);
    assertTrue(text != null && !text.isBlank(), "the ConfigMap holds " + file);
    Path f = dir.resolve(file);
    Files.writeString(f, text);
    RunCommand run = new RunCommand();
    new CommandLine(run).parseArgs();
    ConfigFile.Applied applied = ConfigFile.apply(run.spec, f, null, RunCommand::new);
    assertTrue(applied != ConfigFile.Applied.NONE);
    // and the same check refuses a key run does not have, so the one above could fail
    Files.writeString(f, text + "\nno-such-option: 1\n");
    RunCommand again = new RunCommand();
    new CommandLine(again).parseArgs();
    assertThrows(IllegalArgumentException.class, () -> ConfigFile.apply(again.spec, f, null, RunCommand::new));
    assertEquals(named(kind("DaemonSet").path("spec").path("template").path("spec").path("volumes"), "config")
        .path("configMap").path("name").asText(), cm.path("metadata").path("name").asText());
  }
}
