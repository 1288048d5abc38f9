package javaland.models.registry;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Where a policy version came from: when, by whom, from which data and model, and why. Travels
 * with every version in the registry, every audit line and every API answer.
 *
 * @param at when the version was made
 * @param author who made it: "learner", "api:alice", "cli", "runtime-guard", ...
 * @param data what it was learned or judged from (a telemetry window range, a trace directory), or ""
 * @param model the model or algorithm that chose it ("linucb", "tribuo-sgd@3"), or ""
 * @param reason one human sentence: why this change
 * @param figures the numbers behind the reason (reward, p99, sample counts), possibly empty
 * @param artifact the model artifact the author was warm-started from (the learner's reward
 *     model), or null: none, or written before versions named it. Left out of the JSON when null,
 *     so files and answers without it keep their shape.
 */
@JsonDeserialize(using = Provenance.Reader.class)
public record Provenance(Instant at, String author, String data, String model, String reason,
    Map<String, Double> figures, @JsonInclude(JsonInclude.Include.NON_NULL) ArtifactRef artifact) {
  public Provenance {
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(author, "author");
    data = data == null ? "" : data;
    model = model == null ? "" : model;
    reason = reason == null ? "" : reason;
    // sorted, so that every file and answer lists the figures in the same order
    figures = figures == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(Map.copyOf(figures)));
  }

  /** Without an artifact. */
  public Provenance(Instant at, String author, String data, String model, String reason, Map<String, Double> figures) {
    this(at, author, data, model, reason, figures, null);
  }

  public static Provenance now(String author, String reason) {
    return new Provenance(Instant.now(), author, "", "", reason, Map.of());
  }

  /** The same, naming {@code a} (null: none) as the artifact it was warm-started from. */
  public Provenance withArtifact(ArtifactRef a) {
    return new Provenance(at, author, data, model, reason, figures, a);
  }

  /** The fields every provenance has had since the first release. */
  record Before(Instant at, String author, String data, String model, String reason, Map<String, Double> figures) {}

  /** Reads files written before {@code artifact} existed (see {@link AddedField}). */
  static final class Reader extends AddedField<Provenance, Before, ArtifactRef> {
    Reader() {
      super(Provenance.class, Before.class, "artifact", ArtifactRef.class);
    }

    @Override
    Provenance combine(Before b, ArtifactRef a) {
      return new Provenance(b.at(), b.author(), b.data(), b.model(), b.reason(), b.figures(), a);
    }
  }
}
