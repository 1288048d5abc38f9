package javaland.runtime.policy;

import javaland.sdk.Parameter;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import javaland.runtime.kernel.TaskBatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import javaland.policies.DeadlinePolicy;
import javaland.policies.ExamplePolicy;
import javaland.policies.FifoPolicy;
import java.util.Map;
import javaland.sdk.Decision;
import javaland.sdk.Policy;

class PoliciesTest {
  static List<String> names() {
    return List.copyOf(PolicyCatalog.builtIn().names());
  }

  @Test
  void shipsTheThreePoliciesAndTheDefaultIsOne() {
    assertEquals(List.of("deadline", "fifo", "example"), names());
    assertTrue(PolicyCatalog.builtIn().names().contains(PolicyCatalog.DEFAULT));
    assertTrue(PolicyCatalog.builtIn().create("deadline") instanceof DeadlinePolicy);
    assertTrue(PolicyCatalog.builtIn().create("fifo") instanceof FifoPolicy);
    assertTrue(PolicyCatalog.builtIn().create("example") instanceof ExamplePolicy);
  }

  @Test
  void unknownNameListsTheKnownOnes() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PolicyCatalog.builtIn().create("rustland"));
    assertTrue(e.getMessage().contains("'rustland'"), e.getMessage());
    for (String name : PolicyCatalog.builtIn().names()) assertTrue(e.getMessage().contains(name), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> PolicyCatalog.builtIn().create("Deadline"), "names are case-sensitive");
    assertThrows(IllegalArgumentException.class, () -> PolicyCatalog.builtIn().create(""));
  }

  @Test
  void theRegistryCannotBeChangedThroughNames() {
    // remove() of an absent name changes nothing, so this is safe to run even while the bug exists.
    assertThrows(UnsupportedOperationException.class, () -> PolicyCatalog.builtIn().names().remove("no-such-policy"));
  }

  @ParameterizedTest
  @MethodSource("names")
  void createGivesAFreshInstanceEachTime(String name) {
    assertNotSame(PolicyCatalog.builtIn().create(name), PolicyCatalog.builtIn().create(name), "policies keep state (vclock): no sharing");
  }

  @ParameterizedTest
  @MethodSource("names")
  void parametersHaveUniqueNamesAndValidDefaults(String name) {
    Policy p = PolicyCatalog.builtIn().create(name);
    Set<String> seen = new HashSet<>();
    for (Parameter param : PolicySchema.of(p).parameters()) assertTrue(seen.add(param.name()), "duplicate " + param.name());
    PolicyTesting.configure(p, Map.of());
  }

  @ParameterizedTest
  @MethodSource("names")
  void decidesForEveryTaskExactlyOnceWithItsPidAndSeq(String name) {
    Policy policy = PolicyCatalog.builtIn().create(name);
    Random rnd = new Random(name.hashCode());
    TaskBatch batch = new TaskBatch(128);
    RecordingDecisions out = new RecordingDecisions(128);
    FakeKernelView kernel = new FakeKernelView(8).idle(1, 5);
    for (int round = 0; round < 50; round++) {
      batch.clear();
      out.clear();
      kernel.backlog = rnd.nextInt(100);
      int n = round == 0 ? 128 : 1 + rnd.nextInt(128); // a full batch first
      Set<Integer> pids = new HashSet<>();
      for (int k = 0; k < n; k++) {
        int pid;
        do pid = 1 + rnd.nextInt(1 << 22); while (!pids.add(pid));
        batch.add(pid, pid, rnd.nextInt(8), 8, 1 + rnd.nextInt(10_000), rnd.nextBoolean(),
            rnd.nextLong(1, Long.MAX_VALUE / 4), rnd.nextLong(1L << 50), rnd.nextLong(1L << 32), rnd.nextLong(1L << 50));
      }
      policy.schedule(batch, kernel);
      out.record(batch);
      assertEquals(n, out.count, "one decision per task");
      for (int k = 0; k < n; k++) {
        int i = out.indexOf(batch.pid(k));
        assertEquals(batch.seq(k), out.seq[i], "seq echoed for pid " + batch.pid(k));
        assertTrue(out.cpu[i] == Decision.ANY_CPU || (out.cpu[i] >= 0 && out.cpu[i] < 8), "cpu " + out.cpu[i]);
        assertTrue(out.slice[i] > 0, "slice " + out.slice[i]);
      }
    }
  }
}
