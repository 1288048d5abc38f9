package javaland.testbed;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The verdict on one scenario of one VM run. Built by {@link PassRules#evaluate}; numbers are null
 * when the guest did not report them. {@code guest} is the scenario's JL_RESULT object as the
 * guest printed it (with the scheduler's JAVALAND_STATS object as its "stats" field).
 * {@code figures}, when not null, holds a scenario's measurements (bench: throughput_ratio,
 * latency ratios, targets_met, ...); its fields become fields of the JSON object. {@code tcg} is
 * how qemu ran the vCPUs of the boot that produced it (single or multi, {@link TcgThreads}).
 */
public record ScenarioResult(
    String scenario,
    String kernel,
    boolean pass,
    List<Check> checks,
    boolean retried,
    String retryReason,
    String stateDuring,
    String ops,
    Long userDispatches,
    Long kernelDispatches,
    Long exemptDispatches,
    Long idleDispatches,
    Long cancelled,
    Long fallbacks,
    Long stallExits,
    Long exitKind,
    String exitReason,
    Long exitCode,
    JsonNode roundtripUs,
    Double dispatchesPerS,
    Long enableMs,
    Long msToDisabled,
    Long workloadExitCode,
    String stateAfter,
    String crash,
    Double bootS,
    String consoleLog,
    String tcg,
    JsonNode guest,
    ObjectNode figures) {

  private static final ObjectMapper JSON = new ObjectMapper();

  public ScenarioResult {
    checks = List.copyOf(checks);
  }

  /** The failed checks' names. */
  public List<String> failedChecks() {
    return checks.stream().filter(c -> !c.pass()).map(Check::name).toList();
  }

  public ObjectNode toJsonNode() {
    ObjectNode o = JSON.createObjectNode();
    o.put("scenario", scenario);
    o.put("kernel", kernel);
    o.put("pass", pass);
    o.put("state_during", stateDuring);
    o.put("ops", ops);
    o.put("user_dispatches", userDispatches);
    o.put("kernel_dispatches", kernelDispatches);
    o.put("exempt_dispatches", exemptDispatches);
    o.put("idle_dispatches", idleDispatches);
    o.put("cancelled", cancelled);
    o.put("fallbacks", fallbacks);
    o.put("stall_exits", stallExits);
    o.put("exit_kind", exitKind);
    o.put("exit_reason", exitReason);
    o.put("exit_code", exitCode);
    if (roundtripUs == null) {
      o.putNull("roundtrip_us");
    } else {
      o.set("roundtrip_us", roundtripUs.deepCopy());
    }
    o.put("dispatches_per_s", dispatchesPerS);
    o.put("enable_ms", enableMs);
    o.put("ms_to_disabled", msToDisabled);
    o.put("workload_exit_code", workloadExitCode);
    o.put("state_after", stateAfter);
    if (figures != null) o.setAll(figures.deepCopy());
    ArrayNode cs = o.putArray("checks");
    for (Check c : checks) {
      cs.addObject().put("name", c.name()).put("pass", c.pass()).put("detail", c.detail());
    }
    o.put("retried", retried);
    o.put("retry_reason", retryReason);
    o.put("crash", crash);
    o.put("boot_s", bootS);
    o.put("console_log", consoleLog);
    o.put("tcg", tcg);
    if (guest == null) {
      o.putNull("guest");
    } else {
      o.set("guest", guest.deepCopy());
    }
    return o;
  }

  /** One line of compact JSON. */
  public String toJson() {
    try {
      return JSON.writeValueAsString(toJsonNode());
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
