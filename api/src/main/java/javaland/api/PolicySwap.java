package javaland.api;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * {@code PUT /policy} (schema PolicySwap): the policy to swap in while the kernel half stays
 * attached, why, and where from; {@code reason} and {@code origin} may be null.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PolicySwap(String name, String reason, Origin origin) {}
