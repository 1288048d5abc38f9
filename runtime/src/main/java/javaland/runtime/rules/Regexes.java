package javaland.runtime.rules;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Refuses regular expressions whose matching can take exponential time (catastrophic
 * backtracking), in two ways:
 *
 * <ol>
 *   <li><b>Statically</b>: a group repeated without bound ({@code *}, {@code +}, {@code {n,}},
 *       or a count of 10 or more) that itself contains such a repetition, e.g. {@code (a+)+},
 *       {@code (\w*x?)*}, {@code (a{1,30}){1,30}}. A possessive outer quantifier
 *       ({@code (a+)++}) or an atomic group does not backtrack and passes. (Java's engine
 *       memoizes some greedy group loops, so {@code (a+)+} alone is often fast in practice, but a
 *       backreference or a counted repetition makes the same shape exponential: the form is
 *       refused, not the measured case.)
 *   <li><b>By a bounded match test</b>: the pattern is run against probe strings (each literal
 *       character of the pattern and a few common ones, repeated, then a character that makes
 *       the match fail) through a {@link CharSequence} that counts character reads; more than
 *       {@value #STEP_BUDGET} reads on a probe of {@value #PROBE_LENGTH} characters is refused.
 *       This catches what the static check cannot see, such as {@code (a|aa)+}.
 * </ol>
 */
final class Regexes {
  static final int MAX_LENGTH = 512;
  static final int PROBE_LENGTH = 28;
  static final int STEP_BUDGET = 200_000;

  private Regexes() {}

  /** Compiles {@code regex}, or says why it is refused. */
  static Pattern compile(String regex) {
    if (regex.isEmpty()) throw new IllegalArgumentException("an empty regex matches everything; leave the key out instead");
    if (regex.length() > MAX_LENGTH) throw new IllegalArgumentException("regex longer than " + MAX_LENGTH + " characters");
    Pattern p;
    try {
      p = Pattern.compile(regex);
    } catch (java.util.regex.PatternSyntaxException e) {
      throw new IllegalArgumentException("invalid regex: " + e.getDescription() + " at index " + e.getIndex());
    }
    Optional<String> nested = nestedQuantifier(regex);
    if (nested.isPresent()) {
      throw new IllegalArgumentException("catastrophic regex (static check): " + nested.get()
          + " can backtrack exponentially; make the inner or outer repetition possessive (++, *+) or rewrite it");
    }
    Optional<String> slow = slowProbe(p, regex);
    if (slow.isPresent()) {
      throw new IllegalArgumentException("catastrophic regex (bounded match test): " + slow.get());
    }
    return p;
  }

  /** The first unbounded repetition of a group that repeats without bound inside, if any. */
  static Optional<String> nestedQuantifier(String re) {
    // One frame per open group: whether something inside repeats without bound, and where it opened.
    Deque<int[]> groups = new ArrayDeque<>();
    int n = re.length();
    int i = 0;
    while (i < n) {
      char c = re.charAt(i);
      if (c == '\\') {
        if (i + 1 < n && re.charAt(i + 1) == 'Q') {
          int end = re.indexOf("\\E", i + 2);
          i = end < 0 ? n : end + 2;
        } else {
          i += 2;
        }
        i = afterQuantifier(re, i, groups, -1);
      } else if (c == '[') {
        i = afterQuantifier(re, skipClass(re, i), groups, -1);
      } else if (c == '(') {
        boolean atomic = re.startsWith("(?>", i);
        groups.push(new int[] {0, i, atomic ? 1 : 0});
        i++;
      } else if (c == ')') {
        int[] g = groups.isEmpty() ? new int[] {0, 0, 0} : groups.pop();
        int q = quantifierEnd(re, i + 1);
        boolean unbounded = q > i + 1 && isUnbounded(re.substring(i + 1, q));
        boolean possessive = q < n && q > i + 1 && re.charAt(q) == '+';
        if (unbounded && g[0] == 1 && !possessive && g[2] == 0) {
          return Optional.of("'" + re.substring(g[1], Math.min(n, q)) + "'");
        }
        // The group, repeated or not, counts as a repetition inside the enclosing group.
        if ((unbounded || g[0] == 1) && g[2] == 0 && !groups.isEmpty()) groups.peek()[0] = 1;
        i = skipLazyPossessive(re, q);
      } else {
        i = afterQuantifier(re, i + 1, groups, i);
      }
    }
    return Optional.empty();
  }

  /** After an atom ending before {@code i}: marks the enclosing group if the atom repeats without bound. */
  private static int afterQuantifier(String re, int i, Deque<int[]> groups, int atom) {
    int q = quantifierEnd(re, i);
    if (q > i && isUnbounded(re.substring(i, q)) && !groups.isEmpty()) groups.peek()[0] = 1;
    return skipLazyPossessive(re, q);
  }

  private static int skipLazyPossessive(String re, int i) {
    return i < re.length() && (re.charAt(i) == '?' || re.charAt(i) == '+') ? i + 1 : i;
  }

  /** End of the quantifier starting at {@code i} ({@code i} itself when there is none). */
  private static int quantifierEnd(String re, int i) {
    if (i >= re.length()) return i;
    char c = re.charAt(i);
    if (c == '*' || c == '+' || c == '?') return i + 1;
    if (c == '{') {
      int end = re.indexOf('}', i);
      if (end > 0 && re.substring(i + 1, end).matches("\\d+(,\\d*)?")) return end + 1;
    }
    return i;
  }

  /**
   * Unbounded, or bounded at {@value #LARGE_REPEAT} or more: {@code (a{1,30}){1,30}} backtracks as
   * badly as {@code (a+)+}, while {@code (\d{1,3}\.){3}} is harmless.
   */
  private static boolean isUnbounded(String quantifier) {
    if (quantifier.equals("*") || quantifier.equals("+") || quantifier.matches("\\{\\d+,}")) return true;
    var m = java.util.regex.Pattern.compile("\\{(\\d+)(?:,(\\d+))?}").matcher(quantifier);
    if (!m.matches()) return false;
    String max = m.group(2) != null ? m.group(2) : m.group(1);
    return max.length() > 4 || Integer.parseInt(max) >= LARGE_REPEAT;
  }

  static final int LARGE_REPEAT = 10;

  private static int skipClass(String re, int i) {
    int j = i + 1;
    if (j < re.length() && re.charAt(j) == '^') j++;
    if (j < re.length() && re.charAt(j) == ']') j++;
    int depth = 1;
    while (j < re.length() && depth > 0) {
      char c = re.charAt(j);
      if (c == '\\') j++;
      else if (c == '[') depth++;
      else if (c == ']') depth--;
      j++;
    }
    return j;
  }

  private static final class TooSlow extends RuntimeException {
    TooSlow() {
      super(null, null, false, false);
    }
  }

  /** Counts character reads; throws once over budget. */
  private static final class Counting implements CharSequence {
    private final String s;
    private long reads;

    Counting(String s) {
      this.s = s;
    }

    @Override
    public char charAt(int index) {
      if (++reads > STEP_BUDGET) throw new TooSlow();
      return s.charAt(index);
    }

    @Override
    public int length() {
      return s.length();
    }

    @Override
    public CharSequence subSequence(int start, int end) {
      return s.substring(start, end);
    }

    @Override
    public String toString() {
      return s;
    }
  }

  static Optional<String> slowProbe(Pattern p, String regex) {
    Set<Character> chars = new LinkedHashSet<>();
    for (char c : regex.toCharArray()) if (Character.isLetterOrDigit(c) || c == '/' || c == '-' || c == '_') chars.add(c);
    for (char c : "a0 /-_.".toCharArray()) chars.add(c);
    String literals = regex.replaceAll("[^A-Za-z0-9/_.-]", "");
    Set<String> probes = new LinkedHashSet<>();
    for (char c : chars) probes.add(String.valueOf(c).repeat(PROBE_LENGTH));
    if (!literals.isEmpty()) probes.add(literals.repeat(PROBE_LENGTH / literals.length() + 1));
    for (String base : probes) {
      for (String tail : new String[] {"\u0001", "!", ""}) {
        String probe = base + tail;
        try {
          p.matcher(new Counting(probe)).find();
        } catch (TooSlow e) {
          return Optional.of("more than " + STEP_BUDGET + " steps to match '" + printable(probe) + "'");
        }
      }
    }
    return Optional.empty();
  }

  private static String printable(String s) {
    return s.replace("\u0001", "\\x01");
  }
}
