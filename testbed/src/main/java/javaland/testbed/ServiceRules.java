package javaland.testbed;

import static javaland.testbed.PassRules.num;
import static javaland.testbed.PassRules.str;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * smoke's last part, {@code service} in its result: the package's {@code javaland.service} run by
 * hand as its unit file says (the guest has no systemd; testbed/guest/unit.sh), from the installed
 * tree, with the installed {@code /etc/javaland/javaland.yaml} in which the guest set
 * {@code policy: fifo}.
 * <ul>
 *   <li>{@code service_installed}: the tree was in the guest when the test bed was given one
 *       ({@code --package}); without one there are no other checks</li>
 *   <li>{@code service_started}: every ExecStartPre line exited 0 and ExecStart started</li>
 *   <li>{@code service_enabled}: state {@code enabled}, ops {@code javaland}</li>
 *   <li>{@code service_config_read}: the scheduler ran the policy the config file names</li>
 *   <li>{@code service_token_file_600}, {@code service_registry}: the api-token step's file, mode
 *       600; the registry in /var/lib/javaland holds a version</li>
 *   <li>{@code service_slot_check_refuses}: the unit's first ExecStartPre, run while this
 *       scheduler holds the slot, exits 1 naming it</li>
 *   <li>{@code service_disabled_within_1s}: SIGTERM, then state {@code disabled} within
 *       {@value #DISABLE_LIMIT_MS} ms: the kernel has its scheduler back</li>
 *   <li>{@code service_no_stall_exit}, {@code service_state_disabled_after_sigterm},
 *       {@code service_exit_kind_unreg}, {@code service_exit_code_0}: as every clean exit</li>
 * </ul>
 */
final class ServiceRules {
  static final long DISABLE_LIMIT_MS = 1000;

  private ServiceRules() {}

  static void check(JsonNode s, List<Check> c) {
    if (s == null || !s.isObject()) {
      c.add(Check.of("service_part_present", false, "no 'service' object in smoke's result"));
      return;
    }
    if (!s.path("installed").asBoolean(false)) {
      if (s.path("expected").asBoolean(false)) {
        c.add(Check.of("service_installed", false, "the test bed was given a package, the guest has no javaland.service"));
      }
      return;
    }
    JsonNode stats = PassRules.stats(s);
    String failed = str(s, "start_failed");
    c.add(Check.of("service_started", failed == null, failed == null ? str(s, "exec_start") : "failed: " + failed));
    c.add(Check.of("service_enabled", "enabled".equals(str(s, "state_during")) && "javaland".equals(str(s, "ops")),
        "state " + str(s, "state_during") + ", ops " + str(s, "ops")));
    String edit = str(s, "config_edit");
    String want = edit != null && edit.startsWith("policy:") ? edit.substring("policy:".length()).strip() : null;
    String ran = str(stats, "policy");
    c.add(Check.of("service_config_read", want != null && want.equals(ran), "config says " + edit + ", the scheduler ran " + ran));
    c.add(Check.of("service_token_file_600", "600".equals(str(s, "token_file_mode")), "mode " + str(s, "token_file_mode")));
    Long versions = num(s, "registry_versions");
    c.add(Check.of("service_registry", versions != null && versions > 0, versions + " versions in /var/lib/javaland"));
    Long guard = num(s, "guard_exit_code");
    String msg = str(s, "guard_message");
    c.add(Check.of("service_slot_check_refuses", Long.valueOf(1).equals(guard) && msg != null && msg.contains("javaland"),
        "exit " + guard + ": " + msg));
    Long ms = num(s, "ms_to_disabled");
    c.add(Check.of("service_disabled_within_1s", ms != null && ms >= 0 && ms <= DISABLE_LIMIT_MS,
        ms == null ? "not disabled within 10 s of SIGTERM" : ms + " ms after SIGTERM"));
    List<Check> clean = new ArrayList<>();
    PassRules.cleanExit(s, stats, clean);
    for (Check k : clean) c.add(Check.of("service_" + k.name(), k.pass(), k.detail()));
  }
}
