package javaland.models.registry;

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
 */
public record Provenance(Instant at, String author, String data, String model, String reason,
    Map<String, Double> figures) {
  public Provenance {
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(author, "author");
    data = data == null ? "" : data;
    model = model == null ? "" : model;
    reason = reason == null ? "" : reason;
    // sorted, so that every file and answer lists the figures in the same order
    figures = figures == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(Map.copyOf(figures)));
  }

  public static Provenance now(String author, String reason) {
    return new Provenance(Instant.now(), author, "", "", reason, Map.of());
  }
}
