package javaland.cli;

import javaland.telemetry.log.Log;
import picocli.CommandLine.Option;

/**
 * How a long-running command ({@code run}, {@code learn}) writes its own lines: the two options,
 * declared once, and the facade configured from them.
 */
final class LogOptions {
  @Option(names = "--log-format", paramLabel = "text|json", defaultValue = "text",
      description = "How the command's own lines are written: text (default), or json: one JSON object per line (time, level,"
          + " logger, message) for journald and log shippers. JAVALAND_STATS, --stats blocks and audit lines stay as they are.")
  String format;

  @Option(names = "--log-level", paramLabel = "LEVEL", defaultValue = "info",
      description = "The lowest level written: debug, info (default), warn, error.")
  String level;

  /**
   * Puts the options in force for {@code program} (the text lines' prefix); an invalid value is an
   * IllegalArgumentException that names its option.
   */
  void configure(String program) {
    Log.configure(program, named("--log-format", () -> Log.Format.parse(format)), named("--log-level", () -> Log.Level.parse(level)));
  }

  private static <T> T named(String option, java.util.function.Supplier<T> parse) {
    try {
      return parse.get();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(option + ": " + e.getMessage(), e);
    }
  }
}
