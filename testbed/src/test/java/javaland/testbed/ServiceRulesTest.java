package javaland.testbed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServiceRulesTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static final String OK = """
      {"installed":true,"exec_start":"/usr/bin/javaland run --registry /var/lib/javaland --api-token-file /run/javaland/api-token --no-learner",
       "config_edit":"policy: fifo","start_failed":null,"state_during":"enabled","ops":"javaland","token_file_mode":"600",
       "registry_versions":1,"guard_exit_code":1,
       "guard_message":"javaland: another sched_ext scheduler is active (state enabled, ops 'javaland'): stop it first",
       "ms_to_disabled":420,"exit_code":0,"state_after":"disabled",
       "stats":{"policy":"fifo","exit_kind":64,"exit_reason":"unregistered from user space"}}""";

  private static List<String> failed(String json, java.util.function.Consumer<ObjectNode> edit) throws Exception {
    ObjectNode s = (ObjectNode) JSON.readTree(json);
    edit.accept(s);
    List<Check> c = new ArrayList<>();
    ServiceRules.check(s, c);
    assertTrue(!c.isEmpty() || !s.path("installed").asBoolean());
    return c.stream().filter(k -> !k.pass()).map(Check::name).toList();
  }

  @Test
  void aCleanUnitRunPasses() throws Exception {
    assertEquals(List.of(), failed(OK, s -> {}));
  }

  @Test
  void aSlowGiveBackAConfigNotReadAndAGuardThatLetsASecondStartThroughFail() throws Exception {
    assertEquals(List.of("service_disabled_within_1s"), failed(OK, s -> s.put("ms_to_disabled", 1500)));
    assertEquals(List.of("service_disabled_within_1s"), failed(OK, s -> s.putNull("ms_to_disabled")));
    assertEquals(List.of("service_config_read"), failed(OK, s -> ((ObjectNode) s.get("stats")).put("policy", "deadline")));
    assertEquals(List.of("service_slot_check_refuses"), failed(OK, s -> s.put("guard_exit_code", 0)));
    assertEquals(List.of("service_slot_check_refuses"), failed(OK, s -> s.put("guard_message", "javaland: busy")
        .put("guard_message", "another scheduler is active")));
    assertEquals(List.of("service_token_file_600"), failed(OK, s -> s.put("token_file_mode", "644")));
  }

  @Test
  void aFailedStartFailsEveryLaterCheckToo() throws Exception {
    List<String> f = failed(OK, s -> s.put("start_failed", "/usr/lib/javaland/slot-check").putNull("state_during")
        .putNull("ops").putNull("guard_exit_code").putNull("ms_to_disabled").putNull("exit_code").putNull("stats"));
    assertTrue(f.containsAll(List.of("service_started", "service_enabled", "service_config_read",
        "service_slot_check_refuses", "service_disabled_within_1s", "service_exit_code_0")), f::toString);
  }

  @Test
  void noTreeIsFineOnlyWhenNoneWasGiven() throws Exception {
    assertEquals(List.of(), failed("{\"installed\":false,\"expected\":false}", s -> {}));
    assertEquals(List.of("service_installed"), failed("{\"installed\":false,\"expected\":true}", s -> {}));
    List<Check> c = new ArrayList<>();
    ServiceRules.check(null, c);
    assertEquals(List.of("service_part_present"), c.stream().map(Check::name).toList());
  }
}
