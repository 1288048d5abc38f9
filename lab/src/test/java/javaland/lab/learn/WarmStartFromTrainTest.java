package javaland.lab.learn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javaland.lab.experiment.ExperimentRunner;
import javaland.learner.model.TribuoRewardModel;
import javaland.learner.online.Arms;
import javaland.learner.online.WarmStart;
import javaland.learner.reward.RewardConfig;
import javaland.models.context.ContextFeatures;
import javaland.runtime.Scheduler;
import javaland.runtime.policy.PolicyCatalog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import javaland.runtime.policy.PolicySchema;

/** What {@code train} saves is what {@code learn} warm-starts from: same name, same features. */
class WarmStartFromTrainTest {
  @TempDir Path dir;

  @Test
  void theOnlineLearnerFindsAndUsesTheTrainedModel() throws Exception {
    Path reg = dir.resolve("reg");
    Trainer.Options o = new Trainer.Options(null, List.of("hogs"), 4, 200_000_000L, "deadline",
        Map.of("slice_max_us", List.of(500.0, 5000.0, 20000.0)), 2, 1, RewardConfig.DEFAULT,
        TribuoRewardModel.Settings.DEFAULT);
    Trainer.Result trained = Trainer.train(o, reg, new ExperimentRunner.Listener() {});

    List<String> said = new ArrayList<>();
    TribuoRewardModel m = WarmStart.load(reg, "deadline", said::add).orElseThrow(() -> new AssertionError(said));
    assertTrue(said.getFirst().contains("reward-model-deadline"), said.toString());
    assertTrue(WarmStart.load(reg, "fifo", said::add).isEmpty(), "a model of another policy's parameters is not used");

    // the learner's arms over the runtime's schema: the model needs nothing they lack
    Arms arms = Arms.parse(PolicySchema.of(PolicyCatalog.builtIn().create("deadline")).parameters(), List.of("slice_max_us=500,5000,20000"));
    double[] context = new double[ContextFeatures.SIZE];
    double[] predicted = WarmStart.predict(m, arms, context);
    for (int a = 0; a < arms.size(); a++) {
      double[] x = Trainer.features(context, arms.grid().vector(a));
      assertEquals(trained.model().predict(x), predicted[a], 1e-9, "arm " + arms.values(a));
    }
  }
}
