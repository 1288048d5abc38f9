package javaland.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import javaland.sdk.Parameter;

/** One tunable parameter as {@code GET /parameters} lists it (schema Parameter). */
public record ParameterInfo(String name, double min, double max, @JsonProperty("default") double defaultValue, String unit,
    String meaning) {
  public static ParameterInfo of(Parameter p) {
    return new ParameterInfo(p.name(), p.min(), p.max(), p.defaultValue(), p.unit(), p.meaning());
  }

  /** Checked as every parameter is (a default outside its range is refused). */
  public Parameter toParameter() {
    return Parameter.of(name, min, max, defaultValue, unit, meaning);
  }
}
