package javaland.runtime.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import javaland.runtime.api.ApiTestServer.Response;
import javaland.runtime.policy.PolicyCatalog;
import javaland.runtime.policy.PolicySchema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * GET and PUT /policy over the runtime's real canary: a swap is a canary of the other policy
 * (recorded under its name, applied, judged), refused with nothing changed when a canary runs, the
 * name is unknown or malformed; a rollback swaps back. Every answer is checked against the contract.
 */
class PolicySwapApiTest {
  static final String TOKEN = "0123456789abcdef0123456789abcdef";
  @TempDir Path dir;

  @Test
  void aSwapIsACanaryOfTheOtherPolicyAndARollbackSwapsBack() throws Exception {
    Path f = dir.resolve("token");
    Files.writeString(f, TOKEN + "\n");
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
    try (ApiTestServer s = ApiTestServer.start(new ApiAuth.Config(f, null, null, null, false))) {
      PolicyCatalog shipped = PolicyCatalog.builtIn();
      s.control.swapsWith(shipped::names, n -> PolicySchema.of(shipped.create(n)));

      Response choice = s.call("getPolicy", "GET", "/api/v1/policy", null, TOKEN);
      assertEquals(200, choice.status(), choice.body());
      assertEquals("deadline", choice.json().getString("inForce"));
      JsonArray installed = choice.json().getJsonArray("installed");
      assertTrue(installed.contains("fifo") && installed.contains("deadline"), choice.body());

      List<Object> before = s.controlState();
      Response unknown = s.call("swapPolicy", "PUT", "/api/v1/policy", "{\"name\":\"nosuch\"}", TOKEN);
      assertEquals(422, unknown.status(), unknown.body());
      assertTrue(unknown.body().contains("nosuch"), unknown.body());
      Response malformed = s.call("swapPolicy", "PUT", "/api/v1/policy", "{\"name\":\"Not A Name\"}", TOKEN);
      assertEquals(400, malformed.status(), malformed.body());
      Response same = s.call("swapPolicy", "PUT", "/api/v1/policy", "{\"name\":\"deadline\"}", TOKEN);
      assertEquals(409, same.status(), same.body());
      assertEquals(before, s.controlState(), "nothing was recorded or applied");

      Response swap = s.call("swapPolicy", "PUT", "/api/v1/policy", "{\"name\":\"fifo\",\"reason\":\"try fifo\"}", TOKEN);
      assertEquals(202, swap.status(), swap.body());
      assertEquals("canary", swap.json().getString("state"));
      assertEquals("fifo", s.applied.getLast().policy(), "fifo's version was applied");
      assertTrue(s.applied.getLast().values().containsKey("slice_us"), "with fifo's parameters");
      Response status = s.call("getStatus", "GET", "/api/v1/status", null, TOKEN);
      assertEquals("fifo", status.json().getString("policy"));
      Response params = s.call("getParameters", "GET", "/api/v1/parameters", null, TOKEN);
      assertTrue(params.body().contains("\"slice_us\"") && !params.body().contains("\"max_delay_us\""),
          "the schema is fifo's now: " + params.body());
      Response again = s.call("swapPolicy", "PUT", "/api/v1/policy", "{\"name\":\"example\"}", TOKEN);
      assertEquals(409, again.status(), "a canary is running: " + again.body());

      Response back = s.call("rollback", "POST", "/api/v1/rollback", "{}", TOKEN);
      assertEquals(200, back.status(), back.body());
      assertEquals("deadline", back.json().getString("policy"));
      assertEquals("deadline", s.applied.getLast().policy(), "swapped back");
      assertTrue(s.audit.stream().anyMatch(l -> l.contains("swapped policy deadline for fifo")), s.audit::toString);
      assertEquals(List.of("start", "swap", "rollback"),
          s.control.audit().stream().map(javaland.models.registry.AuditEntry::event).toList());
    }
  }
}
