package javaland.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The REST API's contract, {@code openapi.yaml} on the class path: the runtime builds its router
 * from it and serves it at {@code GET /openapi.yaml}; the records of this package are its bodies.
 */
public final class ApiContract {
  /** Where the contract's paths are mounted (its {@code servers} URL's path). */
  public static final String BASE = "/api/v1";
  public static final String RESOURCE = "/javaland/api/openapi.yaml";
  /** The scope GET operations need (a token file's {@code scope:} line, a JWT's {@code scope} claim). */
  public static final String READ = "javaland:read";
  /** The scope every other operation needs. */
  public static final String WRITE = "javaland:write";

  private ApiContract() {}

  /** The contract's text, as served at /openapi.yaml. */
  public static String text() {
    try (InputStream in = ApiContract.class.getResourceAsStream(RESOURCE)) {
      if (in == null) throw new IllegalStateException(RESOURCE + " is missing from the class path");
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
