package javaland.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where a change comes from, as the client states it (schema Origin); the runtime records it in
 * the version's provenance after the authenticated caller ("learner via api:token"). Every field
 * is optional.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Origin(String author, String model, String data, Map<String, Double> figures) {
  public Origin {
    if (figures != null) {
      // JSON has no NaN: a figure that is not finite is left out, which says as much
      Map<String, Double> finite = new TreeMap<>();
      figures.forEach((k, v) -> {
        if (v != null && Double.isFinite(v)) finite.put(k, v);
      });
      figures = finite;
    }
  }
}
