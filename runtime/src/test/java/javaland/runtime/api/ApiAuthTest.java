package javaland.runtime.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.util.List;
import java.util.Set;
import javaland.runtime.api.ApiTestServer.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Who gets in: 401 without a valid token, 403 without the scope, and nothing changes for either. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiAuthTest {
  static final String PROPOSAL = "{\"values\":{\"slice_max_us\":5000}}";
  @TempDir
  static Path dir;
  KeyPair key;
  KeyPair otherKey;
  ApiTestServer jwt;

  static Path tokenFile(Path dir, String name, String text) throws Exception {
    Path f = dir.resolve(name);
    Files.writeString(f, text);
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
    return f;
  }

  @BeforeAll
  void start() throws Exception {
    key = Jwts.rsa();
    otherKey = Jwts.rsa();
    Path pem = Jwts.writePublicPem(key, dir.resolve("public.pem"));
    jwt = ApiTestServer.start(new ApiAuth.Config(null, pem, "javaland-tests", "javaland", false));
  }

  @AfterAll
  void stop() throws Exception {
    jwt.close();
  }

  JsonObject claims(String scope, long expiresInS) {
    return Jwts.claims("alice", scope, expiresInS).put("iss", "javaland-tests").put("aud", "javaland");
  }

  Response propose(ApiTestServer s, String token) throws Exception {
    return s.call("proposeParameters", "PUT", "/api/v1/parameters", PROPOSAL, token);
  }

  static void assert401(Response r, String why) {
    assertEquals(401, r.status(), why + ": " + r.body());
    assertEquals("unauthorized", r.json().getString("error"));
    assertTrue(r.headers().get("www-authenticate").startsWith("Bearer realm=\"javaland\""), r.headers().toString());
  }

  @Test
  void aValidJwtWithBothScopesMayChangeAndIsNamedInTheProvenance() throws Exception {
    String t = Jwts.rs256(claims("javaland:read javaland:write", 300), key.getPrivate());
    Response r = propose(jwt, t);
    assertEquals(202, r.status(), r.body());
    assertEquals("api:jwt:alice", jwt.control.current().provenance().author());
  }

  @Test
  void badJwtsAre401AndChangeNothing() throws Exception {
    List<Object> before = jwt.controlState();
    String scopes = "javaland:read javaland:write";
    assert401(propose(jwt, null), "no token");
    assertTrue(propose(jwt, null).json().getString("message").contains("Authorization: Bearer"));
    assert401(propose(jwt, "not-a-jwt"), "garbage");
    assert401(propose(jwt, Jwts.rs256(claims(scopes, -60), key.getPrivate())), "expired");
    assertTrue(propose(jwt, Jwts.rs256(claims(scopes, -60), key.getPrivate())).json().getString("message").contains("expired"));
    assert401(propose(jwt, Jwts.rs256(claims(scopes, 300), otherKey.getPrivate())), "signed by another key");
    assert401(propose(jwt, Jwts.hs256(claims(scopes, 300), key.getPublic().getEncoded())), "HS256 with the public key as secret");
    assert401(propose(jwt, Jwts.unsigned(claims(scopes, 300))), "alg none");
    assert401(propose(jwt, Jwts.rs256(claims(scopes, 300).put("iss", "mallory"), key.getPrivate())), "wrong issuer");
    assert401(propose(jwt, Jwts.rs256(claims(scopes, 300).put("aud", "other"), key.getPrivate())), "wrong audience");
    JsonObject noExp = claims(scopes, 300);
    noExp.remove("exp");
    Response r = propose(jwt, Jwts.rs256(noExp, key.getPrivate()));
    assert401(r, "no exp");
    assertTrue(r.json().getString("message").contains("'exp'"), r.body());
    String tampered = Jwts.rs256(claims("javaland:read", 300), key.getPrivate());
    String[] parts = tampered.split("\\.");
    String upgraded = parts[0] + "." + Jwts.rs256(claims(scopes, 300), key.getPrivate()).split("\\.")[1] + "." + parts[2];
    assert401(propose(jwt, upgraded), "claims swapped under another signature");
    assertEquals(before, jwt.controlState());
  }

  @Test
  void aJwtWithoutTheScopeIs403() throws Exception {
    List<Object> before = jwt.controlState();
    String readOnly = Jwts.rs256(claims("javaland:read", 300), key.getPrivate());
    assertEquals(200, jwt.call("getParameters", "GET", "/api/v1/parameters", null, readOnly).status());
    Response r = propose(jwt, readOnly);
    assertEquals(403, r.status(), r.body());
    assertTrue(r.json().getString("message").contains("needs scope javaland:write"), r.body());
    String noScope = Jwts.rs256(claims("", 300), key.getPrivate());
    assertEquals(403, jwt.call("getHistory", "GET", "/api/v1/history", null, noScope).status());
    assertEquals(403, jwt.call("deleteRule", "DELETE", "/api/v1/rules/x", null, readOnly).status());
    assertEquals(before, jwt.controlState());
  }

  @Test
  void authenticationComesBeforeBodyValidation() throws Exception {
    Response r = jwt.call("proposeParameters", "PUT", "/api/v1/parameters", "{not json", null);
    assert401(r, "no token, malformed body");
  }

  @Test
  void aStaticTokenCanBeLimitedToReads() throws Exception {
    Path f = tokenFile(dir, "read-token", "abcdefghijklmnopqrstuvwxyz\nscope: javaland:read\n");
    try (ApiTestServer s = ApiTestServer.start(new ApiAuth.Config(f, null, null, null, false))) {
      assertEquals(200, s.call("getStatus", "GET", "/api/v1/status", null, "abcdefghijklmnopqrstuvwxyz").status());
      assertEquals(403, propose(s, "abcdefghijklmnopqrstuvwxyz").status());
      assert401(propose(s, "abcdefghijklmnopqrstuvwxyZ"), "one character off");
      assertEquals(1, s.control.history().size(), "nothing recorded after the start version");
    }
  }

  @Test
  void openReadsLetGetsThroughButNotChanges() throws Exception {
    Path f = tokenFile(dir, "token", "abcdefghijklmnopqrstuvwxyz\n");
    try (ApiTestServer s = ApiTestServer.start(new ApiAuth.Config(f, null, null, null, true))) {
      assertEquals(200, s.call("getParameters", "GET", "/api/v1/parameters", null, null).status());
      assertEquals(200, s.call("listRules", "GET", "/api/v1/rules", null, null).status());
      assert401(propose(s, null), "open reads, write without token");
      assertEquals(202, propose(s, "abcdefghijklmnopqrstuvwxyz").status());
    }
  }

  @Test
  void withoutAuthReadsAreOpenOnLoopbackOnlyAndWritesRefused() throws Exception {
    try (ApiTestServer s = ApiTestServer.start(ApiAuth.Config.NONE)) {
      assertEquals(200, s.call("getStatus", "GET", "/api/v1/status", null, null).status());
      Response r = propose(s, null);
      assertEquals(403, r.status(), r.body());
      assertEquals("auth_not_configured", r.json().getString("error"));
      assertTrue(r.json().getString("message").contains("--api-token-file"), r.body());
      assertEquals(1, s.control.history().size(), "nothing recorded after the start version");
    }
    try (ApiTestServer s = ApiTestServer.start(ApiAuth.Config.NONE, "0.0.0.0")) {
      Response r = s.call("getStatus", "GET", "/api/v1/status", null, null);
      assertEquals(403, r.status(), "not on loopback: reads need auth too: " + r.body());
    }
  }

  /** The commands of docs/api.md ("RS256 JWT with openssl"), run as written. */
  static final String OPENSSL_RECIPE = """
      set -e
      umask 077
      openssl rand -hex 32 > api-token
      openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out jwt-private.pem 2>/dev/null
      openssl pkey -in jwt-private.pem -pubout -out jwt-public.pem
      b64url() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }
      header=$(printf '{"alg":"RS256","typ":"JWT"}' | b64url)
      now=$(date +%s)
      payload=$(printf '{"sub":"alice","scope":"javaland:read javaland:write","iat":%d,"exp":%d}' $now $((now+3600)) | b64url)
      sig=$(printf '%s.%s' "$header" "$payload" | openssl dgst -sha256 -sign jwt-private.pem | b64url)
      printf '%s.%s.%s\n' "$header" "$payload" "$sig" > alice.jwt
      """;

  @Test
  void theDocumentedOpensslRecipeMakesATokenFileAndAJwtThatAreAccepted() throws Exception {
    Path d = Files.createDirectories(dir.resolve("recipe"));
    Process p;
    try {
      p = new ProcessBuilder("bash", "-c", OPENSSL_RECIPE).directory(d.toFile()).redirectErrorStream(true).start();
    } catch (java.io.IOException e) {
      org.junit.jupiter.api.Assumptions.abort("no bash: " + e.getMessage());
      return;
    }
    String out = new String(p.getInputStream().readAllBytes());
    org.junit.jupiter.api.Assumptions.assumeTrue(p.waitFor() == 0 || !out.contains("openssl: command not found"), "no openssl");
    assertEquals(0, p.exitValue(), out);
    String jwtText = Files.readString(d.resolve("alice.jwt")).strip();
    String tokenText = Files.readString(d.resolve("api-token")).strip();
    try (ApiTestServer s = ApiTestServer.start(new ApiAuth.Config(d.resolve("api-token"), d.resolve("jwt-public.pem"), null, null, false))) {
      Response r = propose(s, jwtText);
      assertEquals(202, r.status(), r.body() + " for " + jwtText);
      assertEquals("api:jwt:alice", s.control.current().provenance().author());
      assertEquals(200, s.call("getHistory", "GET", "/api/v1/history", null, tokenText).status());
    }
  }

  @Test
  void tokenFilesAreCheckedBeforeAnythingListens() throws Exception {
    Path open = dir.resolve("open");
    Files.writeString(open, "abcdefghijklmnopqrstuvwxyz\n");
    Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rw-r--r--"));
    var e = assertThrows(IllegalArgumentException.class, () -> javaland.api.TokenFile.read(open));
    assertTrue(e.getMessage().contains("chmod 600"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> javaland.api.TokenFile.read(tokenFile(dir, "short", "secret\n")));
    assertTrue(e.getMessage().contains("line 1") && e.getMessage().contains("16"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> javaland.api.TokenFile.read(tokenFile(dir, "scope", "abcdefghijklmnopqrstuvwxyz\nscope: root\n")));
    assertTrue(e.getMessage().contains("line 2") && e.getMessage().contains("'root'"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> javaland.api.TokenFile.read(dir.resolve("missing")));
    assertTrue(e.getMessage().contains("no such file"), e.getMessage());
    assertEquals(Set.of(javaland.api.ApiContract.READ, javaland.api.ApiContract.WRITE),
        javaland.api.TokenFile.read(tokenFile(dir, "ok", "# comment\n\nabcdefghijklmnopqrstuvwxyz\n")).scopes());

    Path notPem = tokenFile(dir, "key.pem", "hello\n");
    var io = assertThrows(Exception.class, () -> ApiTestServer.start(new ApiAuth.Config(null, notPem, null, null, false)));
    assertTrue(String.valueOf(io.getMessage()).contains("not a PEM public key"), String.valueOf(io.getMessage()));
  }
}
