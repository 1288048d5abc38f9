package javaland.runtime.api;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Test JWTs signed with the JDK alone, so a test can make exactly the bad token it needs. */
public final class Jwts {
  private Jwts() {}

  public static KeyPair rsa() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    return g.generateKeyPair();
  }

  public static Path writePublicPem(KeyPair k, Path file) throws Exception {
    String b64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(k.getPublic().getEncoded());
    Files.writeString(file, "-----BEGIN PUBLIC KEY-----\n" + b64 + "\n-----END PUBLIC KEY-----\n");
    return file;
  }

  /** Claims with sub, scope and an expiry {@code expiresInS} from now. */
  public static JsonObject claims(String sub, String scope, long expiresInS) {
    long now = System.currentTimeMillis() / 1000;
    return new JsonObject().put("sub", sub).put("scope", scope).put("iat", now).put("exp", now + expiresInS);
  }

  public static String rs256(JsonObject claims, PrivateKey key) throws Exception {
    String signing = part(new JsonObject().put("alg", "RS256").put("typ", "JWT")) + "." + part(claims);
    Signature s = Signature.getInstance("SHA256withRSA");
    s.initSign(key);
    s.update(signing.getBytes(StandardCharsets.US_ASCII));
    return signing + "." + b64(s.sign());
  }

  public static String hs256(JsonObject claims, byte[] secret) throws Exception {
    String signing = part(new JsonObject().put("alg", "HS256").put("typ", "JWT")) + "." + part(claims);
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(secret, "HmacSHA256"));
    return signing + "." + b64(mac.doFinal(signing.getBytes(StandardCharsets.US_ASCII)));
  }

  public static String unsigned(JsonObject claims) {
    return part(new JsonObject().put("alg", "none").put("typ", "JWT")) + "." + part(claims) + ".";
  }

  private static String part(JsonObject j) {
    return b64(j.encode().getBytes(StandardCharsets.UTF_8));
  }

  private static String b64(byte[] b) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }
}
