package javaland.api;

import com.fasterxml.jackson.annotation.JsonInclude;

/** {@code POST /canary/commit} (schema Reason); both fields may be null, the body left out. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Reason(String reason, Origin origin) {
  public static final Reason NONE = new Reason(null, null);
}
