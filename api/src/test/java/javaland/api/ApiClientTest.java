package javaland.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one client against a stub server: what it sends, and how it explains each failure. */
class ApiClientTest {
  HttpServer server;
  final List<String> requests = new CopyOnWriteArrayList<>();
  volatile int status = 200;
  volatile String answer = "{}";

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", x -> {
      String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      requests.add(x.getRequestMethod() + " " + x.getRequestURI() + " " + x.getRequestHeaders().getFirst("Authorization") + " " + body);
      byte[] out = answer.getBytes(StandardCharsets.UTF_8);
      x.getResponseHeaders().add("Content-Type", "application/json");
      x.sendResponseHeaders(status, status == 204 ? -1 : out.length);
      if (status != 204) x.getResponseBody().write(out);
      x.close();
    });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @Test
  void sendsTheContractsBodiesAndReadsItsAnswers() {
    ApiClient c = new ApiClient(url() + "/", "secret-token-0123456789");
    answer = "{\"state\":\"canary\",\"version\":4,\"baselineVersion\":3,\"reason\":\"\",\"sinceEpochMs\":5,\"later\":\"ignored\"}";
    var canary = c.propose(new Proposal(Map.of("slice_max_us", 7000.0), "faster", new Origin("learner", "linucb", "w1..w9",
        Map.of("reward", -0.5))));
    assertEquals(4, canary.version());
    assertEquals("PUT /api/v1/parameters Bearer secret-token-0123456789 {\"values\":{\"slice_max_us\":7000.0},\"reason\":\"faster\","
        + "\"origin\":{\"author\":\"learner\",\"model\":\"linucb\",\"data\":\"w1..w9\",\"figures\":{\"reward\":-0.5}}}", requests.get(0));
    c.commit(Reason.NONE);
    assertEquals("POST /api/v1/canary/commit Bearer secret-token-0123456789 ", requests.get(1));
    status = 204;
    c.deleteRule("a b");
    assertEquals("DELETE /api/v1/rules/a%20b Bearer secret-token-0123456789 ", requests.get(2));
    status = 200;
    answer = "{\"version\":2,\"rules\":[{\"name\":\"web\",\"class\":\"batch\",\"match\":{\"comm\":\"^nginx$\"}}]}";
    RuleList l = c.reorderRules(List.of("web"));
    assertEquals("web", l.rules().get(0).get("name").asText());
    assertEquals("PUT /api/v1/rule-order Bearer secret-token-0123456789 {\"names\":[\"web\"]}", requests.get(3));
  }

  @Test
  void refusalsListTheFieldsThatAreWrong() {
    status = 422;
    answer = "{\"error\":\"rejected\",\"message\":\"parameters refused; nothing changed\",\"errors\":["
        + "{\"path\":\"/values/slice_max_us\",\"message\":\"out of range\"},{\"path\":\"\",\"message\":\"whole body\"}]}";
    ApiException e = assertThrows(ApiException.class, () -> new ApiClient(url(), null).propose(new Proposal(Map.of("x", 1.0), null, null)));
    assertEquals(422, e.status());
    assertEquals("rejected", e.error());
    assertEquals("refused (422 rejected): parameters refused; nothing changed\n  /values/slice_max_us: out of range\n  (body): whole body",
        e.getMessage());
  }

  @Test
  void unauthenticatedAndForbiddenSayWhichToken() {
    status = 401;
    answer = "{\"error\":\"unauthorized\",\"message\":\"no bearer token\",\"errors\":[]}";
    ApiException none = assertThrows(ApiException.class, () -> new ApiClient(url(), null).status());
    assertTrue(none.getMessage().startsWith("not authenticated (401): no bearer token\n  pass --token-file FILE"), none.getMessage());
    ApiException wrong = assertThrows(ApiException.class, () -> new ApiClient(url(), "x".repeat(20)).status());
    assertTrue(wrong.getMessage().endsWith("the token in --token-file was not accepted"), wrong.getMessage());
    status = 403;
    answer = "{\"error\":\"forbidden\",\"message\":\"the token lacks javaland:write\",\"errors\":[]}";
    ApiException forbidden = assertThrows(ApiException.class, () -> new ApiClient(url(), "x".repeat(20)).commit(Reason.NONE));
    assertEquals("not allowed (403): the token lacks javaland:write", forbidden.getMessage());
    assertTrue(!forbidden.transientFailure());
  }

  @Test
  void aRuntimeThatIsNotThereIsNamedWithTheOptionsThatSetIt() {
    server.stop(0);
    ApiException e = assertThrows(ApiException.class, () -> new ApiClient("http://127.0.0.1:1", null).status());
    assertEquals(0, e.status());
    assertTrue(e.transientFailure());
    assertTrue(e.getMessage().startsWith("cannot reach the javaland API at http://127.0.0.1:1 (connection refused): is javaland run"
        + " running there?") && e.getMessage().contains("--url"), e.getMessage());
  }

  @Test
  void anAnswerThatIsNotJsonOrNotTheRecordIsSaidSo() {
    status = 404;
    answer = "<html>nothing</html>";
    ApiException e = assertThrows(ApiException.class, () -> new ApiClient(url(), null).history());
    assertEquals("not_json", e.error());
    assertTrue(e.getMessage().contains("answered 404 without JSON (is this a javaland runtime with the API?"), e.getMessage());
    status = 200;
    answer = "{\"versions\":\"none\"}";
    e = assertThrows(ApiException.class, () -> new ApiClient(url(), null).history());
    assertTrue(e.getMessage().endsWith("with JSON that is not a History: field \"versions\" is not an array"), e.getMessage());
  }

  @Test
  void aTokenFileIsReadAsRunWritesIt(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("token");
    Files.writeString(f, "# a comment\n\nscope: javaland:read\nabcdefghijklmnopqrstuvwxyz\n");
    assertEquals("abcdefghijklmnopqrstuvwxyz", TokenFile.token(f));
    answer = "{\"versions\":[]}";
    assertEquals(List.of(), ApiClient.withTokenFile(url(), f).history().versions());
    assertTrue(requests.get(0).contains("Bearer abcdefghijklmnopqrstuvwxyz"), requests.get(0));
    ApiClient.withTokenFile(url(), null).history();
    assertTrue(requests.get(1).startsWith("GET /api/v1/history null "), "no token, no Authorization header: " + requests.get(1));
    Files.writeString(f, "# only a comment\n");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TokenFile.token(f));
    assertEquals("--token-file " + f + ": no token in the file", e.getMessage());
  }
}
