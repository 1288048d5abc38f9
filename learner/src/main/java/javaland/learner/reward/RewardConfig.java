package javaland.learner.reward;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Weights of the reward (see {@link Reward}) and the task class whose delay matters most.
 *
 * @param delayWeight w1, on −log(p99 scheduling delay in µs)
 * @param throughputWeight w2, on log(dispatches per second)
 * @param pressureWeight w3, on the PSI cpu "some" fraction of the window (0..1)
 * @param fallbackWeight w4, on the fraction of dispatches the kernel made because Java was late
 * @param latencyClass the delay class judged first ("latency-critical"); all classes when the
 *     window has no samples of it
 * @param quantile the delay quantile judged (0.99)
 */
public record RewardConfig(double delayWeight, double throughputWeight, double pressureWeight, double fallbackWeight,
    String latencyClass, double quantile) {
  public static final RewardConfig DEFAULT = new RewardConfig(1.0, 0.5, 2.0, 1.0, "latency-critical", 0.99);

  private static final Set<String> KEYS = Set.of("delay_weight", "throughput_weight", "pressure_weight",
      "fallback_weight", "latency_class", "quantile");

  public RewardConfig {
    check("delay_weight", delayWeight);
    check("throughput_weight", throughputWeight);
    check("pressure_weight", pressureWeight);
    check("fallback_weight", fallbackWeight);
    if (latencyClass == null || latencyClass.isBlank()) throw new IllegalArgumentException("reward latency_class is empty");
    if (!(quantile > 0 && quantile < 1)) throw new IllegalArgumentException("reward quantile must be in (0, 1): " + quantile);
  }

  private static void check(String key, double w) {
    if (!(w >= 0) || Double.isInfinite(w)) throw new IllegalArgumentException("reward " + key + " must be a finite number >= 0: " + w);
  }

  /**
   * From a small config map (e.g. the "reward" section of a learner config): keys are those of
   * the record in snake case, values strings or numbers; missing keys keep their default. An
   * unknown key or a value that is not a number is an error naming the key; nothing is half
   * applied.
   */
  public static RewardConfig parse(Map<String, ?> map) {
    for (String k : map.keySet()) {
      if (!KEYS.contains(k)) throw new IllegalArgumentException("unknown reward setting " + k + "; known: " + new TreeSet<>(KEYS));
    }
    RewardConfig d = DEFAULT;
    return new RewardConfig(num(map, "delay_weight", d.delayWeight()), num(map, "throughput_weight", d.throughputWeight()),
        num(map, "pressure_weight", d.pressureWeight()), num(map, "fallback_weight", d.fallbackWeight()),
        map.containsKey("latency_class") ? String.valueOf(map.get("latency_class")) : d.latencyClass(),
        num(map, "quantile", d.quantile()));
  }

  private static double num(Map<String, ?> map, String key, double dflt) {
    Object v = map.get(key);
    if (v == null) return dflt;
    if (v instanceof Number n) return n.doubleValue();
    try {
      return Double.parseDouble(v.toString().trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("reward " + key + " is not a number: '" + v + "'");
    }
  }
}
