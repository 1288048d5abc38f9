package javaland.runtime.api;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import javaland.api.ApiContract;
import javaland.api.TokenFile;

/**
 * Who may call the API. A bearer token is either the static token of {@code --api-token-file}
 * (compared in constant time) or an RS256 JWT verified against {@code --api-jwt-key}; GETs need
 * {@link #READ}, everything else {@link #WRITE}. With neither configured, reads are open only
 * when the server listens on loopback, and writes are refused with a message saying how to
 * configure authentication: a scheduler must not be re-tuned by whoever reaches the port.
 */
public final class ApiAuth {
  static final String READ = ApiContract.READ;
  static final String WRITE = ApiContract.WRITE;
  static final String CALLER = "javaland.caller";

  /**
   * What {@code javaland run} was given.
   *
   * @param tokenFile the static token's file, or null
   * @param jwtKey the PEM public key that RS256 JWTs are verified against, or null
   * @param issuer the JWT {@code iss} required, or null for any
   * @param audience the JWT {@code aud} required, or null for any
   * @param openReads GETs need no token
   */
  public record Config(Path tokenFile, Path jwtKey, String issuer, String audience, boolean openReads) {
    public static final Config NONE = new Config(null, null, null, null, false);

    public boolean configured() {
      return tokenFile != null || jwtKey != null;
    }
  }

  /** The authenticated (or anonymous) caller: the name goes into every version's provenance. */
  public record Caller(String name, Set<String> scopes) {}

  private final byte[] tokenDigest;
  private final Set<String> tokenScopes;
  private final JWTAuth jwt;
  private final boolean openReads;
  private final boolean loopback;

  private ApiAuth(byte[] tokenDigest, Set<String> tokenScopes, JWTAuth jwt, boolean openReads, boolean loopback) {
    this.tokenDigest = tokenDigest;
    this.tokenScopes = tokenScopes;
    this.jwt = jwt;
    this.openReads = openReads;
    this.loopback = loopback;
  }

  /** Checks the configured files without serving anything; throws naming the file and what is wrong. */
  public static void check(Config c) {
    if (c.tokenFile() != null) TokenFile.read(c.tokenFile());
    if (c.jwtKey() != null) readPublicKey(c.jwtKey());
  }

  /** Reads and checks the configured files; throws naming the file and what is wrong with it. */
  public static ApiAuth load(Vertx vertx, Config c, String host) {
    byte[] digest = null;
    Set<String> scopes = Set.of();
    if (c.tokenFile() != null) {
      TokenFile t = TokenFile.read(c.tokenFile());
      digest = sha256(t.token());
      scopes = t.scopes();
    }
    JWTAuth jwt = null;
    if (c.jwtKey() != null) {
      String pem = readPublicKey(c.jwtKey());
      // Our own JWTOptions: JWTAuthOptions' default instance is shared, so setting the issuer on
      // it would leak into every other JWTAuth of the process.
      JWTOptions jo = new JWTOptions().setLeeway(5);
      if (c.issuer() != null) jo.setIssuer(c.issuer());
      if (c.audience() != null) jo.setAudience(List.of(c.audience()));
      JWTAuthOptions o = new JWTAuthOptions().setJWTOptions(jo)
          .addPubSecKey(new PubSecKeyOptions().setAlgorithm("RS256").setBuffer(pem));
      jwt = JWTAuth.create(vertx, o);
    }
    return new ApiAuth(digest, scopes, jwt, c.openReads(), isLoopback(host));
  }


  private static String readPublicKey(Path file) {
    String pem;
    try {
      pem = Files.readString(file, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new IllegalArgumentException("--api-jwt-key " + file + ": " + e.getMessage(), e);
    }
    int begin = pem.indexOf("-----BEGIN PUBLIC KEY-----");
    int end = pem.indexOf("-----END PUBLIC KEY-----");
    if (begin < 0 || end < begin) {
      throw new IllegalArgumentException("--api-jwt-key " + file + ": not a PEM public key (expected -----BEGIN PUBLIC KEY-----;"
          + " make one with: openssl pkey -in private.pem -pubout -out public.pem)");
    }
    String body = pem.substring(begin + "-----BEGIN PUBLIC KEY-----".length(), end).replaceAll("\\s", "");
    try {
      KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(body)));
    } catch (Exception e) {
      throw new IllegalArgumentException("--api-jwt-key " + file + ": not an RSA public key (" + e.getMessage() + ")", e);
    }
    return pem.substring(begin, end + "-----END PUBLIC KEY-----".length());
  }

  private static boolean isLoopback(String host) {
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The route handler in front of every /api/ request: it passes, or fails with an {@link ApiError}. */
  Handler<RoutingContext> handler() {
    return ctx -> {
      boolean read = ctx.request().method() == HttpMethod.GET || ctx.request().method() == HttpMethod.HEAD;
      String needed = read ? READ : WRITE;
      if (read && openReads) {
        ctx.put(CALLER, new Caller("anonymous", Set.of(READ)));
        ctx.next();
        return;
      }
      if (tokenDigest == null && jwt == null) {
        if (read && loopback) {
          ctx.put(CALLER, new Caller("anonymous", Set.of(READ)));
          ctx.next();
        } else {
          ctx.fail(new ApiError(403, "auth_not_configured", (read ? "reads" : "changes")
              + " need authentication, and none is configured: start javaland run with --api-token-file FILE or"
              + " --api-jwt-key PEM" + (read ? " (or --api-open-reads)" : "") + "; see docs/api.md"));
        }
        return;
      }
      String header = ctx.request().getHeader("Authorization");
      if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7) || header.length() <= 7) {
        ctx.fail(unauthorized("no bearer token: send Authorization: Bearer <token>", null));
        return;
      }
      String token = header.substring(7).strip();
      authenticate(token).onComplete(ar -> {
        if (ar.failed()) {
          ctx.fail(ar.cause() instanceof ApiError e ? e : unauthorized("token not accepted: " + ar.cause().getMessage(), "invalid_token"));
          return;
        }
        Caller c = ar.result();
        if (!c.scopes().contains(needed)) {
          ctx.fail(new ApiError(403, "forbidden", ctx.request().method() + " " + ctx.normalizedPath() + " needs scope "
              + needed + "; the token has " + (c.scopes().isEmpty() ? "none" : String.join(" ", c.scopes()))));
          return;
        }
        ctx.put(CALLER, c);
        ctx.next();
      });
    };
  }

  private Future<Caller> authenticate(String token) {
    if (tokenDigest != null && MessageDigest.isEqual(tokenDigest, sha256(token))) {
      return Future.succeededFuture(new Caller("token", tokenScopes));
    }
    if (jwt == null || token.chars().filter(ch -> ch == '.').count() != 2) {
      return Future.failedFuture(unauthorized("token not accepted", "invalid_token"));
    }
    return jwt.authenticate(new TokenCredentials(token)).compose(user -> {
      JsonObject claims = user.attributes().getJsonObject("accessToken", new JsonObject());
      // A token without an expiry would be valid forever; we do not accept those.
      if (!(claims.getValue("exp") instanceof Number)) {
        return Future.failedFuture(unauthorized("token not accepted: it has no 'exp' claim", "invalid_token"));
      }
      Object scope = claims.getValue("scope");
      Set<String> scopes = scope instanceof String s && !s.isBlank()
          ? Set.copyOf(Arrays.asList(s.strip().split("\\s+"))) : Set.of();
      String sub = claims.getString("sub", "jwt");
      return Future.succeededFuture(new Caller("jwt:" + sub, scopes));
    });
  }

  private static ApiError unauthorized(String message, String oauthError) {
    // The challenge RFC 6750 asks for with a 401.
    String challenge = "Bearer realm=\"javaland\"" + (oauthError == null ? ""
        : ", error=\"" + oauthError + "\", error_description=\"" + message.replace("\"", "'") + "\"");
    return new ApiError(401, "unauthorized", message, List.of()).withChallenge(challenge);
  }
}
