package javaland.cli;

import static javaland.cli.CliRun.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import javaland.runtime.api.ApiAuth;
import javaland.runtime.api.ApiTestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code javaland policy ...} against a real Vert.x server with the API over the runtime's real
 * canary (on a registry) and rule store (on a rules file); see ApiTestServer.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PolicyCommandTest {
  @TempDir
  static Path dir;
  ApiTestServer s;
  Path token;
  Path readToken;

  static Path secret(Path f, String text) throws Exception {
    Files.writeString(f, text);
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
    return f;
  }

  @BeforeAll
  void start() throws Exception {
    token = secret(dir.resolve("token"), "# javaland API token\nabcdefghijklmnopqrstuvwxyz012345\n");
    s = ApiTestServer.start(new ApiAuth.Config(token, null, null, null, false));
    readToken = dir.resolve("read-token");
    Files.writeString(readToken, "anothertokenanothertoken\n");
  }

  @AfterAll
  void stop() throws Exception {
    s.close();
  }

  CliRun policy(String... args) {
    String[] all = new String[args.length + 5];
    all[0] = "policy";
    System.arraycopy(args, 0, all, 1, args.length);
    all[args.length + 1] = "--url";
    all[args.length + 2] = s.url();
    all[args.length + 3] = "--token-file";
    all[args.length + 4] = token.toString();
    return run(all);
  }

  @Test
  void aRefusedConnectionNamesTheUrlAndTheRuntime() {
    CliRun r = run("policy", "status", "--url", "http://127.0.0.1:1");
    assertEquals(1, r.code(), "a failure, not a usage error (docs/operations.md#exit-codes)");
    assertTrue(r.err().contains("cannot reach the javaland API at http://127.0.0.1:1 (connection refused)")
        && r.err().contains("javaland run"), r.err());
  }

  @Test
  void statusAndParamsPrintWhatTheRuntimeHolds() {
    CliRun st = policy("status");
    assertEquals(0, st.code(), st.err());
    assertTrue(st.out().startsWith("policy deadline, version "), st.out());
    CliRun p = policy("params");
    assertEquals(0, p.code(), p.err());
    assertTrue(p.out().lines().anyMatch(l -> l.startsWith("slice_max_us") && l.contains("100..100000") && l.contains("us")), p.out());
    CliRun j = policy("params", "--json");
    assertEquals(s.control.schema().size(), new JsonObject(j.out()).getJsonArray("schema").size());
  }

  @Test
  void setCommitHistoryAndRollback() {
    CliRun set = policy("set", "slice_max_us=5000", "--reason", "shorter slices");
    assertEquals(0, set.code(), set.err());
    assertTrue(set.out().startsWith("proposed; canary canary: version"), set.out());
    assertEquals(5000.0, s.control.current().values().get("slice_max_us"));
    assertEquals("shorter slices", s.control.current().provenance().reason());
    long proposed = s.control.current().version();

    CliRun c = policy("commit");
    assertEquals(0, c.code(), c.err());
    assertTrue(c.out().startsWith("committed; committed: version " + proposed), c.out());

    CliRun h = policy("history");
    assertEquals(0, h.code(), h.err());
    assertTrue(h.out().lines().anyMatch(l -> l.startsWith("v" + proposed) && l.contains("api:token")
        && l.contains("shorter slices") && l.contains("[slice_max_us=5000]")), h.out());

    long first = s.control.history().getFirst().version();
    CliRun rb = policy("rollback", Long.toString(first));
    assertEquals(0, rb.code(), rb.err());
    assertTrue(rb.out().contains("rolled back to version " + first + ": version " + (proposed + 1) + " now in force"), rb.out());
    assertEquals(20_000.0, s.control.current().values().get("slice_max_us"));

    CliRun missing = policy("rollback", "999");
    assertEquals(2, missing.code());
    assertTrue(missing.err().contains("refused (404 not_found): no version 999"), missing.err());
  }

  @Test
  void refusedValuesArePrintedOnePerLineAndNothingChanges() {
    var before = s.controlState();
    CliRun r = policy("set", "slice_max_us=5", "turbo=1");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("refused (422 rejected)"), r.err());
    assertTrue(r.err().lines().anyMatch(l -> l.strip().startsWith("/values/slice_max_us: parameter slice_max_us = 5.0 is out of range")), r.err());
    assertTrue(r.err().lines().anyMatch(l -> l.strip().startsWith("/values/turbo: unknown parameter")), r.err());
    CliRun nan = policy("set", "slice_max_us=fast");
    assertEquals(2, nan.code());
    assertTrue(nan.err().contains("'slice_max_us=fast': the value is not a number"), nan.err());
    assertEquals(before, s.controlState());
  }

  @Test
  void authFailuresAreExplained() {
    CliRun none = run("policy", "set", "slice_max_us=5000", "--url", s.url());
    assertEquals(2, none.code());
    assertTrue(none.err().contains("not authenticated (401)") && none.err().contains("--token-file FILE"), none.err());
    CliRun wrong = run("policy", "status", "--url", s.url(), "--token-file", readToken.toString());
    assertEquals(2, wrong.code());
    assertTrue(wrong.err().contains("the token in --token-file was not accepted"), wrong.err());
  }

  @Test
  void rulesRoundTrip() throws Exception {
    Path web = dir.resolve("web.yaml");
    Files.writeString(web, """
        name: web
        match:
          any:
            - comm: ^(nginx|postgres)$
            - cgroup: /system.slice/postgresql.service
        class: latency-critical
        priority: 10
        slice_us: {min: 500, max: 3000}
        cpus: 0-3
        """);
    Path bk = dir.resolve("bk.json");
    Files.writeString(bk, "{\"name\":\"bk\",\"match\":{\"comm\":\"^backup\"},\"class\":\"background\"}");
    CliRun addWeb = policy("rules", "add", "-f", web.toString());
    assertEquals(0, addWeb.code(), addWeb.err());
    assertEquals("added rule web", addWeb.out().strip());
    CliRun add = policy("rules", "add", "-f", bk.toString(), "--position", "0");
    assertEquals(0, add.code(), add.err());
    CliRun list = policy("rules", "list");
    assertEquals(0, list.code(), list.err());
    String[] lines = list.out().split("\n");
    assertTrue(lines[0].contains("1. bk") && lines[0].contains("background") && lines[0].contains("{\"comm\":\"^backup\"}"), list.out());
    assertTrue(lines[1].contains("2. web") && lines[1].contains("latency-critical priority 10 slice_us 500..3000 cpus 0-3"), list.out());
    assertTrue(Files.readString(s.rulesFile).contains("cgroup: /system.slice/postgresql.service"), "persisted in the rules file");

    CliRun get = policy("rules", "get", "web");
    JsonObject got = new JsonObject(get.out());
    assertEquals("^(nginx|postgres)$", got.getJsonObject("match").getJsonArray("any").getJsonObject(0).getString("comm"));
    assertEquals(3000, got.getJsonObject("slice_us").getInteger("max"));

    var before = s.rulesState();
    Path bad = dir.resolve("bad.yaml");
    Files.writeString(bad, "name: web\nmatch:\n  comm: \"([a-z\"\n  nice: 40\nclass: batch\n");
    CliRun refused = policy("rules", "replace", "web", "-f", bad.toString());
    assertEquals(2, refused.code());
    assertTrue(refused.err().contains("refused (422 rejected)"), refused.err());
    assertTrue(refused.err().lines().anyMatch(l -> l.strip().startsWith("/match/comm: invalid regex")), refused.err());
    assertTrue(refused.err().lines().anyMatch(l -> l.strip().startsWith("/match/nice: 40 is out of range")), refused.err());
    Path old = dir.resolve("old.yaml");
    Files.writeString(old, "name: web\nmatch:\n  comm: ^nginx$\naction:\n  class: batch\n");
    CliRun oldShape = policy("rules", "replace", "web", "-f", old.toString());
    assertEquals(2, oldShape.code());
    assertTrue(oldShape.err().contains("400") && oldShape.err().contains("action"), oldShape.err());
    CliRun dup = policy("rules", "add", "-f", bk.toString());
    assertEquals(2, dup.code());
    assertTrue(dup.err().contains("409") && dup.err().contains("'bk' exists"), dup.err());
    CliRun partial = policy("rules", "reorder", "web");
    assertEquals(2, partial.code());
    assertTrue(partial.err().lines().anyMatch(l -> l.strip().startsWith("/names: rule 'bk' is missing")), partial.err());
    assertEquals(before, s.rulesState(), "refused changes left the rules and the file as they were");

    CliRun ord = policy("rules", "reorder", "web", "bk");
    assertEquals(0, ord.code(), ord.err());
    assertTrue(ord.out().startsWith(" 1. web"), ord.out());
    assertEquals(0, policy("rules", "delete", "bk").code());
    CliRun gone = policy("rules", "delete", "bk");
    assertEquals(2, gone.code());
    assertTrue(gone.err().contains("404") && gone.err().contains("no rule named 'bk'"), gone.err());
    assertEquals(0, policy("rules", "delete", "web").code());
    assertTrue(policy("rules", "list").out().startsWith("no rules; rules version"));
  }

  @Test
  void learnedClassesAreListedWithTheirEvidencePinnedAndRejected() throws Exception {
    s.learned.propose("probe", "latency-critical", java.util.Map.of("wakeups_per_s", 200.0, "run_per_wakeup_us", 95.0),
        "short frequent bursts", "learner via api:token");
    s.learned.propose("hog", "batch", java.util.Map.of("cpu_share", 0.98), "CPU-bound", "learner via api:token");
    CliRun l = policy("rules", "learned");
    assertEquals(0, l.code(), l.err());
    assertTrue(l.out().matches("(?s).*probe +latency-critical +canary +v1 by learner via api:token: short frequent bursts \\[run_per_wakeup_us=95\\.0 wakeups_per_s=200\\].*"), l.out());
    assertTrue(l.out().contains("cpu_share=0.980"), l.out());
    CliRun p = policy("rules", "pin", "probe", "--reason", "ours");
    assertEquals(0, p.code(), p.err());
    assertTrue(p.out().contains("pinned"), p.out());
    CliRun r = policy("rules", "reject", "hog");
    assertEquals(0, r.code(), r.err());
    assertEquals("rejected", s.learned.list().classes().get(0).state(), s.learned.list().toString());
    CliRun again = policy("rules", "pin", "hog");
    assertTrue(again.code() != 0, "a rejected class cannot be pinned: " + again.out());
    assertTrue(again.err().contains("rejected, not in force"), again.err());
    CliRun none = policy("rules", "reject", "nobody");
    assertTrue(none.err().contains("no learned class for 'nobody'"), none.err());
    CliRun json = policy("--json", "rules", "learned");
    assertTrue(json.out().contains("\"evidence\""), json.out());
  }
}
