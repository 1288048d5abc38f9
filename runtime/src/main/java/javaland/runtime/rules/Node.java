package javaland.runtime.rules;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javaland.models.FieldError;

/**
 * Rule input as a tree whose nodes remember their line: read from YAML with Jackson's streaming
 * parser (its tree model forgets locations), or from a JSON body (line 0). One validator then
 * serves both, so the file and the API report the same errors.
 */
sealed interface Node {
  /** 1-based line, or 0 for input without lines. */
  int line();

  /** For "expected X, got Y" messages. */
  String kind();

  /** A mapping; each entry keeps the line of its key. */
  record MapNode(int line, Map<String, Entry> entries) implements Node {
    @Override
    public String kind() {
      return "a mapping";
    }
  }

  record Entry(String key, int line, Node value) {}

  record ListNode(int line, List<Node> items) implements Node {
    @Override
    public String kind() {
      return "a list";
    }
  }

  /** {@code value}: Long, Double, Boolean, String or null, as YAML resolved it. */
  record Scalar(int line, Object value) implements Node {
    @Override
    public String kind() {
      return switch (value) {
        case null -> "nothing (null)";
        case Long l -> "the integer " + l;
        case Double d -> "the number " + d;
        case Boolean b -> "the boolean " + b;
        case String s -> "the string '" + s + "'";
        default -> value.toString();
      };
    }
  }

  YAMLFactory YAML = new YAMLFactory();

  /** Parses one YAML document; a syntax error is thrown as a validation error with its line. */
  static Node parseYaml(String source, String text) {
    try (JsonParser p = YAML.createParser(text)) {
      JsonToken t = p.nextToken();
      if (t == null) return new MapNode(1, Map.of());
      Node root = read(source, p);
      if (p.nextToken() != null) {
        throw fail(source, line(p.currentTokenLocation()), "(document)", "only one YAML document is expected");
      }
      return root;
    } catch (JsonProcessingException e) {
      // SnakeYAML's message has marks " in 'reader', line N, column M:" followed by the text;
      // keep the sentences and the last mark's line.
      int line = e.getLocation() == null ? 1 : line(e.getLocation());
      List<String> said = new ArrayList<>();
      Pattern mark = Pattern.compile("^ in '.*', line (\\d+), column \\d+:");
      for (String l : e.getOriginalMessage().split("\n")) {
        Matcher m = mark.matcher(l);
        if (m.find()) line = Integer.parseInt(m.group(1));
        else if (!l.isBlank() && !Character.isWhitespace(l.charAt(0))) said.add(l.trim());
      }
      throw fail(source, line, "(document)", "not valid YAML: " + (said.isEmpty() ? "malformed" : String.join("; ", said)));
    } catch (IOException e) {
      throw fail(source, 1, "(document)", "cannot read: " + e.getMessage());
    }
  }

  private static RuleValidationException fail(String source, int line, String path, String message) {
    return new RuleValidationException(source, List.of(new FieldError(path, line, message)));
  }

  private static int line(JsonLocation loc) {
    return Math.max(1, loc.getLineNr());
  }

  private static Node read(String source, JsonParser p) throws IOException {
    int line = line(p.currentTokenLocation());
    JsonToken t = p.currentToken();
    switch (t) {
      case START_OBJECT -> {
        Map<String, Entry> entries = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String key = p.currentName();
          int keyLine = line(p.currentTokenLocation());
          p.nextToken();
          Node value = read(source, p);
          Entry old = entries.put(key, new Entry(key, keyLine, value));
          if (old != null) throw fail(source, keyLine, key, "appears twice (first on line " + old.line() + ")");
        }
        return new MapNode(line, entries);
      }
      case START_ARRAY -> {
        List<Node> items = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) items.add(read(source, p));
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
      default -> throw fail(source, line, "(document)", "unsupported YAML content (" + t + ")");
    }
  }

  /** A JSON value (an API body) as a tree without lines. */
  static Node fromJson(Object v) {
    return switch (v) {
      case JsonObject o -> {
        Map<String, Entry> entries = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : o) entries.put(e.getKey(), new Entry(e.getKey(), 0, fromJson(e.getValue())));
        yield new MapNode(0, entries);
      }
      case Map<?, ?> m -> fromJson(new JsonObject(castMap(m)));
      case JsonArray a -> {
        List<Node> items = new ArrayList<>();
        for (Object o : a) items.add(fromJson(o));
        yield new ListNode(0, items);
      }
      case List<?> l -> fromJson(new JsonArray(new ArrayList<>(l)));
      case Integer i -> new Scalar(0, i.longValue());
      case Short s -> new Scalar(0, s.longValue());
      case Long l -> new Scalar(0, l);
      case Number n -> new Scalar(0, n.doubleValue());
      case null -> new Scalar(0, null);
      default -> new Scalar(0, v instanceof Boolean || v instanceof String ? v : v.toString());
    };
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> castMap(Map<?, ?> m) {
    return (Map<String, Object>) m;
  }
}
