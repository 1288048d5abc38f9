package javaland.trace;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Property checks over seeded random input (bytes, text, mutated and truncated sample lines,
 * damaged traces): lenient imports never throw and count every line, strict imports throw only
 * the documented errors. Fixed seeds keep every run identical.
 */
class ImportFuzzTest {
  private static final TraceFormat[] FORMATS = TraceFormat.values();

  private static String chars(SplittableRandom r, int max) {
    StringBuilder b = new StringBuilder();
    int n = r.nextInt(max + 1);
    for (int i = 0; i < n; i++) b.append((char) (r.nextInt(8) == 0 ? r.nextInt(0x10000) : r.nextInt(0x20, 0x7f)));
    return b.toString();
  }

  @Test
  void randomBytesAndText() {
    SplittableRandom r = new SplittableRandom(20_260_001);
    for (int i = 0; i < 400; i++) {
      byte[] b = new byte[r.nextInt(3000)];
      r.nextBytes(b);
      Garbage.checkBytes(b, FORMATS[r.nextInt(FORMATS.length)]);
      Garbage.checkBoth(chars(r, 2000), FORMATS[r.nextInt(FORMATS.length)]);
    }
  }

  @Test
  void mutatedAndTruncatedLines() {
    SplittableRandom r = new SplittableRandom(20_260_002);
    for (int i = 0; i < 600; i++) {
      StringBuilder text = new StringBuilder();
      int n = r.nextInt(40);
      for (int k = 0; k < n; k++) {
        String line = Garbage.LINES.get(r.nextInt(Garbage.LINES.size()));
        switch (r.nextInt(3)) {
          case 0 -> text.append(line);
          case 1 -> text.append(Garbage.mutate(line, r.nextInt(Garbage.MUTATIONS), r.nextInt(400), chars(r, 6)));
          default -> text.append(line, 0, r.nextInt(line.length() + 1));
        }
        text.append(r.nextInt(10) == 0 ? "\r\n" : "\n");
      }
      Garbage.checkBoth(text.toString(), FORMATS[r.nextInt(FORMATS.length)]);
    }
  }

  @Test
  void everySampleLineCutAtEveryPosition() {
    for (TraceFormat f : new TraceFormat[] {TraceFormat.AUTO, TraceFormat.FTRACE, TraceFormat.PERF_SCRIPT, TraceFormat.PERF_TIMEHIST}) {
      StringBuilder text = new StringBuilder();
      for (String line : Garbage.LINES) {
        for (int p = 0; p <= line.length(); p += 3) text.append(line, 0, p).append('\n');
      }
      Garbage.checkBoth(text.toString(), f);
    }
  }

  @Test
  void damagedTraces() {
    SplittableRandom r = new SplittableRandom(20_260_003);
    for (int i = 0; i < 2000; i++) {
      byte[] with = new byte[r.nextInt(12)];
      r.nextBytes(with);
      Garbage.checkTrace(Garbage.damage(Garbage.TRACE, r.nextInt(5), r.nextInt(Garbage.TRACE.length + 1), with));
      Garbage.checkTrace(Garbage.resealedDamage(Garbage.TRACE, r.nextInt(), with));
    }
  }
}
