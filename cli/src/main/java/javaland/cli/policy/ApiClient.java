package javaland.cli.policy;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The javaland REST API over java.net.http, for the {@code policy} commands. Every failure
 * becomes an {@link IllegalStateException} whose message says what to do: connection refused
 * names the URL, 401/403 say which token is missing, 4xx list the server's field errors one per line.
 */
final class ApiClient {
  private final String base;
  private final String token;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  ApiClient(String url, Path tokenFile) {
    this.base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    this.token = tokenFile == null ? null : readToken(tokenFile);
  }

  /**
   * The token in {@code file}: its first line that is not blank, a comment or a {@code scope:}
   * line, so the file given to {@code run --api-token-file} works here too, as does a file
   * holding a JWT.
   */
  static String readToken(Path file) {
    try {
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        String l = line.strip();
        if (!l.isEmpty() && !l.startsWith("#") && !l.startsWith("scope:")) return l;
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("--token-file " + file + ": " + e.getMessage(), e);
    }
    throw new IllegalArgumentException("--token-file " + file + ": no token in the file");
  }

  /** GET/PUT/POST/DELETE {@code path} (under /api/v1); the answer's JSON, or null for 204. */
  JsonObject send(String method, String path, JsonObject body) {
    String url = base + "/api/v1" + path;
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body.encode()));
    if (body != null) b.header("Content-Type", "application/json");
    if (token != null) b.header("Authorization", "Bearer " + token);
    HttpResponse<String> r;
    try {
      r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    } catch (ConnectException | HttpConnectTimeoutException e) {
      throw new IllegalStateException("cannot reach the javaland API at " + base + " (" + (e instanceof ConnectException ? "connection refused" : "timed out")
          + "): is javaland run running there? It serves the API on --http-host/--http-port (default 127.0.0.1:8740);"
          + " use --url to point elsewhere");
    } catch (IOException e) {
      throw new IllegalStateException("the javaland API at " + base + " failed: " + describe(e), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
    if (r.statusCode() == 204) return null;
    JsonObject json;
    try {
      json = new JsonObject(r.body());
    } catch (DecodeException | ClassCastException e) {
      throw new IllegalStateException(method + " " + url + " answered " + r.statusCode() + " without JSON"
          + (r.statusCode() == 404 ? ": is this a javaland runtime with the API? (it answers /api/v1/status)" : "")
          + ": " + abbreviate(r.body()));
    }
    if (r.statusCode() >= 400) throw new IllegalStateException(explain(r.statusCode(), json));
    return json;
  }

  private String explain(int status, JsonObject e) {
    StringBuilder sb = new StringBuilder();
    String message = e.getString("message", "");
    switch (status) {
      case 401 -> sb.append("not authenticated (401): ").append(message).append(token == null
          ? "\n  pass --token-file FILE (the file given to javaland run --api-token-file, or a file holding a JWT)"
          : "\n  the token in --token-file was not accepted");
      case 403 -> sb.append("not allowed (403): ").append(message);
      default -> sb.append("refused (").append(status).append(' ').append(e.getString("error", "?")).append("): ").append(message);
    }
    var errors = e.getJsonArray("errors");
    if (errors != null) {
      for (Object o : errors) {
        JsonObject f = (JsonObject) o;
        sb.append("\n  ").append(f.getString("path", "").isEmpty() ? "(body)" : f.getString("path"))
            .append(": ").append(f.getString("message"));
      }
    }
    return sb.toString();
  }

  private static String describe(Exception e) {
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  private static String abbreviate(String s) {
    s = s.strip();
    return s.length() > 200 ? s.substring(0, 200) + "..." : s;
  }
}
