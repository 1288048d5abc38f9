package javaland.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
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
    Scheduler s = Scheduler.create("deadline", policy, PolicySchema.of(policy).change(Map.of()), "127.0.0.1", -1);
    try {
      s.useRules(FileRuleStore.open(f, log::add));
      s.attach(new SimKernel(w, SimConfig.of(2).paced(1.0)));
      assertTrue(s.awaitEnd(Duration.ofSeconds(30)), "the workload ends");
      JsonObject rules = s.status().getJsonObject("rules");
      assertEquals(1, rules.getLong("version"));
      assertEquals(1, rules.getInteger("count"));
      assertEquals(f.toString(), rules.getString("file"));
      assertEquals(4, rules.getLong("evaluations"), "each hog classified once: " + rules);
      assertTrue(rules.getLong("cache_hits") > 4, rules.toString());

      s.ruleStore().create(new JsonObject().put("name", "rest").put("class", "background"), null);
      assertEquals(2, s.ruleStore().version());
      assertTrue(Files.readString(f).contains("name: rest"));
      assertTrue(log.getLast().contains("created rule 'rest'"), log.toString());
    } finally {
      s.stop();
    }
  }
}
