package javaland.learner.online;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import javaland.telemetry.Telemetry;
import javaland.telemetry.metrics.MeterNames;

/**
 * The learner's meters ({@code javaland_learner_*}, docs/metrics.md) in the telemetry module's
 * registry (Prometheus, and OTLP when {@code OTEL_*} asks for it, as service
 * {@code javaland-learner}), served as Prometheus text on the learner's own small HTTP server on
 * loopback: the learner is its own process, so it cannot use the runtime's server.
 */
public final class LearnerMetrics implements AutoCloseable {
  public static final List<String> WINDOW_PHASES = List.of("baseline", "candidate", "skipped");
  public static final List<String> VERDICTS = List.of("commit", "rollback", "inconclusive", "guard_revert", "lost");
  public static final List<String> FAILURES = List.of("unreachable", "conflict", "refused");
  public static final List<String> OPE_ESTIMATORS = List.of("logged", "ips", "snips", "dr");

  private final Telemetry telemetry;
  private final AtomicLong rewardBits = new AtomicLong(Double.doubleToLongBits(Double.NaN));
  private final AtomicLong arm = new AtomicLong(-1);
  private final Map<String, Counter> windows = new ConcurrentHashMap<>();
  private final Map<String, Counter> verdicts = new ConcurrentHashMap<>();
  private final Map<String, Counter> failures = new ConcurrentHashMap<>();
  private final Counter decisions;
  private final Map<String, AtomicLong> ope = new ConcurrentHashMap<>();
  private HttpServer server;

  public LearnerMetrics(String algorithm) {
    telemetry = Telemetry.builder().serviceName("javaland-learner").build();
    MeterRegistry r = telemetry.registry();
    Gauge.builder(MeterNames.LEARNER_REWARD.meterName(), () -> Double.longBitsToDouble(rewardBits.get()))
        .description(MeterNames.LEARNER_REWARD.description()).strongReference(true).register(r);
    Gauge.builder(MeterNames.LEARNER_ARM.meterName(), () -> (double) arm.get())
        .description(MeterNames.LEARNER_ARM.description()).strongReference(true).register(r);
    decisions = counter(r, MeterNames.LEARNER_DECISIONS, "algorithm", algorithm);
    // every series exists from the start at 0, so rate() and increase() have data before the first event
    for (String p : WINDOW_PHASES) windows.put(p, counter(r, MeterNames.LEARNER_WINDOWS, "phase", p));
    for (String v : VERDICTS) verdicts.put(v, counter(r, MeterNames.LEARNER_VERDICTS, "verdict", v));
    for (String f : FAILURES) failures.put(f, counter(r, MeterNames.LEARNER_API_FAILURES, "kind", f));
    for (String e : OPE_ESTIMATORS) {
      AtomicLong bits = new AtomicLong(Double.doubleToLongBits(Double.NaN));
      ope.put(e, bits);
      Gauge.builder(MeterNames.LEARNER_OPE_REWARD.meterName(), () -> Double.longBitsToDouble(bits.get())).tag("estimator", e)
          .description(MeterNames.LEARNER_OPE_REWARD.description()).strongReference(true).register(r);
    }
  }

  /** The latest off-policy estimate by {@code estimator} ({@link #OPE_ESTIMATORS}); NaN: not available. */
  public void ope(String estimator, double value) {
    ope.get(estimator).set(Double.doubleToLongBits(value));
  }

  public double ope(String estimator) {
    return Double.longBitsToDouble(ope.get(estimator).get());
  }

  private static Counter counter(MeterRegistry r, MeterNames m, String tag, String value) {
    return Counter.builder(m.meterName()).description(m.description()).tag(tag, value).register(r);
  }

  public void reward(double r) {
    if (Double.isFinite(r)) rewardBits.set(Double.doubleToLongBits(r));
  }

  public void window(String phase) {
    windows.get(phase).increment();
  }

  public void decision(int chosenArm) {
    decisions.increment();
    arm.set(chosenArm);
  }

  public void verdict(String v) {
    verdicts.get(v).increment();
    arm.set(-1);
  }

  public void failure(String kind) {
    failures.get(kind).increment();
  }

  public double count(MeterNames m, String tagValue) {
    return switch (m) {
      case LEARNER_WINDOWS -> windows.get(tagValue).count();
      case LEARNER_VERDICTS -> verdicts.get(tagValue).count();
      case LEARNER_API_FAILURES -> failures.get(tagValue).count();
      case LEARNER_DECISIONS -> decisions.count();
      default -> throw new IllegalArgumentException(m + " is not a counter of the learner");
    };
  }

  public String scrape() {
    return telemetry.scrape();
  }

  /**
   * Serves {@code GET /metrics} on 127.0.0.1:{@code port} (0: any free port); returns the port.
   * Loopback only: the learner's figures are for the local Prometheus, and the learner runs
   * unprivileged, without the runtime's API authentication.
   */
  public int serve(int port) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 8);
    server.createContext("/metrics", ex -> {
      try (ex) {
        Telemetry.Scrape s = telemetry.scrape(ex.getRequestHeaders().getFirst("Accept"));
        ex.getResponseHeaders().set("Content-Type", s.contentType());
        ex.sendResponseHeaders(200, s.body().length);
        try (OutputStream out = ex.getResponseBody()) {
          out.write(s.body());
        }
      }
    });
    server.setExecutor(null); // the server's own thread: a scrape every few seconds
    server.start();
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    if (server != null) server.stop(0);
    telemetry.close();
  }
}
