package javaland.learner.model;

import com.google.protobuf.InvalidProtocolBufferException;
import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import com.oracle.labs.mlrg.olcut.provenance.ProvenanceUtil;
import com.oracle.labs.mlrg.olcut.provenance.primitives.StringProvenance;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.impl.ArrayExample;
import org.tribuo.protos.core.ModelProto;
import org.tribuo.provenance.ModelProvenance;
import org.tribuo.provenance.SimpleDataSourceProvenance;
import org.tribuo.regression.RegressionFactory;
import org.tribuo.regression.Regressor;
import org.tribuo.regression.sgd.fm.FMRegressionTrainer;
import org.tribuo.regression.sgd.objectives.SquaredLoss;
import org.tribuo.math.optimisers.AdaGrad;
import org.tribuo.transform.TransformTrainer;
import org.tribuo.transform.TransformationMap;
import org.tribuo.transform.transformations.MeanStdDevTransformation;

/**
 * The offline reward model: reward as a function of context features and parameter values,
 * a Tribuo factorisation machine (a linear model plus low-rank pairwise interactions, so "this
 * parameter helps under this load" can be learnt) over standardised inputs.
 *
 * <p>It travels as bytes (Tribuo's protobuf format) with its provenance: when it was trained,
 * by which trainer with which hyper-parameters and seed, from which data (the description given
 * to {@link #fit}), and the ordered feature names, which must match the features fed to
 * {@link #predict}. The registry stores the bytes; {@link #fromBytes} restores all of it.
 */
public final class TribuoRewardModel {
  static final String FEATURES_KEY = "javaland.features";
  static final String REASON_KEY = "javaland.reason";
  private static final RegressionFactory FACTORY = new RegressionFactory();
  private static final String TARGET = "reward";

  private final Model<Regressor> model;
  private final String[] names;
  private final String[] used; // the features the model knows: constant ones were left out
  private final int[] usedIndex;

  private TribuoRewardModel(Model<Regressor> model, String[] names) {
    this.model = model;
    this.names = names;
    int[] idx = java.util.stream.IntStream.range(0, names.length)
        .filter(i -> model.getFeatureIDMap().get(names[i]) != null).toArray();
    this.usedIndex = idx;
    this.used = Arrays.stream(idx).mapToObj(i -> names[i]).toArray(String[]::new);
  }

  /** Training settings; {@link #DEFAULT} suits a few hundred to a few thousand windows. */
  public record Settings(int epochs, double learningRate, int factors, long seed) {
    public static final Settings DEFAULT = new Settings(30, 0.1, 4, 1L);

    public Settings {
      if (epochs < 1) throw new IllegalArgumentException("epochs must be at least 1: " + epochs);
      if (!(learningRate > 0)) throw new IllegalArgumentException("learningRate must be positive: " + learningRate);
      if (factors < 1) throw new IllegalArgumentException("factors must be at least 1: " + factors);
    }
  }

  /**
   * Fits reward {@code y[i]} on features {@code x[i]}.
   *
   * @param dataDescription where the samples came from (e.g. "replay of traces/web-1, 800 windows"),
   *     kept in the provenance
   * @param reason why this model was trained, kept in the provenance
   */
  public static TribuoRewardModel fit(List<String> featureNames, double[][] x, double[] y, String dataDescription,
      String reason, Settings settings) {
    if (x.length != y.length) throw new IllegalArgumentException(x.length + " feature rows but " + y.length + " rewards");
    if (x.length < 2) throw new IllegalArgumentException("need at least 2 samples to fit a reward model, got " + x.length);
    String[] names = featureNames.toArray(String[]::new);
    if (Arrays.stream(names).distinct().count() != names.length) throw new IllegalArgumentException("feature names repeat: " + featureNames);
    for (int i = 0; i < x.length; i++) {
      if (x[i].length != names.length) {
        throw new IllegalArgumentException("sample " + i + " has " + x[i].length + " features, expected " + names.length);
      }
    }
    // a constant feature (the bias, an unused class) carries nothing and its standard deviation
    // of 0 would turn standardisation into NaN: leave it out of the data
    int[] varying = java.util.stream.IntStream.range(0, names.length)
        .filter(j -> Arrays.stream(x).anyMatch(row -> row[j] != x[0][j])).toArray();
    if (varying.length == 0) throw new IllegalArgumentException("every feature is constant over the samples: nothing to learn from");
    String[] usedNames = Arrays.stream(varying).mapToObj(j -> names[j]).toArray(String[]::new);
    var data = new MutableDataset<Regressor>(new SimpleDataSourceProvenance(dataDescription, FACTORY), FACTORY);
    for (int i = 0; i < x.length; i++) {
      if (!Double.isFinite(y[i])) throw new IllegalArgumentException("reward of sample " + i + " is not finite: " + y[i]);
      for (int j = 0; j < names.length; j++) {
        if (!Double.isFinite(x[i][j])) throw new IllegalArgumentException("sample " + i + " feature " + names[j] + " is not finite");
      }
      double[] row = new double[varying.length];
      for (int j = 0; j < row.length; j++) row[j] = x[i][varying[j]];
      data.add(new ArrayExample<>(new Regressor(TARGET, y[i]), usedNames, row));
    }
    var fm = new FMRegressionTrainer(new SquaredLoss(), new AdaGrad(settings.learningRate(), 1e-6), settings.epochs(),
        Integer.MAX_VALUE /* no progress logging */, 1, settings.seed(), settings.factors(), 0.1, true);
    var trainer = new TransformTrainer<Regressor>(fm, new TransformationMap(List.of(new MeanStdDevTransformation())), true);
    Map<String, Provenance> extra = Map.of(
        FEATURES_KEY, new StringProvenance(FEATURES_KEY, String.join(",", names)),
        REASON_KEY, new StringProvenance(REASON_KEY, reason));
    return new TribuoRewardModel(trainer.train(data, extra), names);
  }

  /** Predicted reward for features in {@link #featureNames()} order. */
  public double predict(double[] features) {
    if (features.length != names.length) {
      throw new IllegalArgumentException("got " + features.length + " features, the model takes " + names.length + " " + featureNames());
    }
    double[] row = new double[usedIndex.length];
    for (int j = 0; j < row.length; j++) row[j] = features[usedIndex[j]];
    return model.predict(new ArrayExample<>(FACTORY.getUnknownOutput(), used, row)).getOutput().getValues()[0];
  }

  public List<String> featureNames() {
    return List.of(names);
  }

  public ModelProvenance provenance() {
    return model.getProvenance();
  }

  /** The provenance as text, for audit lines and the registry's human-readable record. */
  public String provenanceText() {
    return ProvenanceUtil.formattedProvenanceString(model.getProvenance());
  }

  /** Why the model was trained, as given to {@link #fit}. */
  public String reason() {
    return instanceString(model, REASON_KEY);
  }

  public byte[] toBytes() {
    return model.serialize().toByteArray();
  }

  /** Restores a model from {@link #toBytes()}; bytes that are not one are an error saying why. */
  public static TribuoRewardModel fromBytes(byte[] bytes) {
    Model<?> m;
    try {
      m = Model.deserialize(ModelProto.parseFrom(bytes));
    } catch (InvalidProtocolBufferException | RuntimeException e) {
      throw new IllegalArgumentException("not a serialised Tribuo model (" + bytes.length + " bytes): " + e.getMessage(), e);
    }
    if (!m.validate(Regressor.class)) throw new IllegalArgumentException("the serialised model is not a regression model: " + m.getClass().getName());
    @SuppressWarnings("unchecked")
    Model<Regressor> r = (Model<Regressor>) m;
    String features = instanceString(r, FEATURES_KEY);
    if (features == null) throw new IllegalArgumentException("the serialised model has no " + FEATURES_KEY + " provenance: not a javaland reward model");
    return new TribuoRewardModel(r, features.split(","));
  }

  private static String instanceString(Model<?> m, String key) {
    Provenance p = m.getProvenance().getInstanceProvenance().getMap().get(key);
    return p instanceof StringProvenance s ? s.getValue() : null;
  }
}
