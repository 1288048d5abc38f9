package javaland.telemetry.log;

import java.io.PrintStream;
import java.time.Instant;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import javaland.models.json.JsonCodec;

/**
 * The one logging facade of the runtime: what {@code run} and the scheduler say about themselves
 * (not a command's own output, such as {@code JAVALAND_STATS} or a stats block), with a level, as
 * text for people or as JSON lines for journald and log shippers ({@code run --log-format json}).
 * java.util.logging (Vert.x, Netty, Micrometer) is routed here too once {@link #configure} ran, so
 * a library's record is one line in the same format instead of JUL's two.
 *
 * <ul>
 *   <li><b>Text</b>: {@code javaland: MESSAGE}, with {@code warning: } or {@code error: } before the
 *       message at those levels; under systemd ({@code JOURNAL_STREAM} set) each line starts with
 *       its syslog priority ({@code <4>}), which journald reads as the entry's priority.
 *   <li><b>JSON</b>: {@code {"time":"...Z","level":"warn","logger":"runtime","message":"..."}}.
 * </ul>
 *
 * Info and debug go to stdout, warnings and errors to stderr, read at each call (so a test or
 * a redirect that replaces them sees every line).
 */
public final class Log {
  /** Levels, lowest first. */
  public enum Level {
    DEBUG(7), INFO(6), WARN(4), ERROR(3);

    private final int syslog;

    Level(int syslog) {
      this.syslog = syslog;
    }

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** {@code debug}, {@code info}, {@code warn} (or {@code warning}), {@code error}; anything else is refused. */
    public static Level parse(String s) {
      String t = s.trim().toLowerCase(Locale.ROOT);
      if (t.equals("warning")) return WARN;
      for (Level l : values()) if (l.label().equals(t)) return l;
      throw new IllegalArgumentException("log level '" + s + "': choose one of debug, info, warn, error");
    }
  }

  /** How lines are written. */
  public enum Format {
    TEXT, JSON;

    public static Format parse(String s) {
      String t = s.trim().toLowerCase(Locale.ROOT);
      for (Format f : values()) if (f.name().toLowerCase(Locale.ROOT).equals(t)) return f;
      throw new IllegalArgumentException("log format '" + s + "': choose text or json");
    }
  }

  private static volatile Format format = Format.TEXT;
  private static volatile Level threshold = Level.INFO;
  private static volatile String program = "javaland";
  private static final boolean JOURNAL = System.getenv("JOURNAL_STREAM") != null;
  /** Held: JUL keeps loggers weakly, and the root's handler is what routes the libraries' records. */
  private static final Logger JUL_ROOT = Logger.getLogger("");

  private final String logger;

  private Log(String logger) {
    this.logger = logger;
  }

  /** A logger; the name is only shown in JSON ({@code "logger"}). */
  public static Log named(String logger) {
    return new Log(logger);
  }

  /** Sets the format and the lowest level written, and routes java.util.logging here. */
  public static synchronized void configure(Format f, Level min) {
    configure("javaland", f, min);
  }

  /** ... for {@code name}, the program a text line starts with ({@code javaland-learn: ...}). */
  public static synchronized void configure(String name, Format f, Level min) {
    program = java.util.Objects.requireNonNull(name);
    format = f;
    threshold = min;
    for (Handler h : JUL_ROOT.getHandlers()) JUL_ROOT.removeHandler(h);
    JUL_ROOT.addHandler(new JulBridge());
    JUL_ROOT.setLevel(min == Level.DEBUG ? java.util.logging.Level.FINE : java.util.logging.Level.INFO);
  }

  public static Format format() {
    return format;
  }

  public void debug(String message) {
    write(Level.DEBUG, message);
  }

  public void info(String message) {
    write(Level.INFO, message);
  }

  public void warn(String message) {
    write(Level.WARN, message);
  }

  public void error(String message) {
    write(Level.ERROR, message);
  }

  /** This logger at {@code level}, for the {@code Consumer<String>} the runtime's parts take. */
  public Consumer<String> at(Level level) {
    return m -> write(level, m);
  }

  public void write(Level level, String message) {
    if (level.ordinal() < threshold.ordinal()) return;
    PrintStream out = level.ordinal() >= Level.WARN.ordinal() ? System.err : System.out;
    out.println(line(Instant.now(), level, program, logger, message, format, JOURNAL));
    out.flush();
  }

  /** One line as written; {@code journal}: the text carries its syslog priority. */
  static String line(Instant at, Level level, String program, String logger, String message, Format f, boolean journal) {
    if (f == Format.JSON) {
      return JsonCodec.write(JsonCodec.object().put("time", at.toString()).put("level", level.label())
          .put("logger", logger).put("message", message));
    }
    String prefix = switch (level) {
      case WARN -> "warning: ";
      case ERROR -> "error: ";
      case DEBUG -> "debug: ";
      case INFO -> "";
    };
    return (journal ? "<" + level.syslog + ">" : "") + program + ": " + prefix + message;
  }

  /** java.util.logging's records, one line each, through the facade. */
  private static final class JulBridge extends Handler {
    @Override
    public void publish(LogRecord r) {
      int v = r.getLevel().intValue();
      Level level = v >= java.util.logging.Level.SEVERE.intValue() ? Level.ERROR
          : v >= java.util.logging.Level.WARNING.intValue() ? Level.WARN
          : v >= java.util.logging.Level.INFO.intValue() ? Level.INFO : Level.DEBUG;
      if (!isLoggable(r)) return;
      String msg = new java.util.logging.SimpleFormatter().formatMessage(r);
      if (r.getThrown() != null) msg += ": " + r.getThrown();
      String name = r.getLoggerName() == null ? "jul" : r.getLoggerName();
      new Log(name).write(level, format == Format.TEXT ? "[" + name + "] " + msg : msg);
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  }
}
