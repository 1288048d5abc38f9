package javaland.learner.online;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import javaland.models.json.JsonCodec;

/**
 * One of the learner's audit lines (stdout, and {@code learner-audit.jsonl} in its state
 * directory): a decision, a verdict, an evaluation, with the figures behind it. A figure that is
 * not finite is written as null.
 *
 * @param values the candidate's parameters while one runs; null (left out) otherwise
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record AuditLine(Instant at, String event, String policy, String algorithm, String reason, Map<String, Double> figures,
    Map<String, Double> values) {
  AuditLine {
    figures = new LinkedHashMap<>(figures);
    values = values == null ? null : new LinkedHashMap<>(values);
  }

  /** Prints the line to {@code out} and appends it to {@code stateDir}'s file (when not null); a failed append is said. */
  void emit(Consumer<String> out, Path stateDir, Consumer<String> say) {
    String text = JsonCodec.write(this);
    out.accept(text);
    if (stateDir == null) return;
    try {
      Files.createDirectories(stateDir);
      Files.writeString(stateDir.resolve("learner-audit.jsonl"), text + "\n", StandardCharsets.UTF_8,
          StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      say.accept("audit line not written to " + stateDir + ": " + e.getMessage());
    }
  }
}
