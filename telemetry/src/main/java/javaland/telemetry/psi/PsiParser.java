package javaland.telemetry.psi;

import java.nio.file.Path;

/**
 * Parses the text of a pressure file, strictly. The kernel writes (kernel/sched/psi.c, psi_show):
 *
 * <pre>
 * some avg10=0.12 avg60=0.40 avg300=0.31 total=8421904
 * full avg10=0.00 avg60=0.03 avg300=0.01 total=1204421
 * </pre>
 *
 * <p>Every line must be a kind ({@code some} or {@code full}) followed by exactly
 * {@code avg10=}, {@code avg60=}, {@code avg300=} (non-negative decimals, percent) and
 * {@code total=} (a non-negative integer, microseconds), separated by whitespace, each kind at
 * most once. Anything else is a {@link PsiFormatException} naming the file, the line and what
 * was expected: a reader that guessed would report nonsense pressure with a straight face.
 */
public final class PsiParser {
  private static final String[] AVG_FIELDS = {"avg10", "avg60", "avg300"};
  private static final java.util.regex.Pattern BLANKS = java.util.regex.Pattern.compile("\\s+"); // compiled once: read every window

  private PsiParser() {}

  public static PsiRecord parse(PsiResource resource, Path file, String content) {
    String name = file.toString();
    if (content.isEmpty()) {
      throw new PsiFormatException(name, 1, "the file is empty: expected a 'some' or 'full' line");
    }
    String[] lines = content.split("\n", -1);
    int count = lines.length;
    if (lines[count - 1].isEmpty()) count--; // the final newline
    PsiStall some = null;
    PsiStall full = null;
    int someLine = 0;
    int fullLine = 0;
    for (int i = 0; i < count; i++) {
      int lineNo = i + 1;
      String line = lines[i];
      if (line.isBlank()) {
        throw new PsiFormatException(name, lineNo, "empty line: expected 'some avg10=... avg60=... avg300=... total=...'"
            + " or the same with 'full'");
      }
      String[] f = BLANKS.split(line.trim());
      PsiKind kind;
      switch (f[0]) {
        case "some" -> kind = PsiKind.SOME;
        case "full" -> kind = PsiKind.FULL;
        default -> throw new PsiFormatException(name, lineNo,
            "expected 'some' or 'full' as field 1, found '" + f[0] + "'");
      }
      double[] avg = new double[3];
      for (int k = 0; k < 3; k++) {
        String want = AVG_FIELDS[k];
        if (f.length <= k + 1) {
          throw new PsiFormatException(name, lineNo, "expected " + want + "=<percent> as field " + (k + 2)
              + ", but the line ends after '" + f[f.length - 1] + "'");
        }
        avg[k] = decimal(name, lineNo, k + 2, want, f[k + 1]);
      }
      if (f.length <= 4) {
        throw new PsiFormatException(name, lineNo,
            "expected total=<microseconds> as field 5, but the line ends after '" + f[3] + "'");
      }
      long total = integer(name, lineNo, f[4]);
      if (f.length > 5) {
        throw new PsiFormatException(name, lineNo,
            "expected the line to end after total=, found extra field '" + f[5] + "'");
      }
      PsiStall stall = new PsiStall(avg[0], avg[1], avg[2], total);
      if (kind == PsiKind.SOME) {
        if (some != null) {
          throw new PsiFormatException(name, lineNo, "a second 'some' line (the first is line " + someLine + ")");
        }
        some = stall;
        someLine = lineNo;
      } else {
        if (full != null) {
          throw new PsiFormatException(name, lineNo, "a second 'full' line (the first is line " + fullLine + ")");
        }
        full = stall;
        fullLine = lineNo;
      }
    }
    if (some == null && full == null) {
      throw new PsiFormatException(name, 1, "the file is empty: expected a 'some' or 'full' line");
    }
    return new PsiRecord(resource, file, some, full);
  }

  private static double decimal(String file, int line, int field, String key, String token) {
    String value = valueOf(file, line, field, key, "<percent>", token);
    int dot = value.indexOf('.');
    boolean ok = !value.isEmpty() && dot != 0 && dot != value.length() - 1;
    for (int i = 0; ok && i < value.length(); i++) {
      char c = value.charAt(i);
      ok = (c >= '0' && c <= '9') || (c == '.' && i == dot);
    }
    if (!ok) {
      throw new PsiFormatException(file, line, "expected " + key + "=<percent> (a non-negative decimal such as 0.25) as field "
          + field + ", found '" + token + "'");
    }
    return Double.parseDouble(value);
  }

  private static long integer(String file, int line, String token) {
    String value = valueOf(file, line, 5, "total", "<microseconds>", token);
    boolean ok = !value.isEmpty() && value.length() <= 19;
    for (int i = 0; ok && i < value.length(); i++) ok = value.charAt(i) >= '0' && value.charAt(i) <= '9';
    long v = -1;
    if (ok) {
      try {
        v = Long.parseLong(value);
      } catch (NumberFormatException e) {
        ok = false;
      }
    }
    if (!ok) {
      throw new PsiFormatException(file, line,
          "expected total=<microseconds> (a non-negative integer) as field 5, found '" + token + "'");
    }
    return v;
  }

  private static String valueOf(String file, int line, int field, String key, String what, String token) {
    String prefix = key + "=";
    if (!token.startsWith(prefix)) {
      throw new PsiFormatException(file, line, "expected " + prefix + what + " as field " + field + ", found '" + token + "'");
    }
    return token.substring(prefix.length());
  }
}
