package javaland.learner.reward;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;
import javaland.models.json.JsonCodec;

/**
 * The service's own latency, read from Prometheus by a PromQL expression through its HTTP query
 * API ({@code GET /api/v1/query?query=EXPR}), for {@link Reward} in place of the scheduling delay
 * ({@code javaland learn --reward-promql EXPR --prometheus-url URL}). The expression must give one
 * number: a scalar, or an instant vector of exactly one series (aggregate it, e.g.
 * {@code max(histogram_quantile(0.99, rate(http_server_requests_seconds_bucket[10s])))}); its unit
 * does not matter, since the reward takes its log.
 *
 * <p>{@link #check} asks once and fails with the reason: Prometheus unreachable, the expression
 * refused (its parse error, as Prometheus says it), no series, several series, or not a number.
 * Later, per window, {@link #getAsDouble} gives NaN when a query fails (the window is then not
 * scored) and says each new problem once.
 */
public final class PromqlLatency implements DoubleSupplier {
  private final URI base;
  private final String expr;
  private final HttpClient http;
  private final Duration timeout;
  private final Consumer<String> say;
  private String lastProblem;

  /** @param prometheus the server's base URL, e.g. http://127.0.0.1:9090 */
  public PromqlLatency(URI prometheus, String expr, Duration timeout, Consumer<String> say) {
    if (expr == null || expr.isBlank()) throw new IllegalArgumentException("--reward-promql: the expression is empty");
    String s = prometheus.toString();
    this.base = URI.create(s.endsWith("/") ? s.substring(0, s.length() - 1) : s);
    if (base.getScheme() == null || !base.getScheme().startsWith("http")) {
      throw new IllegalArgumentException("--prometheus-url: not an http(s) URL: " + prometheus);
    }
    this.expr = expr.strip();
    this.timeout = timeout;
    this.say = say;
    this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
  }

  public String expression() {
    return expr;
  }

  /** One query, or an {@link IllegalArgumentException} saying what is wrong with it. */
  public double check() {
    return query();
  }

  @Override
  public double getAsDouble() {
    try {
      double v = query();
      lastProblem = null;
      return v;
    } catch (IllegalArgumentException e) {
      if (!e.getMessage().equals(lastProblem)) say.accept(e.getMessage() + " (the window is not scored)");
      lastProblem = e.getMessage();
      return Double.NaN;
    }
  }

  private double query() {
    URI uri = URI.create(base + "/api/v1/query?query=" + URLEncoder.encode(expr, StandardCharsets.UTF_8));
    HttpResponse<String> resp;
    try {
      resp = http.send(HttpRequest.newBuilder(uri).timeout(timeout).GET().build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw fail("Prometheus at " + base + " did not answer: " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw fail("interrupted while querying Prometheus at " + base);
    }
    JsonNode body;
    try {
      body = JsonCodec.readTree(resp.body());
    } catch (RuntimeException e) {
      throw fail("Prometheus at " + base + " answered HTTP " + resp.statusCode() + " with no query API JSON (is it Prometheus?)");
    }
    if (!"success".equals(body.path("status").asText())) {
      throw fail("Prometheus refused it (HTTP " + resp.statusCode() + ", " + body.path("errorType").asText("?") + "): "
          + body.path("error").asText("no reason given"));
    }
    JsonNode data = body.path("data");
    String type = data.path("resultType").asText();
    JsonNode value;
    switch (type) {
      case "scalar" -> value = data.path("result");
      case "vector" -> {
        JsonNode r = data.path("result");
        if (r.isEmpty()) throw fail("it returned nothing (no series matched, or none had a sample in its range)");
        if (r.size() > 1) throw fail("it returned " + r.size() + " series (" + r.get(0).path("metric") + ", ...); the reward needs one"
            + " number: aggregate it, e.g. max(...)");
        value = r.get(0).path("value");
      }
      default -> throw fail("it returned a " + type + "; the reward needs a scalar or an instant vector of one series");
    }
    if (!value.isArray() || value.size() != 2) throw fail("its value is not [time, \"number\"]: " + value);
    String text = value.get(1).asText();
    if (text.equals("+Inf")) return Double.POSITIVE_INFINITY;
    if (text.equals("-Inf")) return Double.NEGATIVE_INFINITY;
    try {
      return Double.parseDouble(text);
    } catch (NumberFormatException e) {
      throw fail("its value is not a number: '" + text + "'");
    }
  }

  private IllegalArgumentException fail(String why) {
    return new IllegalArgumentException("--reward-promql '" + expr + "': " + why);
  }
}
