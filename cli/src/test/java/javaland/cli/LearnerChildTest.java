package javaland.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How {@code run} prepares its learner child: the token's file and channel, the privilege drop. */
class LearnerChildTest {
  @Test
  void theGeneratedTokenIsRandomAndItsFileIsPrivate() throws Exception {
    String a = LearnerChild.newToken();
    assertEquals(64, a.length(), "256 bits in hex");
    assertNotEquals(a, LearnerChild.newToken());
    Path f = LearnerChild.writeTokenFile(a);
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f.getParent())));
    assertEquals(a, javaland.api.TokenFile.token(f), "the API and the learner read the same token");
    // the API accepts the file as it is (mode, length, format)
    javaland.runtime.api.ApiAuth.check(new javaland.runtime.api.ApiAuth.Config(f, null, null, null, false));
  }

  @Test
  void theChildRunsUnprivilegedAndGetsTheTokenOutsideItsCommandLine() throws Exception {
    String token = LearnerChild.newToken();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    LearnerChild c = LearnerChild.prepare("http://127.0.0.1:8740", token, 8741, List.of("--window", "1s"), null, new PrintStream(out));
    assertTrue(c == null || c.command().contains("--enable-native-access=ALL-UNNAMED"),
        "the child's JVM may use FFM (else the JDK prints a WARNING block into run's output): " + (c == null ? "" : c.command()));
    if (!LearnerChild.isRoot()) {
      List<String> cmd = c.command();
      assertTrue(cmd.get(0).endsWith("java"), "not root: the same user runs it: " + cmd);
      assertFalse(String.join(" ", cmd).contains(token));
      return;
    }
    boolean setpriv = Files.isExecutable(Path.of("/usr/bin/setpriv"));
    boolean runuser = Files.isExecutable(Path.of("/usr/sbin/runuser"));
    if (!setpriv && !runuser) {
      assertEquals(null, c);
      assertTrue(out.toString().contains("learner not started"), out.toString());
      return;
    }
    List<String> cmd = c.command();
    if (setpriv) {
      assertEquals(List.of("/usr/bin/setpriv", "--reuid=nobody"), cmd.subList(0, 2), cmd.toString());
      assertTrue(cmd.contains("--clear-groups"), cmd.toString());
    }
    assertFalse(String.join(" ", cmd).contains(token), "the token is not on the command line (every user can read it in /proc)");
    assertTrue(cmd.containsAll(List.of("learn", "--url", "http://127.0.0.1:8740", "--metrics-port", "8741", "--window", "1s")), cmd.toString());
    Path state = Path.of(cmd.get(cmd.indexOf("--state-dir") + 1));
    assertEquals("nobody", Files.getOwner(state).getName(), "the learner's state directory is its own");
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(state)));

    // really as nobody: the dropped process cannot read root's private files, can write its state
    Process p = new ProcessBuilder(List.of(cmd.get(0), "--reuid=nobody", "--regid=nogroup", "--clear-groups", "--", "/bin/sh", "-c",
        "id -u; touch " + state + "/probe && echo wrote; cat /proc/1/environ >/dev/null 2>&1 || echo denied"))
        .redirectErrorStream(true).start();
    String text = new String(p.getInputStream().readAllBytes()).strip();
    p.waitFor();
    if (setpriv) assertEquals("65534\nwrote\ndenied", text);
    Files.deleteIfExists(state.resolve("probe"));
  }

  /**
   * The child warm-starts from the reward model train saved in the runtime's registry: the newest
   * of each policy is copied, as stored, into a registry of the child's own (it cannot write the
   * runtime's), and passed as --registry; none to copy, or a --registry given, passes nothing.
   */
  @Test
  void theChildGetsACopyOfTheNewestRewardModelsAsItsOwnRegistry(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
    Path runtime = dir.resolve("registry");
    Path state = dir.resolve("state");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    javaland.models.registry.Registry r = javaland.models.registry.Registry.open(runtime, w -> {});
    assertEquals(null, LearnerChild.priorRegistry(runtime, state, List.of(), null, new PrintStream(out)), "no model: nothing");
    var why = javaland.models.registry.Provenance.now("train", "test");
    r.saveArtifact("reward-model-deadline", new byte[] {1, 2, 3}, why);
    r.saveArtifact("something-else", new byte[] {9}, why);
    var newest = r.saveArtifact("reward-model-deadline", new byte[] {4, 5, 6, 7}, why);
    Path prior = LearnerChild.priorRegistry(runtime, state, List.of("--window", "1s"), null, new PrintStream(out));
    assertEquals(state.resolve("prior-registry"), prior);
    javaland.models.registry.Registry copy = javaland.models.registry.Registry.open(prior, w -> {});
    assertEquals(List.of(newest.id()), copy.artifacts().stream().map(javaland.models.registry.ModelArtifact::id).toList(),
        "only the newest reward model: " + copy.artifacts());
    assertArrayEquals(new byte[] {4, 5, 6, 7}, copy.readArtifact(copy.latestArtifact("reward-model-deadline").orElseThrow()),
        "the bytes as stored, their SHA-256 checked");
    assertTrue(out.toString().contains("learner warm-starts from artifact " + newest.id() + " 'reward-model-deadline'"), out.toString());
    assertEquals(null, LearnerChild.priorRegistry(runtime, state, List.of("--registry", "/elsewhere"), null, new PrintStream(out)),
        "the user's --registry stands");
    if (LearnerChild.isRoot() && LearnerChild.groupExists("nogroup")) { // as root the child is nobody: the copy is its own
      Path mine = LearnerChild.priorRegistry(runtime, state, List.of(), "nogroup", new PrintStream(out));
      for (Path f : List.of(mine, mine.resolve("artifacts"), copy.artifactFile(newest.id()))) {
        assertEquals("nobody", Files.getOwner(f).getName(), f.toString());
      }
    }
  }
}
