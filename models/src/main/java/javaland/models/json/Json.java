package javaland.models.json;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small JSON reader and writer for the registry's files and the audit log, so that models stays
 * free of dependencies (every module above it can read these files with whatever it likes).
 * Values are {@link Map} (insertion-ordered), {@link List}, {@link String}, {@link Double},
 * {@link Boolean} and null. Numbers are read as doubles: every number the registry keeps (versions,
 * epoch millis, parameter values) is exact below 2^53.
 */
public final class Json {
  private final String s;
  private int i;

  private Json(String s) {
    this.s = s;
  }

  /** Parses one JSON value filling all of {@code text}; throws naming the offset and what was expected. */
  public static Object parse(String text) {
    Json p = new Json(text);
    p.ws();
    Object v = p.value();
    p.ws();
    if (p.i != text.length()) throw p.error("trailing characters after the value");
    return v;
  }

  /** {@link #parse} of a text that must be an object. */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> parseObject(String text) {
    Object v = parse(text);
    if (!(v instanceof Map)) throw new IllegalArgumentException("expected a JSON object, got " + kind(v));
    return (Map<String, Object>) v;
  }

  /** One line of JSON (no newlines: strings escape them). */
  public static String write(Object v) {
    StringBuilder b = new StringBuilder();
    write(b, v);
    return b.toString();
  }

  private static void write(StringBuilder b, Object v) {
    switch (v) {
      case null -> b.append("null");
      case String str -> string(b, str);
      case Boolean bool -> b.append(bool);
      case Double d -> number(b, d);
      case Float f -> number(b, f.doubleValue());
      case Number n -> b.append(n.longValue());
      case Map<?, ?> m -> {
        b.append('{');
        boolean first = true;
        for (Map.Entry<?, ?> e : m.entrySet()) {
          if (!first) b.append(',');
          first = false;
          string(b, String.valueOf(e.getKey()));
          b.append(':');
          write(b, e.getValue());
        }
        b.append('}');
      }
      case Iterable<?> it -> {
        b.append('[');
        boolean first = true;
        for (Object o : it) {
          if (!first) b.append(',');
          first = false;
          write(b, o);
        }
        b.append(']');
      }
      default -> throw new IllegalArgumentException("cannot write " + v.getClass().getName() + " as JSON");
    }
  }

  private static void number(StringBuilder b, double d) {
    if (Double.isNaN(d) || Double.isInfinite(d)) {
      b.append("null"); // JSON has no NaN; a missing figure reads back as null
    } else if (d == Math.rint(d) && Math.abs(d) < 1e15) {
      b.append((long) d);
    } else {
      b.append(d);
    }
  }

  private static void string(StringBuilder b, String str) {
    b.append('"');
    for (int k = 0; k < str.length(); k++) {
      char c = str.charAt(k);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
          else b.append(c);
        }
      }
    }
    b.append('"');
  }

  private Object value() {
    if (i >= s.length()) throw error("a value expected, found the end");
    char c = s.charAt(i);
    return switch (c) {
      case '{' -> object();
      case '[' -> array();
      case '"' -> str();
      case 't' -> literal("true", Boolean.TRUE);
      case 'f' -> literal("false", Boolean.FALSE);
      case 'n' -> literal("null", null);
      default -> {
        if (c == '-' || (c >= '0' && c <= '9')) yield num();
        throw error("unexpected '" + c + "'");
      }
    };
  }

  private Map<String, Object> object() {
    Map<String, Object> m = new LinkedHashMap<>();
    i++;
    ws();
    if (peek() == '}') {
      i++;
      return m;
    }
    while (true) {
      ws();
      if (peek() != '"') throw error("a quoted key expected");
      String k = str();
      ws();
      expect(':');
      ws();
      if (m.put(k, value()) != null) throw error("duplicate key \"" + k + "\"");
      ws();
      char c = next("',' or '}'");
      if (c == '}') return m;
      if (c != ',') throw error("',' or '}' expected");
    }
  }

  private List<Object> array() {
    List<Object> l = new ArrayList<>();
    i++;
    ws();
    if (peek() == ']') {
      i++;
      return l;
    }
    while (true) {
      ws();
      l.add(value());
      ws();
      char c = next("',' or ']'");
      if (c == ']') return l;
      if (c != ',') throw error("',' or ']' expected");
    }
  }

  private String str() {
    i++;
    StringBuilder b = new StringBuilder();
    while (true) {
      char c = next("a closing quote");
      if (c == '"') return b.toString();
      if (c != '\\') {
        b.append(c);
        continue;
      }
      char e = next("an escape");
      switch (e) {
        case '"', '\\', '/' -> b.append(e);
        case 'n' -> b.append('\n');
        case 'r' -> b.append('\r');
        case 't' -> b.append('\t');
        case 'b' -> b.append('\b');
        case 'f' -> b.append('\f');
        case 'u' -> {
          if (i + 4 > s.length()) throw error("4 hex digits expected");
          try {
            b.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
          } catch (NumberFormatException x) {
            throw error("4 hex digits expected");
          }
          i += 4;
        }
        default -> throw error("bad escape \\" + e);
      }
    }
  }

  private Double num() {
    int start = i;
    while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) i++;
    try {
      return Double.parseDouble(s.substring(start, i));
    } catch (NumberFormatException e) {
      i = start;
      throw error("bad number");
    }
  }

  private Object literal(String word, Object v) {
    if (!s.startsWith(word, i)) throw error("'" + word + "' expected");
    i += word.length();
    return v;
  }

  private void ws() {
    while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++;
  }

  private char peek() {
    return i < s.length() ? s.charAt(i) : '\0';
  }

  private char next(String expected) {
    if (i >= s.length()) throw error(expected + " expected, found the end");
    return s.charAt(i++);
  }

  private void expect(char c) {
    if (next("'" + c + "'") != c) {
      i--;
      throw error("'" + c + "' expected");
    }
  }

  private IllegalArgumentException error(String what) {
    return new IllegalArgumentException("JSON at offset " + i + ": " + what);
  }

  private static String kind(Object v) {
    return v == null ? "null" : v instanceof List ? "an array" : v.getClass().getSimpleName();
  }
}
