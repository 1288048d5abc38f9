package javaland.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import javaland.models.canary.CanaryStatus;
import javaland.models.json.JsonCodec;
import javaland.models.registry.PolicyVersion;
import javaland.models.registry.Provenance;
import javaland.models.telemetry.TelemetrySnapshot;
import org.junit.jupiter.api.Test;

/** Every body record has exactly the fields its schema in openapi.yaml names, and its required ones. */
class ContractTest {
  static final Map<String, Class<?>> SCHEMAS = Map.ofEntries(
      Map.entry("Error", ErrorBody.class),
      Map.entry("Status", Status.class),
      Map.entry("TelemetrySnapshot", TelemetrySnapshot.class),
      Map.entry("Parameter", ParameterInfo.class),
      Map.entry("Provenance", Provenance.class),
      Map.entry("ArtifactRef", javaland.models.registry.ArtifactRef.class),
      Map.entry("PolicyVersion", PolicyVersion.class),
      Map.entry("CanaryStatus", CanaryStatus.class),
      Map.entry("ParametersView", ParametersView.class),
      Map.entry("Reason", Reason.class),
      Map.entry("Origin", Origin.class),
      Map.entry("Proposal", Proposal.class),
      Map.entry("Rollback", Rollback.class),
      Map.entry("PolicySwap", PolicySwap.class),
      Map.entry("PolicyChoice", PolicyChoice.class),
      Map.entry("RuleList", RuleList.class),
      Map.entry("TaskProfile", TaskProfile.class),
      Map.entry("TaskProfiles", TaskProfiles.class),
      Map.entry("LearnedClass", LearnedClass.class),
      Map.entry("LearnedClassList", LearnedClassList.class),
      Map.entry("LearnedClassProposal", LearnedClassProposal.class));

  @Test
  void theRecordsAreTheSchemas() throws Exception {
    JsonNode schemas = new ObjectMapper(new YAMLFactory()).readTree(ApiContract.text()).path("components").path("schemas");
    Set<String> named = new TreeSet<>();
    schemas.fieldNames().forEachRemaining(named::add);
    for (var e : SCHEMAS.entrySet()) {
      JsonNode schema = schemas.path(e.getKey());
      assertTrue(schema.isObject(), "openapi.yaml has no schema " + e.getKey());
      assertEquals(names(schema.path("properties")), fields(e.getValue()), e.getKey() + " vs " + e.getValue().getSimpleName());
    }
    assertEquals(names(schemas.path("Error").path("properties").path("errors").path("items").path("properties")),
        fields(ErrorBody.Field.class));
    JsonNode history = new ObjectMapper(new YAMLFactory()).readTree(ApiContract.text()).path("paths").path("/history")
        .path("get").path("responses").path("200").path("content").path("application/json").path("schema");
    assertEquals(names(history.path("properties")), fields(History.class));
  }

  @Test
  void aCompleteAnswerRoundTrips() {
    Provenance p = Provenance.now("api:token", "try it");
    PolicyVersion v = new PolicyVersion(3, "deadline", Map.of("slice_max_us", 7000.0), p);
    CanaryStatus c = new CanaryStatus("canary", 3, 2, "", 1_700_000_000_000L);
    ParametersView view = new ParametersView(java.util.List.of(new ParameterInfo("slice_max_us", 100, 100000, 5000, "us", "longest slice")),
        v, c);
    String text = ApiCodec.encode(view);
    assertTrue(text.contains("\"default\":5000.0"), text);
    assertEquals(text, ApiCodec.encode(ApiCodec.decode(text, ParametersView.class)));
    assertEquals("{\"values\":{\"a\":1.0}}", ApiCodec.encode(new Proposal(Map.of("a", 1.0), null, null)), "optional fields are left out");
    assertEquals("{}", ApiCodec.encode(Rollback.LAST_KNOWN_GOOD));
    assertEquals("{\"figures\":{\"ok\":1.0}}", ApiCodec.encode(new Origin(null, null, null, Map.of("ok", 1.0, "nan", Double.NaN))),
        "JSON has no NaN: the figure is left out");
  }

  static Set<String> names(JsonNode properties) {
    Set<String> out = new TreeSet<>();
    properties.fieldNames().forEachRemaining(out::add);
    return out;
  }

  static Set<String> fields(Class<?> type) {
    var mapper = JsonCodec.mapper();
    var desc = mapper.getSerializationConfig().introspect(mapper.constructType(type));
    Set<String> out = new TreeSet<>();
    for (BeanPropertyDefinition d : desc.findProperties()) out.add(d.getName());
    return out;
  }
}
