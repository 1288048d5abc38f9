package javaland.cli;

import java.util.LinkedHashMap;
import java.util.Map;

/** The {@code --set KEY=VALUE} options of run and replay, as numbers; what the key means is checked later. */
final class Settings {
  private Settings() {}

  static Map<String, Double> parse(Map<String, String> given) {
    Map<String, Double> out = new LinkedHashMap<>();
    given.forEach((k, v) -> {
      try {
        out.put(k, Double.parseDouble(v));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("--set " + k + "=" + v + ": the value is not a number");
      }
    });
    return out;
  }
}
