package javaland.api;

import java.util.List;
import javaland.models.registry.PolicyVersion;

/** {@code GET /history}: every version, oldest first. */
public record History(List<PolicyVersion> versions) {
  public History {
    versions = versions == null ? List.of() : List.copyOf(versions);
  }
}
