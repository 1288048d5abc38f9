package javaland.lab.experiment;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Progress of an experiment on stderr: on a terminal a single line redrawn in place (a bar,
 * done/total, elapsed, ETA); elsewhere plain lines, one per tenth of the runs (and at least
 * every 5 s), so logs stay readable.
 */
public final class Progress implements ExperimentRunner.Listener, AutoCloseable {
  public enum Mode {
    /** A bar if stderr is a terminal, else lines. */
    AUTO,
    BAR,
    LINES,
    NONE
  }

  private static final int BAR_WIDTH = 30;

  private final PrintStream out;
  private final Mode mode;
  private final String name;
  private long startNs;
  private int total;
  private int done;
  private int lastDecile = -1;
  private long lastLineNs;
  private int lastWidth;
  private ScheduledExecutorService ticker;

  public Progress(PrintStream out, Mode mode, String name) {
    this(out, mode, name, true);
  }

  /** @param experiment whether lines read "experiment NAME: ..." or just "NAME: ..." (other long work, e.g. train) */
  public Progress(PrintStream out, Mode mode, String name, boolean experiment) {
    this.out = out;
    this.mode = mode == Mode.AUTO ? (stderrIsTerminal() ? Mode.BAR : Mode.LINES) : mode;
    this.name = experiment ? "experiment " + name : name;
  }

  public Mode mode() {
    return mode;
  }

  /** Linux: fd 2 is a terminal if it links to a tty or pseudo-terminal device. */
  static boolean stderrIsTerminal() {
    if ("dumb".equals(System.getenv("TERM"))) return false;
    try {
      String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
      return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
    } catch (Exception e) {
      return false;
    }
  }

  @Override
  public synchronized void started(int total) {
    this.total = total;
    this.startNs = System.nanoTime();
    this.lastLineNs = startNs;
    if (mode == Mode.BAR) {
      redraw();
      // Elapsed and ETA keep moving while a long run is going.
      ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "experiment-progress");
        t.setDaemon(true);
        return t;
      });
      ticker.scheduleAtFixedRate(this::tick, 500, 500, TimeUnit.MILLISECONDS);
    } else if (mode == Mode.LINES) {
      out.println(name + ": " + total + " runs");
      out.flush();
    }
  }

  private synchronized void tick() {
    if (done < total) redraw();
  }

  @Override
  public synchronized void finished(ExperimentRunner.RunResult r, int doneNow, int totalNow) {
    done = Math.max(done, doneNow);
    long now = System.nanoTime();
    if (mode == Mode.BAR) {
      if (done == total || now - lastLineNs >= 50_000_000L) { // at most 20 redraws a second
        lastLineNs = now;
        redraw();
      }
    } else if (mode == Mode.LINES) {
      int decile = done * 10 / Math.max(1, total);
      if (decile != lastDecile || done == total || now - lastLineNs >= 5_000_000_000L) {
        lastDecile = decile;
        lastLineNs = now;
        out.println(name + ": " + status());
        out.flush();
      }
    }
  }

  /** "12/48 runs, 3.2s elapsed, ETA 9.6s" */
  synchronized String status() {
    double elapsed = (System.nanoTime() - startNs) / 1e9;
    String eta = done == 0 ? "?" : seconds(elapsed / done * (total - done));
    return String.format(Locale.ROOT, "%d/%d runs, %s elapsed, ETA %s", done, total, seconds(elapsed), done == total ? "0s" : eta);
  }

  private static String seconds(double s) {
    if (s < 60) return String.format(Locale.ROOT, "%.1fs", s);
    return String.format(Locale.ROOT, "%dm%02ds", (long) s / 60, (long) s % 60);
  }

  private void redraw() {
    int filled = total == 0 ? BAR_WIDTH : done * BAR_WIDTH / total;
    String line = "[" + "#".repeat(filled) + ".".repeat(BAR_WIDTH - filled) + "] " + status();
    String pad = line.length() < lastWidth ? " ".repeat(lastWidth - line.length()) : "";
    lastWidth = line.length();
    out.print("\r" + line + pad);
    out.flush();
  }

  /** Ends the bar's line; stops the ticker. */
  @Override
  public synchronized void close() {
    if (ticker != null) {
      ticker.shutdownNow();
      ticker = null;
    }
    if (mode == Mode.BAR && total > 0) {
      redraw();
      out.println();
      out.flush();
      total = 0;
    }
  }
}
