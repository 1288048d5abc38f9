package javaland.learner.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import javaland.learner.bandit.Rng;
import org.junit.jupiter.api.Test;

class TribuoRewardModelTest {
  /** reward = 1 + 0.5·load − 0.0001·slice + 0.0003·load·slice/10 + noise: the best slice depends on load. */
  static double truth(double load, double slice) {
    return 1 + 0.5 * load - 1e-4 * slice + 3e-5 * load * slice;
  }

  static double[][] xs(int n, Rng rng) {
    double[][] x = new double[n][];
    for (int i = 0; i < n; i++) x[i] = new double[] {1, rng.nextDouble() * 6, 1000 + rng.nextDouble() * 9000};
    return x;
  }

  @Test
  void fitsRoundTripsAndKeepsProvenance() {
    Rng rng = new Rng(1);
    double[][] x = xs(600, rng);
    double[] y = new double[x.length];
    for (int i = 0; i < x.length; i++) y[i] = truth(x[i][1], x[i][2]) + 0.05 * rng.nextGaussian();
    TribuoRewardModel m = TribuoRewardModel.fit(List.of("bias", "queue", "slice_us"), x, y, "synthetic: 600 windows, seed 1",
        "test fit", TribuoRewardModel.Settings.DEFAULT);

    // it learnt something: error well below the reward's own spread
    double sse = 0;
    double var = 0;
    double mean = 0;
    for (double v : y) mean += v / y.length;
    double[][] test = xs(200, new Rng(2));
    for (double[] t : test) {
      double e = m.predict(t) - truth(t[1], t[2]);
      sse += e * e;
      double d = truth(t[1], t[2]) - mean;
      var += d * d;
    }
    double r2 = 1 - sse / var;
    assertTrue(r2 > 0.9, "R² on fresh data " + r2);

    byte[] bytes = m.toBytes();
    TribuoRewardModel back = TribuoRewardModel.fromBytes(bytes);
    for (double[] t : test) assertEquals(m.predict(t), back.predict(t), 1e-12);
    assertEquals(m.provenance(), back.provenance());
    assertEquals(List.of("bias", "queue", "slice_us"), back.featureNames());
    assertEquals("test fit", back.reason());
    assertEquals(m.provenance().getTrainingTime(), back.provenance().getTrainingTime());
    String text = back.provenanceText();
    assertTrue(text.contains("synthetic: 600 windows, seed 1"), text);
    assertTrue(text.contains("FMRegressionTrainer"), text);
  }

  @Test
  void sameSeedSameModel() {
    Rng rng = new Rng(3);
    double[][] x = xs(100, rng);
    double[] y = new double[x.length];
    for (int i = 0; i < x.length; i++) y[i] = truth(x[i][1], x[i][2]);
    var a = TribuoRewardModel.fit(List.of("b", "q", "s"), x, y, "d", "r", TribuoRewardModel.Settings.DEFAULT);
    var b = TribuoRewardModel.fit(List.of("b", "q", "s"), x, y, "d", "r", TribuoRewardModel.Settings.DEFAULT);
    assertEquals(a.predict(new double[] {1, 3, 5000}), b.predict(new double[] {1, 3, 5000}), 0.0);
  }

  @Test
  void badInputIsNamed() {
    var e = assertThrows(IllegalArgumentException.class, () -> TribuoRewardModel.fromBytes(new byte[] {1, 2, 3, 4}));
    assertTrue(e.getMessage().contains("not a serialised Tribuo model"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> TribuoRewardModel.fit(List.of("a"),
        new double[][] {{1}, {1}}, new double[] {1, 2}, "d", "r", TribuoRewardModel.Settings.DEFAULT));
    assertTrue(e.getMessage().contains("every feature is constant"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> TribuoRewardModel.fit(List.of("a", "b"),
        new double[][] {{1, 2}, {1}}, new double[] {1, 2}, "d", "r", TribuoRewardModel.Settings.DEFAULT));
    assertTrue(e.getMessage().contains("sample 1 has 1 features"), e.getMessage());
    var m = TribuoRewardModel.fit(List.of("a"), new double[][] {{1}, {2}, {3}}, new double[] {1, 2, 3}, "d", "r",
        TribuoRewardModel.Settings.DEFAULT);
    e = assertThrows(IllegalArgumentException.class, () -> m.predict(new double[] {1, 2}));
    assertTrue(e.getMessage().contains("takes 1"), e.getMessage());
  }
}
