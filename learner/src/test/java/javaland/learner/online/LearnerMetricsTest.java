package javaland.learner.online;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import javaland.telemetry.metrics.MeterNames;
import org.junit.jupiter.api.Test;

/**
 * The learner's meters, served on its own port, on the learner's own class path: no runtime, no
 * Vert.x (the telemetry module's Vert.x parts are optional and the learner does not use them).
 */
class LearnerMetricsTest {
  @Test
  void servesItsMetersWithoutTheRuntimeOrVertx() throws Exception {
    assertThrows(ClassNotFoundException.class, () -> Class.forName("io.vertx.core.Vertx"));
    assertThrows(ClassNotFoundException.class, () -> Class.forName("javaland.runtime.Scheduler"));
    try (LearnerMetrics m = new LearnerMetrics("linucb")) {
      m.decision(1);
      m.verdict("commit");
      m.reward(-0.5);
      assertEquals(1.0, m.count(MeterNames.LEARNER_VERDICTS, "commit"));
      int port = m.serve(0);
      HttpResponse<String> r = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, r.statusCode());
      assertTrue(r.body().contains("javaland_learner_verdicts_total{verdict=\"commit\"} 1.0"), r.body());
      assertTrue(r.body().contains("javaland_learner_reward -0.5"), r.body());
    }
  }
}
