package javaland.runtime.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A YAML document as a tree whose every node knows its line, read with Jackson's streaming YAML
 * parser (the tree model forgets locations). Scalars keep the type YAML resolved: a quoted
 * {@code "5000"} is a string, {@code 5000} an integer. Shared by every configuration reader that
 * names the line of a mistake: experiment specs, the rules file (and, through {@link #fromJson},
 * rules sent to the API as JSON, so both report the same errors).
 */
public final class YamlTree {
  private YamlTree() {}

  /** A node and the line (1-based) where it starts. */
  public sealed interface Node permits MapNode, ListNode, Scalar {
    int line();

    /** What kind of value this is, for "expected X, got Y" messages. */
    String kind();
  }

  /** One key of a mapping: the key's own line, and its value. */
  public record Entry(String key, int line, Node value) {}

  public record MapNode(int line, Map<String, Entry> entries) implements Node {
    @Override
    public String kind() {
      return "a mapping";
    }
  }

  public record ListNode(int line, List<Node> items) implements Node {
    @Override
    public String kind() {
      return "a list";
    }
  }

  /** A scalar: {@code value} is a Long, Double, Boolean, String or null. */
  public record Scalar(int line, Object value) implements Node {
    @Override
    public String kind() {
      return switch (value) {
        case null -> "nothing (null)";
        case Long l -> "the integer " + l;
        case Double d -> "the number " + d;
        case Boolean b -> "the boolean " + b;
        case String s -> "the string '" + shown(s) + "'";
        default -> value.toString();
      };
    }

    /**
     * {@code s} fit for one line of an error: control characters escaped (a newline would split
     * the message into lines that name no file), and at most {@value #SHOWN} characters of it.
     */
    static String shown(String s) {
      return s.length() > SHOWN ? oneLine(s.substring(0, SHOWN)) + "... (" + s.length() + " characters)" : oneLine(s);
    }

    static final int SHOWN = 80;

    public boolean isNumber() {
      return value instanceof Long || value instanceof Double;
    }
  }

  /** Thrown for text that is not one YAML document; carries the line. */
  public static final class SyntaxException extends Exception {
    private static final long serialVersionUID = 1L;
    private final int line;

    SyntaxException(int line, String message) {
      super(message);
      this.line = line;
    }

    /** The 1-based line of the mistake. */
    public int line() {
      return line;
    }
  }

  private static final YAMLFactory FACTORY = new YAMLFactory();

  /** Parses one document; an empty document is an empty mapping on line 1. */
  public static Node parse(String text) throws SyntaxException {
    try (JsonParser p = FACTORY.createParser(text)) {
      JsonToken t = p.nextToken();
      if (t == null) return new MapNode(1, Map.of());
      Node root = read(p);
      JsonToken after = p.nextToken();
      if (after != null) throw new SyntaxException(line(p.currentTokenLocation()), "only one YAML document is expected");
      return root;
    } catch (JsonProcessingException e) {
      // SnakeYAML's message: what it was doing, where, what it found, where (with the text
      // echoed under each mark). Keep the sentences; the line is the last mark's.
      JsonLocation loc = e.getLocation();
      int line = loc == null ? 1 : line(loc);
      List<String> said = new ArrayList<>();
      for (String l : e.getOriginalMessage().split("\n")) {
        var mark = java.util.regex.Pattern.compile("^ in '.*', line (\\d+), column \\d+:").matcher(l);
        if (mark.find()) line = Integer.parseInt(mark.group(1));
        else if (!l.isBlank() && !Character.isWhitespace(l.charAt(0))) said.add(plain(l.trim()));
      }
      throw new SyntaxException(line, "not valid YAML: " + (said.isEmpty() ? "malformed" : String.join("; ", said)));
    } catch (IOException e) {
      throw new SyntaxException(1, "cannot read: " + e.getMessage());
    }
  }

  /** {@code s} with its control characters escaped, so that an error holding it stays one line. */
  public static String oneLine(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> b.append(Character.isISOControl(c) ? String.format("\\u%04x", (int) c) : String.valueOf(c));
      }
    }
    return b.toString();
  }

  private static final java.util.regex.Pattern EVENT = java.util.regex.Pattern.compile("<org\\.yaml\\.snakeyaml\\.events\\.(\\w+)Event\\((.*)\\)>");

  /**
   * Jackson names what it found by SnakeYAML's class ({@code <org.yaml.snakeyaml.events.AliasEvent(anchor=a)>},
   * for an alias used as a key); a person wrote YAML, so say it in YAML's words.
   */
  static String plain(String said) {
    var m = EVENT.matcher(said);
    if (!m.find()) return said;
    String what = m.group(1).equals("Alias")
        ? "the alias *" + m.group(2).replaceFirst("^anchor=", "")
        : "a " + m.group(1).replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase(java.util.Locale.ROOT);
    return said.substring(0, m.start()) + what + said.substring(m.end());
  }

  private static int line(JsonLocation loc) {
    return Math.max(1, loc.getLineNr());
  }

  /** Reads the value at the current token (and everything inside it). */
  private static Node read(JsonParser p) throws IOException, SyntaxException {
    int line = line(p.currentTokenLocation());
    JsonToken t = p.currentToken();
    switch (t) {
      case START_OBJECT -> {
        Map<String, Entry> entries = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String key = p.currentName();
          int keyLine = line(p.currentTokenLocation());
          p.nextToken();
          Node value = read(p);
          Entry old = entries.put(key, new Entry(key, keyLine, value));
          if (old != null) {
            throw new SyntaxException(keyLine, "key '" + key + "' appears twice (first on line " + old.line() + ")");
          }
        }
        return new MapNode(line, entries);
      }
      case START_ARRAY -> {
        List<Node> items = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) items.add(read(p));
        return new ListNode(line, items);
      }
      case VALUE_NUMBER_INT -> {
        try {
          return new Scalar(line, p.getLongValue());
        } catch (IOException tooBig) {
          return new Scalar(line, p.getDoubleValue());
        }
      }
      case VALUE_NUMBER_FLOAT -> {
        return new Scalar(line, p.getDoubleValue());
      }
      case VALUE_TRUE -> {
        return new Scalar(line, Boolean.TRUE);
      }
      case VALUE_FALSE -> {
        return new Scalar(line, Boolean.FALSE);
      }
      case VALUE_NULL -> {
        return new Scalar(line, null);
      }
      case VALUE_STRING -> {
        return new Scalar(line, p.getText());
      }
      default -> throw new SyntaxException(line, "unsupported YAML content (" + t + ")");
    }
  }

  /** A JSON value (an API body) as a tree without lines (line 0); numbers keep YAML's two kinds, integer and not. */
  public static Node fromJson(JsonNode v) {
    if (v == null || v.isNull() || v.isMissingNode()) return new Scalar(0, null);
    if (v.isObject()) {
      Map<String, Entry> entries = new LinkedHashMap<>();
      v.properties().forEach(e -> entries.put(e.getKey(), new Entry(e.getKey(), 0, fromJson(e.getValue()))));
      return new MapNode(0, entries);
    }
    if (v.isArray()) {
      List<Node> items = new ArrayList<>();
      v.forEach(i -> items.add(fromJson(i)));
      return new ListNode(0, items);
    }
    if (v.isIntegralNumber() && v.canConvertToLong()) return new Scalar(0, v.longValue());
    if (v.isNumber()) return new Scalar(0, v.doubleValue());
    if (v.isBoolean()) return new Scalar(0, v.booleanValue());
    return new Scalar(0, v.asText());
  }
}
