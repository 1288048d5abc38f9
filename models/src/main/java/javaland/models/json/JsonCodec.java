package javaland.models.json;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.type.LogicalType;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Collection;
import java.util.Map;

/**
 * The one JSON mapper of the code base (Jackson), configured once: the registry's files, the audit
 * log and the REST API's bodies (javaland.api.ApiCodec uses this mapper), so a
 * {@link javaland.models.registry.PolicyVersion} reads the same on disk and on the wire.
 *
 * <ul>
 *   <li>Records are written by their components, in declaration order (not by getter-like methods
 *       such as {@code isX()}); field names are the component names unless annotated.
 *   <li>Instants are ISO-8601 strings. A number that is not finite is written as {@code null} and
 *       read back as NaN: JSON has no NaN (the registry's old writer did the same).
 *   <li>Reading is strict about types (no string for a number, no 1.5 for an integer, no duplicate
 *       keys, nothing after the value) and lenient about unknown fields, so a file written by a
 *       newer version still reads. {@link #read} lets absent fields be null or 0 (the record
 *       decides); {@link #readComplete} requires every field.
 *   <li>Every failure is an {@link IllegalArgumentException} naming the field ({@code field
 *       "provenance.at" is not an ISO-8601 instant}) or the line and column of a syntax error.
 * </ul>
 */
public final class JsonCodec {
  private static final ObjectMapper MAPPER = build();
  private static final ObjectWriter PRETTY = MAPPER.writerWithDefaultPrettyPrinter();

  private JsonCodec() {}

  private static ObjectMapper build() {
    SimpleModule m = new SimpleModule("javaland");
    m.addSerializer(Instant.class, new InstantSerializer());
    m.addDeserializer(Instant.class, new InstantDeserializer());
    m.addSerializer(Double.class, new FiniteOrNull());
    m.addSerializer(double.class, new FiniteOrNull());
    m.addDeserializer(Double.class, new NullAsNaN());
    m.addDeserializer(double.class, new NullAsNaN());
    m.addDeserializer(long.class, new WholeNumber<>(Long.class, Long.MIN_VALUE, Long.MAX_VALUE, n -> n));
    m.addDeserializer(Long.class, new WholeNumber<>(Long.class, Long.MIN_VALUE, Long.MAX_VALUE, n -> n));
    m.addDeserializer(int.class, new WholeNumber<>(Integer.class, Integer.MIN_VALUE, Integer.MAX_VALUE, Math::toIntExact));
    m.addDeserializer(Integer.class, new WholeNumber<>(Integer.class, Integer.MIN_VALUE, Integer.MAX_VALUE, Math::toIntExact));
    return JsonMapper.builder()
        .addModule(m)
        // components, not getters: a record's derived isX()/getX() methods are no fields
        .visibility(PropertyAccessor.GETTER, JsonAutoDetect.Visibility.NONE)
        .visibility(PropertyAccessor.IS_GETTER, JsonAutoDetect.Visibility.NONE)
        .visibility(PropertyAccessor.FIELD, JsonAutoDetect.Visibility.ANY)
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
        .withCoercionConfig(LogicalType.Integer, c -> c.setCoercion(CoercionInputShape.String, CoercionAction.Fail))
        .withCoercionConfig(LogicalType.Float, c -> c.setCoercion(CoercionInputShape.String, CoercionAction.Fail))
        .withCoercionConfig(LogicalType.Boolean, c -> c.setCoercion(CoercionInputShape.String, CoercionAction.Fail)
            .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail))
        .withCoercionConfig(LogicalType.Textual, c -> c.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
            .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
            .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
        .build();
  }

  /** The configured mapper, for trees ({@link #object()}) and for modules above that add nothing to it. */
  public static ObjectMapper mapper() {
    return MAPPER;
  }

  /** An empty object node, for free-form JSON (a status report). */
  public static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  /** {@code value} as one line of JSON (strings escape their newlines). */
  public static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot write " + value.getClass().getName() + " as JSON: " + e.getOriginalMessage(), e);
    }
  }

  /** {@code value} indented, two spaces a level ({@code "key" : value}), as people read it. */
  public static String writePretty(Object value) {
    try {
      return PRETTY.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot write " + value.getClass().getName() + " as JSON: " + e.getOriginalMessage(), e);
    }
  }

  /** {@code text} as a {@code type}; fields it does not hold are null, 0 or false. */
  public static <T> T read(String text, Class<T> type) {
    try {
      return MAPPER.readValue(text, type);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(describe(e), e);
    }
  }

  /** {@code text} as a {@code type} that must hold every field, none of them null (a registry file). */
  public static <T> T readComplete(String text, Class<T> type) {
    try {
      return MAPPER.readerFor(type)
          .with(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES, DeserializationFeature.FAIL_ON_NULL_CREATOR_PROPERTIES)
          .readValue(text);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(describe(e), e);
    }
  }

  /** {@code text} as a tree. */
  public static JsonNode readTree(String text) {
    try {
      JsonNode n = MAPPER.readTree(text);
      if (n == null || n.isMissingNode()) throw new IllegalArgumentException("no JSON value (empty)");
      return n;
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(describe(e), e);
    }
  }

  /** A tree as a {@code type}, checked as {@link #read} checks text. */
  public static <T> T convert(JsonNode tree, Class<T> type) {
    try {
      return MAPPER.treeToValue(tree, type);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(describe(e), e);
    }
  }

  /** One sentence: which field and what is wrong with it, or where the text stops being JSON. */
  static String describe(JsonProcessingException e) {
    if (e instanceof ValueInstantiationException v && v.getCause() != null && v.getCause().getMessage() != null) {
      // the record's own check refused the values: its message names them
      String at = path(v);
      return (at.isEmpty() ? "" : "field \"" + at + "\": ") + v.getCause().getMessage();
    }
    if (!(e instanceof JsonMappingException m) || m.getPath().isEmpty()) {
      String what = firstLine(e.getOriginalMessage());
      if (what.startsWith("No content to map")) return "no JSON value (empty)";
      if (e instanceof MismatchedInputException mi && mi.getTargetType() != null && !what.startsWith("Trailing token")) {
        return "expected " + kind(mi.getTargetType()) + " (" + what + ")";
      }
      var where = e.getLocation();
      return "not valid JSON" + (where == null ? "" : " at line " + where.getLineNr() + ", column " + where.getColumnNr())
          + ": " + what;
    }
    String field = "field \"" + path(m) + "\"";
    String msg = firstLine(e.getOriginalMessage());
    if (msg.startsWith("Missing creator property") || msg.startsWith("Missing required creator property")) return field + " missing";
    if (msg.startsWith("Null value for creator property")) return field + " is null";
    if (e instanceof MismatchedInputException mi && mi.getTargetType() != null) {
      return field + " is not " + kind(mi.getTargetType());
    }
    return field + ": " + msg;
  }

  /** {@code provenance.figures.p99_ms}, {@code rules[2].name} */
  private static String path(JsonMappingException m) {
    StringBuilder path = new StringBuilder();
    for (JsonMappingException.Reference r : m.getPath()) {
      if (r.getFieldName() != null) path.append(path.isEmpty() ? "" : ".").append(r.getFieldName());
      else if (r.getIndex() >= 0) path.append('[').append(r.getIndex()).append(']');
    }
    return path.toString();
  }

  private static String kind(Class<?> t) {
    if (t == long.class || t == Long.class || t == int.class || t == Integer.class || t == short.class || t == Short.class) {
      return "an integer";
    }
    if (t == double.class || t == Double.class || t == float.class || t == Float.class) return "a number";
    if (t == String.class) return "a string";
    if (t == boolean.class || t == Boolean.class) return "a boolean";
    if (t == Instant.class) return "an ISO-8601 instant";
    if (t.isArray() || Collection.class.isAssignableFrom(t)) return "an array";
    if (Map.class.isAssignableFrom(t) || t.isRecord() || JsonNode.class.isAssignableFrom(t)) return "an object";
    return "a " + t.getSimpleName();
  }

  private static String firstLine(String s) {
    if (s == null) return "";
    int nl = s.indexOf('\n');
    s = nl < 0 ? s : s.substring(0, nl);
    // Jackson's advice on its own configuration is no help to whoever wrote the file
    int advice = s.indexOf(" (but ");
    return advice < 0 ? s : s.substring(0, advice);
  }

  private static final class InstantSerializer extends JsonSerializer<Instant> {
    @Override
    public void serialize(Instant v, JsonGenerator g, SerializerProvider p) throws IOException {
      g.writeString(v.toString());
    }
  }

  private static final class InstantDeserializer extends JsonDeserializer<Instant> {
    @Override
    public Instant deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      if (p.currentToken() != JsonToken.VALUE_STRING) return (Instant) ctxt.handleUnexpectedToken(Instant.class, p);
      String s = p.getText();
      try {
        return Instant.parse(s);
      } catch (DateTimeParseException e) {
        return (Instant) ctxt.handleWeirdStringValue(Instant.class, s, "not an ISO-8601 instant");
      }
    }
  }

  private static final class FiniteOrNull extends JsonSerializer<Double> {
    @Override
    public void serialize(Double v, JsonGenerator g, SerializerProvider p) throws IOException {
      if (Double.isFinite(v)) g.writeNumber(v);
      else g.writeNull();
    }
  }

  /**
   * An integer field: 3 and 3.0 (JSON Schema calls both integers, so the API's validator lets
   * both through), not 3.5, and nothing out of range. Jackson's own coercions would truncate 3.5.
   */
  private static final class WholeNumber<T> extends JsonDeserializer<T> {
    private final Class<T> type;
    private final long min;
    private final long max;
    private final java.util.function.LongFunction<T> box;

    WholeNumber(Class<T> type, long min, long max, java.util.function.LongFunction<T> box) {
      this.type = type;
      this.min = min;
      this.max = max;
      this.box = box;
    }

    @Override
    @SuppressWarnings("unchecked")
    public T deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      JsonToken t = p.currentToken();
      if (t == JsonToken.VALUE_NUMBER_INT && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
        long v = p.getLongValue();
        if (v >= min && v <= max) return box.apply(v);
      } else if (t == JsonToken.VALUE_NUMBER_FLOAT) {
        double d = p.getDoubleValue();
        if (d == Math.rint(d) && d >= min && d <= max) return box.apply((long) d);
      } else if (t != JsonToken.VALUE_NUMBER_INT) {
        return (T) ctxt.handleUnexpectedToken(type, p);
      }
      return (T) ctxt.handleWeirdNumberValue(type, p.getNumberValue(), "not an integer in range");
    }
  }

  private static final class NullAsNaN extends JsonDeserializer<Double> {
    @Override
    public Double deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      JsonToken t = p.currentToken();
      if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) return p.getDoubleValue();
      return (Double) ctxt.handleUnexpectedToken(Double.class, p);
    }

    @Override
    public Double getNullValue(DeserializationContext ctxt) {
      return Double.NaN;
    }
  }
}
