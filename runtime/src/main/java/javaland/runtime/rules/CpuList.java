package javaland.runtime.rules;

import java.util.BitSet;

/** A CPU list as Linux writes them ("0-3,6,8-11"), as a bit mask. */
final class CpuList {
  static final int MAX_CPU = 4095;

  private CpuList() {}

  /** Parses {@code text}; throws naming the bad part. */
  static long[] parse(String text) {
    if (text.isBlank()) throw new IllegalArgumentException("an empty CPU list; leave the key out for no preference");
    BitSet set = new BitSet();
    for (String part : text.split(",", -1)) {
      String p = part.strip();
      if (!p.matches("\\d{1,5}(-\\d{1,5})?")) {
        throw new IllegalArgumentException("'" + p + "' is not a CPU or a range like 0-3 (expected a list like \"0-3,6\")");
      }
      int dash = p.indexOf('-');
      int lo = Integer.parseInt(dash < 0 ? p : p.substring(0, dash));
      int hi = dash < 0 ? lo : Integer.parseInt(p.substring(dash + 1));
      if (lo > hi) throw new IllegalArgumentException("range '" + p + "' runs backwards");
      if (hi > MAX_CPU) throw new IllegalArgumentException("CPU " + hi + " is out of range (0.." + MAX_CPU + ")");
      set.set(lo, hi + 1);
    }
    return set.toLongArray();
  }
}
