package javaland.cli;

import static javaland.cli.CliRun.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javaland.runtime.api.Jwts;
import javaland.runtime.rules.FileRuleStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real {@code javaland run} on the simulated kernel, driven through {@code javaland policy}:
 * a rule and a parameter change go in, survive a restart on the same registry, and tokens are
 * checked. The run is a separate JVM (the test's class path), so that its stdout does not mix
 * with the policy commands' and a restart is a real one; the policy commands run in-process.
 */
class PolicyEndToEndTest {
  static final String TOKEN = "e2e-token-0123456789abcdef";
  static final Pattern LISTENING = Pattern.compile("status at http://127\\.0\\.0\\.1:(\\d+)/status");

  @TempDir
  Path dir;
  final List<Process> started = new ArrayList<>();

  /** One {@code javaland run}: its process, its output file and its URL. */
  record Run(Process process, Path out, String url) {
    String output() throws IOException {
      return Files.readString(out);
    }

    /** SIGTERM, as Ctrl-C would: the run detaches, prints its stats line and exits 0. */
    String stop() throws Exception {
      process.destroy();
      assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the run did not stop on SIGTERM");
      String text = output();
      assertEquals(0, process.exitValue(), text + Files.readString(out.resolveSibling(out.getFileName() + ".err")));
      assertTrue(text.strip().lines().reduce((a, b) -> b).orElse("").startsWith("JAVALAND_STATS {"), text);
      return text;
    }
  }

  Run start(Path registry, Path tokenFile, Path jwtKey, String name) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    Path out = dir.resolve(name + ".out");
    Path err = dir.resolve(name + ".out.err");
    Process p = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-Xmx256m", "-XX:TieredStopAtLevel=1",
        "-cp", cp, "javaland.cli.Main", "run", "--sim", "--workload", "mix", "--sim-cpus", "2", "--progress", "0",
        "--registry", registry.toString(), "--api-token-file", tokenFile.toString(), "--api-jwt-key", jwtKey.toString(),
        "--http-port", "0", "--canary-timeout", "10m")
        .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    started.add(p);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (System.nanoTime() < deadline) {
      Matcher m = LISTENING.matcher(Files.readString(out));
      if (m.find()) return new Run(p, out, "http://127.0.0.1:" + m.group(1));
      if (!p.isAlive()) break;
      Thread.sleep(100);
    }
    throw new AssertionError("the run did not start: " + Files.readString(out) + Files.readString(err));
  }

  @AfterEach
  void killLeftovers() {
    for (Process p : started) if (p.isAlive()) p.destroyForcibly();
  }

  static Path secret(Path f, String text) throws IOException {
    Files.writeString(f, text);
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
    return f;
  }

  static CliRun policy(Run r, Path token, String... args) {
    List<String> all = new ArrayList<>(List.of("policy"));
    all.addAll(List.of(args));
    all.addAll(List.of("--url", r.url()));
    if (token != null) all.addAll(List.of("--token-file", token.toString()));
    return run(all.toArray(String[]::new));
  }

  static CliRun ok(CliRun c) {
    assertEquals(0, c.code(), c.out() + c.err());
    return c;
  }

  static Object inode(Path f) throws IOException {
    return Files.readAttributes(f, BasicFileAttributes.class).fileKey();
  }

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void rulesAndParametersGoInThroughTheApiAndSurviveARestart() throws Exception {
    Path registry = dir.resolve("registry");
    Path token = secret(dir.resolve("api-token"), "# e2e\n" + TOKEN + "\n");
    KeyPair key = Jwts.rsa();
    Path pem = Jwts.writePublicPem(key, dir.resolve("jwt-public.pem"));
    Path reader = secret(dir.resolve("reader.jwt"), Jwts.rs256(Jwts.claims("reader", "javaland:read", 600), key.getPrivate()) + "\n");
    Path rulesFile = registry.resolve("rules.yaml");

    Run first = start(registry, token, pem, "run1");
    assertTrue(first.output().contains("recorded version 1 of deadline"), first.output());
    assertTrue(Files.readString(rulesFile).contains("rules: []"), "run created an empty rules file in the registry");
    Object inodeBefore = inode(rulesFile);

    // Auth: nothing without a token, reads but no writes with a read-only JWT.
    CliRun none = policy(first, null, "status");
    assertEquals(2, none.code());
    assertTrue(none.err().contains("not authenticated (401)"), none.err());
    assertTrue(ok(policy(first, reader, "status")).out().startsWith("policy deadline, version 1"));
    CliRun readOnlyWrite = policy(first, reader, "set", "max_delay_us=40000");
    assertEquals(2, readOnlyWrite.code());
    assertTrue(readOnlyWrite.err().contains("not allowed (403)") && readOnlyWrite.err().contains("javaland:write"), readOnlyWrite.err());
    Path rule = dir.resolve("web.yaml");
    Files.writeString(rule, """
        name: web
        description: the simulated interactive tasks answer first
        match:
          cgroup: /sim/interactive
        class: latency-critical
        priority: 20
        slice_us: {max: 2000}
        """);
    assertEquals(2, policy(first, reader, "rules", "add", "-f", rule.toString()).code());

    // A latency-critical rule: in force at once, and written to the registry's rules file atomically.
    assertEquals("added rule web", ok(policy(first, token, "rules", "add", "-f", rule.toString())).out().strip());
    String list = ok(policy(first, token, "rules", "list")).out();
    assertTrue(list.contains(" 1. web") && list.contains("latency-critical priority 20 slice_us ..2000")
        && list.contains("/sim/interactive"), list);
    JsonObject runtime = new JsonObject(ok(policy(first, token, "status", "--json")).out()).getJsonObject("runtime");
    assertEquals(1, runtime.getJsonObject("rules").getInteger("count"), runtime.encode());
    assertEquals(rulesFile.toString(), runtime.getJsonObject("rules").getString("file"));
    String text = Files.readString(rulesFile);
    assertTrue(text.contains("name: web") && text.contains("class: latency-critical") && text.contains("cgroup: /sim/interactive"), text);
    assertNotEquals(inodeBefore, inode(rulesFile), "the file was replaced by a rename, not rewritten in place");
    assertFalse(Files.exists(registry.resolve(".rules.yaml.tmp")), "no temporary file left behind");
    assertEquals(1, FileRuleStore.open(rulesFile, m -> {}).list().size(), "the file on disk is a valid rules file");

    // A parameter proposal of the policy's and the kernel half's: a canary, then history and rollback.
    CliRun set = ok(policy(first, token, "set", "max_delay_us=40000", "kernel.rescue_ms=50", "--reason", "e2e: tighter"));
    Matcher v = Pattern.compile("canary canary: version (\\d+)").matcher(set.out());
    assertTrue(v.find(), set.out());
    long proposed = Long.parseLong(v.group(1));
    assertEquals(2, proposed, set.out());
    String history = ok(policy(first, token, "history")).out();
    assertTrue(history.lines().anyMatch(l -> l.startsWith("v2 ") && l.contains("api:token") && l.contains("e2e: tighter")
        && l.contains("[kernel.rescue_ms=50 max_delay_us=40000]")), history);
    CliRun rb = ok(policy(first, token, "rollback", "--reason", "e2e: undo"));
    Matcher now = Pattern.compile("version (\\d+) now in force").matcher(rb.out());
    assertTrue(now.find(), rb.out());
    long rolledBack = Long.parseLong(now.group(1));
    assertTrue(rolledBack > proposed, rb.out());
    JsonObject params = new JsonObject(ok(policy(first, token, "params", "--json")).out());
    assertEquals(50_000.0, params.getJsonObject("current").getJsonObject("values").getDouble("max_delay_us"), params.encode());
    assertEquals(100.0, params.getJsonObject("current").getJsonObject("values").getDouble("kernel.rescue_ms"), params.encode());
    String out1 = first.stop();
    assertTrue(out1.contains("canary: version 2 proposed by api:token"), out1);

    // Restart on the same registry: the rule and every version are still there.
    Run second = start(registry, token, pem, "run2");
    assertTrue(second.output().contains("serving last-known-good version " + rolledBack + " of deadline"), second.output());
    String list2 = ok(policy(second, token, "rules", "list")).out();
    assertTrue(list2.contains(" 1. web") && list2.contains("latency-critical priority 20"), list2);
    assertEquals("/sim/interactive", new JsonObject(ok(policy(second, reader, "rules", "get", "web")).out())
        .getJsonObject("match").getString("cgroup"));
    String history2 = ok(policy(second, reader, "history")).out();
    for (long n = 1; n <= rolledBack; n++) {
      long version = n;
      assertTrue(history2.lines().anyMatch(l -> l.startsWith("v" + version + " ")), "version " + n + " kept: " + history2);
    }
    assertTrue(history2.contains("e2e: tighter"), history2);
    assertTrue(ok(policy(second, reader, "status")).out().startsWith("policy deadline, version " + rolledBack), "in force after restart");
    second.stop();
  }
}
