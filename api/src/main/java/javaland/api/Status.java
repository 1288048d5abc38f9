package javaland.api;

import com.fasterxml.jackson.databind.JsonNode;
import javaland.models.canary.CanaryStatus;

/**
 * {@code GET /status} (schema Status).
 *
 * @param runtime the control plane's {@code GET /status} object, as it is (free-form)
 */
public record Status(String policy, long version, CanaryStatus canary, long rulesVersion, JsonNode runtime) {}
