package javaland.testbed;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one boot of the VM produced.
 *
 * @param results        the JL_RESULT object of each scenario that reported one
 * @param crash          the first console line that showed a guest crash, or null
 * @param crashDuring    the scenario running when it appeared ("boot" before the first), or null
 * @param finishedBeforeCrash scenarios that had ended before the crash
 * @param timedOut       the wall-clock timeout stopped the VM
 * @param poweredOff     the guest reached the end of /init and powered off
 * @param bootSeconds    host seconds from starting qemu to the guest's "booted" marker (or -1)
 * @param seconds        host seconds the VM ran
 * @param qemuExit       qemu's exit code (-1 when it was stopped)
 * @param consoleLog     the serial console, as received
 */
public record BootOutcome(
    Map<String, JsonNode> results,
    String crash,
    String crashDuring,
    Set<String> finishedBeforeCrash,
    boolean timedOut,
    boolean poweredOff,
    double bootSeconds,
    double seconds,
    int qemuExit,
    Path consoleLog) {

  /** Why this boot should be retried (a crash, or a requested scenario without result), or null. */
  public String retryReason(List<String> scenarios) {
    if (crash != null) return "guest crash during " + crashDuring + ": " + crash;
    List<String> missing = scenarios.stream().filter(s -> !results.containsKey(s)).toList();
    if (!missing.isEmpty()) {
      return "no JL_RESULT for " + String.join(",", missing)
          + (timedOut ? " (timed out)" : poweredOff ? "" : " (guest did not finish)");
    }
    return null;
  }

  /** Of {@code scenarios}, those this boot did not finish: no result, or a crash during or before them. */
  public List<String> unfinished(List<String> scenarios) {
    return scenarios.stream().filter(s -> !results.containsKey(s) || crashAffecting(s) != null).toList();
  }

  /** The crash, if it can have affected this scenario (it happened during or before it), else null. */
  public String crashAffecting(String scenario) {
    if (crash == null || finishedBeforeCrash.contains(scenario)) return null;
    return crash;
  }
}
