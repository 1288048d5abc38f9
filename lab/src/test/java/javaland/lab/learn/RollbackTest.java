package javaland.lab.learn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import javaland.lab.experiment.RollbackSpec;
import javaland.lab.experiment.Spec;
import javaland.models.registry.AuditEntry;
import org.junit.jupiter.api.Test;

/** The shipped rollback spec: the runtime's guard reverts the harmful set within two windows, no learner running. */
class RollbackTest {
  @Test
  void theHarmfulSetIsRevertedByTheGuardWithinTwoWindows() throws Exception {
    RollbackSpec s = (RollbackSpec) Spec.load(Path.of("specs", "learner-rollback.yaml"));
    Rollback.Result r = Rollback.run(s);
    System.out.printf("learner-rollback: rollback_windows %d (%.2f s): %s%n", r.rollbackWindows(), r.secondsToRevert(), r.reason());
    assertEquals(List.of("start", "propose", "guard_revert"), r.audit().stream().map(AuditEntry::event).toList());
    assertTrue(r.rollbackWindows() >= 1 && r.rollbackWindows() <= 2, "rollback_windows " + r.rollbackWindows());
    assertEquals(2, r.harmfulVersion());
    assertEquals(3, r.restoredVersion());
    assertEquals(r.defaultValues(), r.restoredValues(), "the defaults are back in force");
    assertEquals(100_000.0, r.audit().get(1).values().get("slice_max_us"), "the harmful set was in force");
    assertTrue(r.kernelAlive(), "the run goes on");
    assertTrue(r.passed());
    assertTrue(r.windows().stream().anyMatch(Rollback.WindowFigure::harmful), "a window of the harmful set was seen");
    assertTrue(r.auditText().lines().count() == 3 && r.auditText().contains("guard_revert"), r.auditText());
  }
}
