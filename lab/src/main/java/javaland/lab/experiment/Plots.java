package javaland.lab.experiment;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Stroke;
import java.awt.geom.AffineTransform;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import javaland.lab.experiment.ResultTable.ClassCell;
import javaland.lab.experiment.ResultTable.Row;
import javax.imageio.ImageIO;

/**
 * PNG charts drawn with Java2D (headless): per workload, the scheduling-delay CDF of every variant
 * on a log time axis, and each task class's p99 delay as grouped bars. Colours follow the
 * variant's position, so a variant has the same colour in every chart.
 */
public final class Plots {
  static {
    if (System.getProperty("java.awt.headless") == null) System.setProperty("java.awt.headless", "true");
  }

  private static final Color[] PALETTE = {
      new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728), new Color(0x9467bd),
      new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f), new Color(0xbcbd22), new Color(0x17becf)};
  private static final Color GRID = new Color(0xe3e3e3);
  private static final Color TEXT = new Color(0x222222);
  private static final int W = 1100;
  private static final int LEFT = 90;
  private static final int RIGHT = 30;
  private static final int TOP = 64;
  private static final int PLOT_H = 420;
  private static final int AXIS_H = 58;

  private Plots() {}

  static Color colour(int i) {
    return PALETTE[i % PALETTE.length];
  }

  /** Dashed for the second round through the palette, so 20 variants stay distinguishable. */
  private static Stroke line(int i, float width) {
    if (i < PALETTE.length) return new BasicStroke(width, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);
    return new BasicStroke(width, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10, new float[] {9, 5}, 0);
  }

  /** A 1-2-5 label for a time in us: 1µs, 20µs, 1ms, 2.5s. */
  public static String time(double us) {
    if (us < 1000) return trim(us) + "µs";
    if (us < 1e6) return trim(us / 1e3) + "ms";
    return trim(us / 1e6) + "s";
  }

  private static String trim(double v) {
    if (v == Math.rint(v)) return Long.toString((long) v);
    return String.format(java.util.Locale.ROOT, v < 10 ? "%.1f" : "%.0f", v);
  }

  // ------------------------------------------------------------------ the delay CDF

  /** Line width of series {@code i} of {@code n}: the first widest, so identical curves show as nested stripes. */
  private static float width(int i, int n) {
    return n <= 1 ? 2.4f : (float) (1.8 + 3.4 * (n - 1 - i) / (n - 1));
  }

  /**
   * The CDF chart for one workload's rows; {@code colourOf} gives each row's variant index. The x
   * axis spans the decades that hold delays (from "≤1µs" when the idle fast path gave zeros); the
   * y axis starts at the lowest tenth any curve starts from, so a mostly-zero distribution still
   * shows its tail.
   */
  static byte[] delayCdf(String title, String subtitle, List<Row> rows, List<Integer> colourOf) {
    int first = DelayBins.BINS - 1;
    int last = 0;
    for (Row r : rows) {
      long[] b = r.delayBins();
      for (int i = 0; i < b.length; i++) {
        if (b[i] == 0) continue;
        first = Math.min(first, i);
        last = Math.max(last, i);
      }
    }
    if (first > last) first = last = 0; // no delays at all
    double maxUs = DelayBins.upperNs(Math.max(last, 1)) / 1e3;
    int d0 = first == 0 ? 0 : (int) Math.floor(Math.log10(DelayBins.upperNs(first - 1) / 1e3) + 1e-9);
    int d1 = Math.max(d0 + 2, (int) Math.ceil(Math.log10(maxUs) - 1e-9));
    double yMin = 1;
    for (Row r : rows) {
      double[] cdf = DelayBins.cdf(r.delayBins());
      int at = d0 == 0 ? 0 : Math.max(0, first - 1);
      yMin = Math.min(yMin, cdf[at]);
    }
    yMin = Math.min(0.9, Math.floor(yMin * 10) / 10);
    final double lowY = yMin;
    List<String> labels = rows.stream().map(Row::variant).toList();
    Canvas c = new Canvas(title, subtitle, labels, colourOf);
    Graphics2D g = c.g;
    int x0 = LEFT;
    int x1 = W - RIGHT;
    int y0 = TOP + PLOT_H;
    int y1 = TOP;
    java.util.function.DoubleUnaryOperator xOf = us -> x0 + (x1 - x0) * (Math.log10(Math.max(us, 1)) - d0) / (d1 - d0);
    java.util.function.DoubleUnaryOperator yOf = f -> y0 - (y0 - y1) * (f - lowY) / (1 - lowY);
    // Grid: decades (with 2 and 5 as faint minor lines) and tenths of the fraction's range.
    g.setFont(c.small);
    for (int d = d0; d <= d1; d++) {
      double us = Math.pow(10, d);
      c.vline((int) xOf.applyAsDouble(us), y0, y1, GRID);
      c.centred(d == 0 ? "≤1µs" : time(us), (int) xOf.applyAsDouble(us), y0 + 18);
      for (int m : new int[] {2, 5}) {
        if (d < d1) c.vline((int) xOf.applyAsDouble(us * m), y0, y1, new Color(0xf2f2f2));
      }
    }
    for (int t = 0; t <= 10; t++) {
      double f = lowY + (1 - lowY) * t / 10;
      int y = (int) Math.round(yOf.applyAsDouble(f));
      c.hline(x0, x1, y, GRID);
      c.right(String.format(java.util.Locale.ROOT, lowY >= 0.5 ? "%.2f" : "%.1f", f), x0 - 8, y + 4);
    }
    for (double q : new double[] {0.5, 0.99}) {
      if (q < lowY) continue;
      int y = (int) yOf.applyAsDouble(q);
      g.setColor(new Color(0x888888));
      g.setStroke(new BasicStroke(1, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {4, 4}, 0));
      g.drawLine(x0, y, x1, y);
      g.setFont(c.tiny);
      g.drawString(q == 0.5 ? "p50" : "p99", x0 + 6, y - 4);
    }
    c.frame(x0, y0, x1, y1);
    c.xLabel("scheduling delay: runnable to running (log scale)", (x0 + x1) / 2, y0 + 42);
    c.yLabel(lowY > 0 ? "fraction of delays ≤ x (axis from " + trim(lowY) + ")" : "fraction of delays ≤ x",
        x0 - 56, (y0 + y1) / 2);
    g.setClip(x0 - 2, y1 - 4, x1 - x0 + 4, y0 - y1 + 6);
    for (int i = 0; i < rows.size(); i++) {
      double[] cdf = DelayBins.cdf(rows.get(i).delayBins());
      Path2D.Double p = new Path2D.Double();
      boolean started = false;
      for (int b = 0; b < cdf.length - 1; b++) {
        double x = xOf.applyAsDouble(DelayBins.upperNs(b) / 1e3);
        double y = yOf.applyAsDouble(Math.max(lowY, cdf[b]));
        if (!started) {
          p.moveTo(Math.max(x0, x), y);
          started = true;
        } else {
          p.lineTo(x, y);
        }
        if (cdf[b] >= 1.0) break;
      }
      g.setColor(colour(colourOf.get(i)));
      g.setStroke(line(colourOf.get(i), width(i, rows.size())));
      g.draw(p);
    }
    g.setClip(null);
    return c.png();
  }

  // ------------------------------------------------------------------ per-class p99 bars

  /** Grouped bars: for each class (and "all tasks"), each variant's median p99 delay, log scale. */
  static byte[] classP99(String title, String subtitle, List<Row> rows, List<Integer> colourOf) {
    List<String> classes = new ArrayList<>(ResultTable.classNames(rows));
    classes.add(0, "all tasks");
    double[][] v = new double[classes.size()][rows.size()];
    double max = 1;
    for (int r = 0; r < rows.size(); r++) {
      v[0][r] = rows.get(r).delayP99Us();
      for (int k = 1; k < classes.size(); k++) {
        String name = classes.get(k);
        v[k][r] = rows.get(r).classes().stream().filter(x -> x.name().equals(name)).mapToDouble(ClassCell::p99Us)
            .findFirst().orElse(Double.NaN);
      }
    }
    double min = Double.POSITIVE_INFINITY;
    for (double[] a : v) {
      for (double x : a) {
        if (x > max) max = x;
        if (x < min) min = x;
      }
    }
    // From a decade below the smallest bar (or "≤1µs" if any is that small) to above the largest.
    int bottom = min <= 1 ? 0 : Math.max(0, (int) Math.floor(Math.log10(min)) - 1);
    int decades = Math.max(bottom + 2, (int) Math.ceil(Math.log10(max) + 0.15)); // headroom for the value labels
    Canvas c = new Canvas(title, subtitle, rows.stream().map(Row::variant).toList(), colourOf);
    Graphics2D g = c.g;
    int x0 = LEFT;
    int x1 = W - RIGHT;
    int y0 = TOP + PLOT_H;
    int y1 = TOP;
    java.util.function.DoubleUnaryOperator yOf =
        us -> y0 - (y0 - y1) * Math.max(0, Math.log10(Math.max(us, 1)) - bottom) / (decades - bottom);
    g.setFont(c.small);
    for (int d = bottom; d <= decades; d++) {
      int y = (int) yOf.applyAsDouble(Math.pow(10, d));
      c.hline(x0, x1, y, GRID);
      c.right(d == 0 ? "≤1µs" : time(Math.pow(10, d)), x0 - 8, y + 4);
    }
    double groupW = (double) (x1 - x0) / classes.size();
    double barW = Math.min(60, groupW * 0.8 / rows.size());
    for (int k = 0; k < classes.size(); k++) {
      double gx = x0 + groupW * k + (groupW - barW * rows.size()) / 2;
      for (int r = 0; r < rows.size(); r++) {
        double val = v[k][r];
        int bx = (int) Math.round(gx + barW * r);
        int bw = Math.max(1, (int) Math.round(gx + barW * (r + 1)) - bx - 1);
        if (Double.isNaN(val)) continue;
        int top = (int) yOf.applyAsDouble(val);
        g.setColor(colour(colourOf.get(r)));
        g.fillRect(bx, top, bw, Math.max(1, y0 - top));
        if (colourOf.get(r) >= PALETTE.length) { // second round of colours: hatched
          g.setColor(Color.WHITE);
          for (int y = top + 4; y < y0; y += 6) g.drawLine(bx, y, bx + bw, y);
        }
        if (bw >= 14 && val > 1) {
          g.setColor(TEXT);
          g.setFont(c.tiny);
          c.rotatedLabel(time(val), bx + bw / 2 + 4, top - 4);
        }
      }
      g.setFont(c.small);
      g.setColor(TEXT);
      c.centred(classes.get(k), (int) (x0 + groupW * k + groupW / 2), y0 + 18);
    }
    if (max <= 1) {
      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 15));
      c.centred("every p99 is under 1µs: wakeups found idle CPUs (the idle fast path)", (x0 + x1) / 2, (y0 + y1) / 2);
    }
    c.frame(x0, y0, x1, y1);
    c.xLabel("task class", (x0 + x1) / 2, y0 + 42);
    c.yLabel("p99 scheduling delay (log scale)", x0 - 56, (y0 + y1) / 2);
    return c.png();
  }

  // ------------------------------------------------------------------ line charts (learner regret)

  /**
   * Curves over windows 1..n on linear axes from 0: one series per legend entry, each
   * {@code series[i][t]} the value after window t+1 (NaN: no point). Used for regret curves.
   */
  public static byte[] lines(String title, String subtitle, List<String> legend, List<Integer> colourOf, double[][] series,
      String xLabel, String yLabel) {
    int n = 1;
    double max = 0;
    for (double[] s : series) {
      n = Math.max(n, s.length);
      for (double v : s) if (Double.isFinite(v)) max = Math.max(max, v);
    }
    double top = niceCeiling(max <= 0 ? 1 : max * 1.05);
    Canvas c = new Canvas(title, subtitle, legend, colourOf);
    Graphics2D g = c.g;
    int x0 = LEFT;
    int x1 = W - RIGHT;
    int y0 = TOP + PLOT_H;
    int y1 = TOP;
    final int windows = n;
    java.util.function.DoubleUnaryOperator xOf = t -> x0 + (x1 - x0) * t / windows;
    java.util.function.DoubleUnaryOperator yOf = v -> y0 - (y0 - y1) * v / top;
    g.setFont(c.small);
    for (int i = 0; i <= 10; i++) {
      double v = top * i / 10;
      int y = (int) Math.round(yOf.applyAsDouble(v));
      c.hline(x0, x1, y, GRID);
      c.right(trim(v), x0 - 8, y + 4);
    }
    double step = Math.max(1, niceCeiling(n / 10.0));
    for (double t = 0; t <= n; t += step) {
      int x = (int) Math.round(xOf.applyAsDouble(t));
      c.vline(x, y0, y1, GRID);
      c.centred(trim(t), x, y0 + 18);
    }
    c.frame(x0, y0, x1, y1);
    c.xLabel(xLabel, (x0 + x1) / 2, y0 + 42);
    c.yLabel(yLabel, x0 - 56, (y0 + y1) / 2);
    g.setClip(x0 - 2, y1 - 4, x1 - x0 + 4, y0 - y1 + 6);
    for (int i = 0; i < series.length; i++) {
      Path2D.Double p = new Path2D.Double();
      p.moveTo(xOf.applyAsDouble(0), yOf.applyAsDouble(0));
      for (int t = 0; t < series[i].length; t++) {
        if (Double.isFinite(series[i][t])) p.lineTo(xOf.applyAsDouble(t + 1), yOf.applyAsDouble(series[i][t]));
      }
      g.setColor(colour(colourOf.get(i)));
      g.setStroke(line(colourOf.get(i), width(i, series.length)));
      g.draw(p);
    }
    g.setClip(null);
    return c.png();
  }

  /** The smallest round number (1, 1.5, 2, 2.5, 3, 4, 5, 6, 8 times a power of ten) at or above {@code v}. */
  private static double niceCeiling(double v) {
    double p = Math.pow(10, Math.floor(Math.log10(v)));
    for (double m : new double[] {1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10}) if (m * p >= v - 1e-12) return m * p;
    return 10 * p;
  }

  // ------------------------------------------------------------------ drawing helpers

  /** An image with a title, a plot area and a legend of variants below it. */
  private static final class Canvas {
    final BufferedImage img;
    final Graphics2D g;
    final Font small = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
    final Font tiny = new Font(Font.SANS_SERIF, Font.PLAIN, 11);

    Canvas(String title, String subtitle, List<String> legend, List<Integer> colourOf) {
      // Legend: entries left to right in variant order, wrapping at the plot's width.
      Font lf = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
      BufferedImage probe = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
      FontMetrics fm = probe.createGraphics().getFontMetrics(lf);
      int[] lx = new int[legend.size()];
      int[] lrow = new int[legend.size()];
      int x = LEFT;
      int row = 0;
      for (int i = 0; i < legend.size(); i++) {
        int w = fm.stringWidth(legend.get(i)) + 58;
        if (x > LEFT && x + w > W - RIGHT) {
          x = LEFT;
          row++;
        }
        lx[i] = x;
        lrow[i] = row;
        x += w;
      }
      int legendRows = legend.isEmpty() ? 0 : row + 1;
      int h = TOP + PLOT_H + AXIS_H + 12 + legendRows * 22 + 12;
      img = new BufferedImage(W, h, BufferedImage.TYPE_INT_RGB);
      g = img.createGraphics();
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, W, h);
      g.setColor(TEXT);
      g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 17));
      g.drawString(title, LEFT, 28);
      g.setFont(small);
      g.setColor(new Color(0x555555));
      g.drawString(subtitle, LEFT, 48);
      g.setFont(lf);
      int ly = TOP + PLOT_H + AXIS_H + 12;
      for (int i = 0; i < legend.size(); i++) {
        int y = ly + lrow[i] * 22;
        g.setColor(colour(colourOf.get(i)));
        g.setStroke(line(colourOf.get(i), 4f));
        g.drawLine(lx[i], y + 9, lx[i] + 26, y + 9);
        g.setColor(TEXT);
        g.drawString(legend.get(i), lx[i] + 32, y + 14);
      }
    }

    void vline(int x, int y0, int y1, Color c) {
      g.setColor(c);
      g.setStroke(new BasicStroke(1));
      g.drawLine(x, y0, x, y1);
    }

    void hline(int x0, int x1, int y, Color c) {
      g.setColor(c);
      g.setStroke(new BasicStroke(1));
      g.drawLine(x0, y, x1, y);
    }

    void frame(int x0, int y0, int x1, int y1) {
      g.setColor(new Color(0x888888));
      g.setStroke(new BasicStroke(1));
      g.drawRect(x0, y1, x1 - x0, y0 - y1);
    }

    void centred(String s, int x, int y) {
      g.setColor(TEXT);
      g.drawString(s, x - g.getFontMetrics().stringWidth(s) / 2, y);
    }

    void right(String s, int x, int y) {
      g.setColor(TEXT);
      g.drawString(s, x - g.getFontMetrics().stringWidth(s), y);
    }

    void xLabel(String s, int x, int y) {
      g.setFont(small);
      centred(s, x, y);
    }

    void yLabel(String s, int x, int y) {
      g.setFont(small);
      AffineTransform old = g.getTransform();
      g.rotate(-Math.PI / 2, x, y);
      centred(s, x, y);
      g.setTransform(old);
    }

    /** Text reading upwards from (x, y): a bar's value above the bar. */
    void rotatedLabel(String s, int x, int y) {
      AffineTransform old = g.getTransform();
      g.rotate(-Math.PI / 2, x, y);
      g.drawString(s, x, y);
      g.setTransform(old);
    }

    byte[] png() {
      g.dispose();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try {
        ImageIO.write(img, "png", out);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return out.toByteArray();
    }
  }
}
