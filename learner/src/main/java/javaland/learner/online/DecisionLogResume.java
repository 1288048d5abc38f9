package javaland.learner.online;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import javaland.learner.bandit.BanditPolicy;
import javaland.learner.ope.DecisionLog;
import javaland.learner.ope.LogRecord;
import javaland.models.context.ContextFeatures;

/**
 * {@code --decision-log}: a learner that starts again picks up where it stopped. The decisions of
 * the file are replayed into the bandit and the off-policy evaluation, then the file is opened for
 * the decisions to come. A file written for other arms or features is refused before anything is
 * replayed; a torn last record is cut off and said.
 */
final class DecisionLogResume {
  private DecisionLogResume() {}

  /** The log to append to, and how many decisions were replayed from it. */
  record Resumed(DecisionLog log, int replayed) {}

  static Resumed resume(Path file, int arms, BanditPolicy bandit, LearnerOpe ope, Consumer<String> say) {
    try {
      int replayed = 0;
      if (Files.exists(file)) {
        DecisionLog.Contents c = DecisionLog.read(file);
        for (LogRecord r : c.records()) {
          if (r.dimension() != ContextFeatures.SIZE || r.arm() >= arms) {
            throw new IllegalArgumentException("--decision-log " + file + " was written for other arms or features (record arm "
                + r.arm() + ", " + r.dimension() + " features; now " + arms + " arms, " + ContextFeatures.SIZE
                + " features): give another file, or the --arms it was written with");
          }
        }
        for (LogRecord r : c.records()) {
          bandit.update(r.context(), r.arm(), r.reward());
          ope.keep(r);
        }
        replayed = c.records().size();
        if (replayed > 0) say.accept("resumed: replayed " + replayed + " decisions from " + file);
        if (!c.complete()) say.accept("decision log " + file + ": " + c.stopReason() + (c.tornTail() ? " (a torn last record, cut off)" : ""));
      }
      return new Resumed(DecisionLog.openForAppend(file), replayed);
    } catch (IOException e) {
      throw new UncheckedIOException("--decision-log " + file + ": " + e.getMessage(), e);
    }
  }
}
