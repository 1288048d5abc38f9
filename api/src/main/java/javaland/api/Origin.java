package javaland.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;
import java.util.TreeMap;
import javaland.models.registry.ArtifactRef;

/**
 * Where a change comes from, as the client states it (schema Origin); the runtime records it in
 * the version's provenance after the authenticated caller ("learner via api:token"). Every field
 * is optional.
 *
 * @param artifact the model artifact the client was warm-started from (the learner's reward
 *     model): the version's provenance names it. Added after 1.0.0 of the contract, optional: an
 *     older client leaves it out, and then the version names none.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Origin(String author, String model, String data, Map<String, Double> figures, ArtifactRef artifact) {
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

  /** Without an artifact. */
  public Origin(String author, String model, String data, Map<String, Double> figures) {
    this(author, model, data, figures, null);
  }

  /** The same, naming {@code a} as the artifact its client was warm-started from (null: none). */
  public Origin withArtifact(ArtifactRef a) {
    return new Origin(author, model, data, figures, a);
  }
}
