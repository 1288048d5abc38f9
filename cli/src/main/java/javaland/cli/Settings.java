package javaland.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import javaland.models.params.ParameterChange;
import javaland.models.params.Schema;

/** The {@code --set KEY=VALUE} options, parsed once: numbers here, names and ranges by the schema. */
final class Settings {
  private Settings() {}

  /** The values as numbers ({@code true}/{@code false} for flags); a bad one names its option. */
  static Map<String, Double> parse(Map<String, String> given) {
    Map<String, Double> out = new LinkedHashMap<>();
    given.forEach((k, v) -> {
      String t = v.strip();
      try {
        out.put(k, switch (t) {
          case "true", "on" -> 1.0;
          case "false", "off" -> 0.0;
          default -> Double.parseDouble(t);
        });
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("--set " + k + "=" + v + ": the value is not a number");
      }
    });
    return out;
  }

  /** The values checked against {@code schema}: every unknown name and value out of range is named at once. */
  static ParameterChange parse(Schema schema, Map<String, String> given) {
    return schema.change(parse(given));
  }
}
