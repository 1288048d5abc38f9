package javaland.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import javaland.runtime.kernel.sim.SimConfig;
import javaland.runtime.kernel.sim.SimKernel;
import javaland.runtime.kernel.sim.Workload;
import javaland.policies.DeadlinePolicy;
import javaland.runtime.rules.FileRuleStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import javaland.runtime.policy.PolicySchema;

/** A whole scheduler with a rules file: the loop classifies through the cache, the store is editable. */
class SchedulerRulesTest {
  @Test
  void rulesFromAFileClassifyTasksAndTheStoreEditsThem(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("rules.yaml");
    Files.writeString(f, "rules:\n  - name: hogs\n    match: {comm: ^hog-}\n    class: batch\n");
    List<String> log = new CopyOnWriteArrayList<>();
    Workload w = Workload.builder("hogs", 1).hogsFor("batch", 4, 400 * Workload.MS, 100).build();
    DeadlinePolicy policy = new DeadlinePolicy();
    Scheduler s = Scheduler.create(Scheduler.Options.of(policy).withRules(FileRuleStore.open(f, log::add)));
    try {
      s.attach(new SimKernel(w, SimConfig.of(2).paced(1.0)));
      assertTrue(s.awaitEnd(Duration.ofSeconds(30)), "the workload ends");
      var rules = s.status().get("rules");
      assertEquals(1, rules.get("version").asLong());
      assertEquals(1, rules.get("count").asInt());
      assertEquals(f.toString(), rules.get("file").asText());
      assertEquals(4, rules.get("evaluations").asLong(), "each hog classified once: " + rules);
      assertTrue(rules.get("cache_hits").asLong() > 4, rules.toString());

      s.ruleStore().create(javaland.models.json.JsonCodec.object().put("name", "rest").put("class", "background"), null);
      assertEquals(2, s.ruleStore().version());
      assertTrue(Files.readString(f).contains("name: rest"));
      assertTrue(log.getLast().contains("created rule 'rest'"), log.toString());
    } finally {
      s.stop();
    }
  }
}
