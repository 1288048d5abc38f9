package javaland.api;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * {@code POST /rollback} (schema Rollback).
 *
 * @param version the version to put back in force; null: the last-known-good one
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Rollback(Long version, String reason, Origin origin) {
  public static final Rollback LAST_KNOWN_GOOD = new Rollback(null, null, null);
}
