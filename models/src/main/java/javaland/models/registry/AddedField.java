package javaland.models.registry;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;

/**
 * Reads a record to which a later release added one component, so that the files written before
 * it still load: every other component is read as the caller asks (a registry file through
 * {@code JsonCodec.readComplete} must hold each of them), the added one may be absent or null
 * (null in the record). Jackson's "every creator property is required" is all or nothing; this
 * splits the object in two. Errors name the field as Jackson's own do ({@code provenance.at},
 * {@code lineage.traces[0].sha256}).
 *
 * @param <T> the record
 * @param <B> a record of the components that were always there, same names and types
 * @param <A> the added component's type
 */
abstract class AddedField<T, B, A> extends StdDeserializer<T> {
  private final Class<B> before;
  private final String field;
  private final Class<A> added;

  AddedField(Class<T> type, Class<B> before, String field, Class<A> added) {
    super(type);
    this.before = before;
    this.field = field;
    this.added = added;
  }

  /** The record from the components that were always there and the added one (null when absent). */
  abstract T combine(B old, A extra);

  @Override
  @SuppressWarnings("unchecked")
  public T deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
    if (!p.isExpectedStartObjectToken()) return (T) ctxt.handleUnexpectedToken(handledType(), p);
    ObjectNode all = ctxt.readTree(p) instanceof ObjectNode o ? o : null;
    if (all == null) return (T) ctxt.handleUnexpectedToken(handledType(), p);
    JsonNode extraNode = all.remove(field);
    B old = ctxt.readTreeAsValue(all, before);
    A extra = null;
    if (extraNode != null && !extraNode.isNull()) {
      try {
        extra = ctxt.readTreeAsValue(extraNode, added);
      } catch (JsonMappingException e) {
        e.prependPath(handledType(), field);
        throw e;
      }
    }
    try {
      return combine(old, extra);
    } catch (RuntimeException e) {
      // the record's own check (a null author read leniently): named like any other refusal
      throw ctxt.instantiationException(handledType(), e);
    }
  }
}
