package javaland.cli;

import static javaland.cli.CliRun.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import javaland.runtime.api.ApiAuth;
import javaland.runtime.api.ApiTestServer;
import javaland.runtime.policy.PolicyCatalog;
import javaland.runtime.policy.PolicySchema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code javaland policy use [NAME]} against the API over the runtime's real canary (ApiTestServer). */
class PolicyUseCommandTest {
  @TempDir Path dir;

  @Test
  void useListsThePoliciesThenSwapsOneInAsACanary() throws Exception {
    Path token = dir.resolve("token");
    Files.writeString(token, "abcdefghijklmnopqrstuvwxyz012345\n");
    Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-------"));
    try (ApiTestServer s = ApiTestServer.start(new ApiAuth.Config(token, null, null, null, false))) {
      PolicyCatalog shipped = PolicyCatalog.builtIn();
      s.control.swapsWith(shipped::names, n -> PolicySchema.of(shipped.create(n)));
      String[] at = {"--url", s.url(), "--token-file", token.toString()};

      CliRun list = run(cat(new String[] {"policy", "use"}, at));
      assertEquals(0, list.code(), list.out() + list.err());
      assertTrue(list.out().contains("in force: deadline") && list.out().contains("fifo"), list.out());

      CliRun use = run(cat(new String[] {"policy", "use", "fifo", "--reason", "try it"}, at));
      assertEquals(0, use.code(), use.out() + use.err());
      assertTrue(use.out().startsWith("swapped in fifo; canary canary: version "), use.out());
      assertEquals("fifo", s.applied.getLast().policy());
      assertEquals("try it", s.control.current().provenance().reason());

      CliRun again = run(cat(new String[] {"policy", "use", "example"}, at));
      assertNotEquals(0, again.code(), again.out());
      assertTrue(again.err().contains("is running"), again.err());
      assertEquals("fifo", s.applied.getLast().policy(), "nothing changed");
    }
  }

  private static String[] cat(String[] a, String[] b) {
    String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }
}
