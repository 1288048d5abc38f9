package javaland.learner.online;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javaland.learner.bandit.BanditPolicy;
import javaland.learner.model.TribuoRewardModel;
import javaland.models.context.ContextFeatures;
import javaland.models.registry.ArtifactRef;
import javaland.models.registry.Lineage;
import javaland.models.registry.ModelArtifact;
import javaland.models.registry.Registry;

/**
 * Seeds the bandit from an offline reward model ({@code javaland train} saves it in the registry
 * as the artifact {@value #ARTIFACT_PREFIX}POLICY, one per policy). The model's features are named: each must be a context
 * feature ({@link ContextFeatures#NAMES}) or a parameter of the arm set; the model is asked for
 * each arm's reward in the first context, and the bandit gets that as one observation per arm, so
 * the first windows of real evidence outweigh it quickly.
 */
public final class WarmStart {
  /** The artifact's name is this and the policy's: a model of one policy's parameters fits no other. */
  public static final String ARTIFACT_PREFIX = "reward-model-";

  private WarmStart() {}

  /**
   * A reward model loaded from the registry, and the artifact it came from: what every proposal's
   * origin names once the bandit is seeded from it.
   */
  public record Loaded(TribuoRewardModel model, ModelArtifact meta, ArtifactRef artifact) {}

  /**
   * The newest reward model of {@code policy} in {@code registryDir}, or empty (with the reason
   * given to {@code say}).
   */
  public static Optional<TribuoRewardModel> load(Path registryDir, String policy, java.util.function.Consumer<String> say) {
    return find(registryDir, policy, say).map(Loaded::model);
  }

  /**
   * The newest reward model of {@code policy} in {@code registryDir} with the artifact it is, or
   * empty, saying why to {@code say}: none there, or bytes that do not match the SHA-256 the
   * artifact's metadata recorded (the registry refuses them, naming the file and both hashes), or
   * bytes that are no model. Either way the learner starts cold.
   */
  public static Optional<Loaded> find(Path registryDir, String policy, java.util.function.Consumer<String> say) {
    String artifact = ARTIFACT_PREFIX + policy;
    Registry r;
    try {
      r = Registry.open(registryDir, say);
    } catch (RuntimeException e) {
      say.accept("no warm start (starting cold): " + e.getMessage());
      return Optional.empty();
    }
    Optional<ModelArtifact> a = r.latestArtifact(artifact);
    if (a.isEmpty()) {
      say.accept("no warm start (starting cold): the registry " + registryDir + " holds no '" + artifact
          + "' artifact (javaland train makes one)");
      return Optional.empty();
    }
    ArtifactRef ref = ArtifactRef.of(a.get(), r.directory());
    try {
      TribuoRewardModel m = TribuoRewardModel.fromBytes(r.readArtifact(a.get()));
      Lineage l = a.get().lineage();
      say.accept("warm start from " + ref.describe() + " (" + a.get().provenance().reason() + "; "
          + (l == null ? "no lineage recorded: saved before artifacts kept one" : "trained on " + inputs(l) + " by javaland "
          + l.build().describe()) + ")");
      return Optional.of(new Loaded(m, a.get(), ref));
    } catch (RuntimeException e) {
      say.accept("no warm start (starting cold): artifact " + a.get().id() + " '" + artifact + "' cannot be used: " + e.getMessage());
      return Optional.empty();
    }
  }

  /** {@code 2 traces (boot.jlt.gz sha256 ab12cd34ef56...), synthetic mix} */
  static String inputs(Lineage l) {
    StringBuilder s = new StringBuilder();
    if (!l.traces().isEmpty()) {
      s.append(l.traces().size()).append(l.traces().size() == 1 ? " trace (" : " traces (");
      for (int i = 0; i < l.traces().size(); i++) {
        Lineage.TraceInput t = l.traces().get(i);
        s.append(i == 0 ? "" : ", ").append(Path.of(t.path()).getFileName()).append(" sha256 ").append(t.sha256(), 0, 12).append("...");
      }
      s.append(')');
    }
    if (!l.synthetic().isEmpty()) {
      s.append(s.isEmpty() ? "" : ", ").append("synthetic ")
          .append(String.join(", ", l.synthetic().stream().map(Lineage.SyntheticInput::name).toList()));
    }
    return s.isEmpty() ? "nothing recorded" : s.toString();
  }

  /**
   * The model's predicted reward of each arm in {@code context}. Throws naming the feature when
   * the model needs one that is neither a context feature nor a parameter of the arms.
   */
  public static double[] predict(TribuoRewardModel model, Arms arms, double[] context) {
    List<String> names = model.featureNames();
    double[] out = new double[arms.size()];
    double[] x = new double[names.size()];
    for (int a = 0; a < arms.size(); a++) {
      Map<String, Double> p = arms.grid().parameters(a);
      for (int j = 0; j < x.length; j++) {
        String n = names.get(j);
        int c = ContextFeatures.NAMES.indexOf(n);
        if (c >= 0) x[j] = context[c];
        else if (p.containsKey(n)) x[j] = p.get(n);
        else {
          throw new IllegalArgumentException("the reward model needs feature '" + n + "', which is neither a context feature "
              + ContextFeatures.NAMES + " nor a parameter " + new ArrayList<>(p.keySet()));
        }
      }
      out[a] = model.predict(x);
    }
    return out;
  }

  /** One pseudo-observation per arm, the model's prediction. */
  public static void seed(BanditPolicy bandit, double[] predictions, double[] context) {
    for (int a = 0; a < predictions.length; a++) {
      if (Double.isFinite(predictions[a])) bandit.update(context, a, predictions[a]);
    }
  }
}
