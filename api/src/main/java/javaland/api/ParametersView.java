package javaland.api;

import java.util.List;
import javaland.models.canary.CanaryStatus;
import javaland.models.registry.PolicyVersion;

/** {@code GET /parameters}: the schema, the version in force and the canary (schema ParametersView). */
public record ParametersView(List<ParameterInfo> schema, PolicyVersion current, CanaryStatus canary) {
  public ParametersView {
    schema = schema == null ? List.of() : List.copyOf(schema);
  }
}
