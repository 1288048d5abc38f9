package javaland.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javaland.learner.online.LearnerMetrics;
import javaland.learner.online.LearnerOptions;
import javaland.learner.online.OnlineLearner;
import javaland.learner.reward.RewardConfig;
import javaland.learner.verdict.VerdictConfig;
import javaland.runtime.Scheduler;
import javaland.runtime.api.ApiAuth;
import javaland.runtime.api.RestApi;
import javaland.runtime.kernel.sim.SimConfig;
import javaland.runtime.kernel.sim.SimKernel;
import javaland.runtime.kernel.sim.Workloads;
import javaland.runtime.policy.PolicyCatalog;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The shipped Grafana dashboards ({@code deploy/grafana/dashboards}) against a real Prometheus
 * scraping a real scheduler.
 *
 * <p>Starts javaland in this JVM the way {@code ./javaland run --sim} does (the control plane on a
 * free loopback port, the default policy, the simulated kernel with the {@code mix} workload
 * paced to real time, a registry, the canary and the REST API) and its online learner with its own
 * {@code /metrics} (in this JVM too, on another free port, with harmful arms so that its canaries
 * end in rollbacks and the policy version changes: the annotation queries have something to
 * show), starts Debian's {@code prometheus} as a child process on another free loopback port with
 * a temporary storage directory and the shipped {@code deploy/prometheus/prometheus.yml} (only
 * the target ports and the intervals changed, to 1 s), then evaluates through {@code /api/v1/query} every
 * PromQL expression in the dashboards (panel targets, annotations, template variable queries),
 * with the template variables substituted, until each returns data. "Data" means a non-empty
 * result with at least one value that is not NaN: a quantile over buckets that never counted
 * anything is NaN, and Grafana draws nothing for it.
 *
 * <p>Also runs {@code promtool check config} on the shipped scrape configuration and
 * {@code promtool check metrics} on the scheduler's own {@code /metrics} (the telemetry module's
 * {@code VertxAndPromtoolTest} checks a fixture's exposition; this is the runtime's, with its
 * real sources). Prometheus comes with Debian's {@code prometheus} package: installed with apt-get
 * when root and missing, otherwise the test is skipped with the reason.
 */
class PrometheusDashboardsTest {
  /** Substituted for Grafana's interval variables: covers the whole run, which is bounded below it. */
  private static final String WINDOW = "1m";
  private static final Duration SAMPLE_BUDGET = Duration.ofSeconds(40);
  private static final Pattern VARIABLE = Pattern.compile("\\$\\{(\\w+)(?::[^}]*)?}|\\[\\[(\\w+)]]|\\$(\\w+)");
  private static final Pattern LABEL_VALUES = Pattern.compile("^\\s*label_values\\(\\s*(?:(.*),\\s*)?(\\w+)\\s*\\)\\s*$",
      Pattern.DOTALL);
  private static final Pattern QUERY_RESULT = Pattern.compile("^\\s*query_result\\((.*)\\)\\s*$", Pattern.DOTALL);

  private static final String TOKEN = "dashboards-test-token-0123456789";
  private static Path prometheus;
  private volatile boolean learnerStop;
  private Thread learnerThread;
  private LearnerMetrics learnerMetrics;
  private static Path promtool;

  /** One PromQL expression found in a dashboard, and where. */
  private record Expr(String where, String promql, boolean variableQuery) {}

  @BeforeAll
  static void prometheusInstalled() throws Exception {
    Optional<Path> bin = executable("prometheus");
    if (bin.isEmpty() && isRoot() && Files.isExecutable(Path.of("/usr/bin/apt-get"))) {
      System.out.println("prometheus is missing: installing Debian's 'prometheus' package with apt-get (root)");
      if (!aptGet("install", "-y", "--no-install-recommends", "prometheus")) {
        aptGet("update");
        aptGet("install", "-y", "--no-install-recommends", "prometheus");
      }
      bin = executable("prometheus");
    }
    assumeTrue(bin.isPresent(), "prometheus not found and cannot be installed (not root or no apt-get):"
        + " install Debian's 'prometheus' package (apt-get install prometheus) to run this test");
    prometheus = bin.get();
    promtool = executable("promtool").orElseThrow(() -> new AssertionError(
        "prometheus is at " + prometheus + " but promtool (same Debian package) is not"));
  }

  /** Static checks: nothing to run, so they hold wherever the dashboards are read. */
  @Test
  void dashboardsHaveFixedUidsAndUseTheProvisionedDataSource() throws Exception {
    Path deploy = deployDir();
    String datasources = Files.readString(deploy.resolve("grafana/provisioning/datasources/javaland.yml"));
    Matcher uidLine = Pattern.compile("(?m)^\\s*uid:\\s*(\\S+)\\s*$").matcher(datasources);
    assertTrue(uidLine.find(), "the provisioned data source has a fixed uid");
    String dsUid = uidLine.group(1);
    assertTrue(datasources.contains("url: http://localhost:9090"), "the data source is the local Prometheus");
    String provider = Files.readString(deploy.resolve("grafana/provisioning/dashboards/javaland.yml"));
    assertTrue(provider.contains("type: file") && provider.contains("path: "), "a file provider with a path");

    Set<String> uids = new HashSet<>();
    for (Path file : dashboards(deploy)) {
      JsonObject d = new JsonObject(Files.readString(file));
      String uid = d.getString("uid", "");
      assertFalse(uid.isBlank(), file + ": a fixed uid");
      assertTrue(uid.length() <= 40 && uid.matches("[a-zA-Z0-9_-]+"), file + ": uid '" + uid + "' is a valid Grafana uid");
      assertTrue(uids.add(uid), file + ": uid '" + uid + "' is used by another dashboard");
      assertEquals(uid + ".json", file.getFileName().toString(), "the file is named after the uid");
      assertEquals(JsonObject.class, d.getValue("templating").getClass(), file + ": has templating");
      JsonObject dsVar = variables(d).stream().filter(v -> "datasource".equals(v.getString("type"))).findFirst()
          .orElseThrow(() -> new AssertionError(file + ": no data source variable"));
      assertEquals(dsUid, dsVar.getJsonObject("current").getString("value"),
          file + ": the data source variable defaults to the provisioned data source");
      List<String> refs = new ArrayList<>();
      collectDataSourceRefs(d, refs);
      for (String ref : refs) {
        assertTrue(ref.equals("${" + dsVar.getString("name") + "}") || ref.equals("-- Grafana --"),
            file + ": a panel or query uses data source '" + ref + "' instead of the variable");
      }
      Set<Integer> ids = new HashSet<>();
      for (Object p : d.getJsonArray("panels")) {
        assertTrue(ids.add(((JsonObject) p).getInteger("id")), file + ": panel ids are unique");
      }
    }
    assertTrue(uids.size() >= 5, "overview, latency, pressure, policy timeline, learner: " + uids);
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void everyDashboardExpressionReturnsDataFromARealPrometheus() throws Exception {
    long t0 = System.nanoTime();
    Path deploy = deployDir();
    List<Path> files = dashboards(deploy);
    Map<String, List<JsonObject>> variablesByFile = new LinkedHashMap<>();
    List<Expr> exprs = new ArrayList<>();
    for (Path f : files) {
      JsonObject d = new JsonObject(Files.readString(f));
      variablesByFile.put(f.getFileName().toString(), variables(d));
      collectExprs(d, f.getFileName().toString(), "", exprs);
    }
    assertTrue(exprs.size() > 20, "found the dashboards' expressions: " + exprs.size());

    Path tmp = Files.createTempDirectory("javaland-prometheus-it");
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    SimRuntime scheduler = null;
    Process prom = null;
    Thread reaper = null;
    try {
      // javaland, as `./javaland run --sim --http-port 0` starts it: registry, canary, REST API with a token.
      Path tokenFile = tmp.resolve("api-token");
      Files.createFile(tokenFile, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
          java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
      Files.writeString(tokenFile, TOKEN + "\n");
      // loose guards: the learner's verdict rolls its canaries back again and again (an arm a guard
      // reverted is never proposed again, so guard reverts would stop after the first few, before
      // Prometheus has scraped twice)
      scheduler = new SimRuntime(tmp.resolve("registry"), SimRuntime.looseGuards(Duration.ofMillis(500)), Map.of(),
          tokenFile, Duration.ofMinutes(5));
      int jlPort = scheduler.controlPlane.port();
      assertTrue(jlPort > 0, "the control plane listens");

      // The learner, as `run` starts it (here in this JVM), with its own /metrics. Its arms are
      // harmful on purpose: every canary ends in the verdict's rollback, so the
      // rollback and verdict annotations have something to show within the budget.
      learnerMetrics = new LearnerMetrics("linucb");
      int learnerPort = learnerMetrics.serve(0);
      LearnerOptions lo = new LearnerOptions("http://127.0.0.1:" + jlPort, TOKEN, Duration.ofMillis(250), "linucb",
          List.of("slice_max_us=100000", "slice_min_us=20000", "max_delay_us=1000000,2000000", "kernel.slice_us=1000000",
              "kernel.wakeup_preempt=0"),
          RewardConfig.DEFAULT, new VerdictConfig(3, 0.01, 0.03, 3, 2, 500), 6, 1, null, null, null, Duration.ZERO, 0)
          .withOpeEvery(2); // its off-policy evaluation gauges get values after the second decision, within the budget
      OnlineLearner learner = new OnlineLearner(lo, OnlineLearner.client(lo.url(), TOKEN), learnerMetrics, line -> {});
      learnerThread = Thread.ofPlatform().name("learner").daemon(true).start(() -> {
        try (learner) {
          learner.run(() -> learnerStop);
        } catch (Exception e) {
          System.out.println("learner ended: " + e);
        }
      });

      // The shipped scrape configuration, pointed at this scheduler, scraping every second.
      String shipped = Files.readString(deploy.resolve("prometheus/prometheus.yml"));
      assertTrue(shipped.contains("\"127.0.0.1:8740\""), "deploy/prometheus/prometheus.yml scrapes \"127.0.0.1:8740\"");
      assertTrue(shipped.contains("\"127.0.0.1:8741\""), "deploy/prometheus/prometheus.yml scrapes the learner at \"127.0.0.1:8741\"");
      String config = shipped.replace("\"127.0.0.1:8740\"", "\"127.0.0.1:" + jlPort + "\"")
          .replace("\"127.0.0.1:8741\"", "\"127.0.0.1:" + learnerPort + "\"")
          .replaceAll("(?m)^(\\s*)(scrape_interval|evaluation_interval|scrape_timeout):.*$", "$1$2: 1s");
      Path configFile = tmp.resolve("prometheus.yml");
      Files.writeString(configFile, config);
      Files.copy(deploy.resolve("prometheus/javaland-rules.yml"), tmp.resolve("javaland-rules.yml")); // its rule_files
      run(promtool.toString(), "check", "config", deploy.resolve("prometheus/prometheus.yml").toString());
      run(promtool.toString(), "check", "config", configFile.toString());

      // Prometheus on a free loopback port (retried if another process takes the port meanwhile).
      Path log = tmp.resolve("prometheus.log");
      URI api = null;
      for (int attempt = 0; attempt < 3 && api == null; attempt++) {
        int port = freePort();
        prom = new ProcessBuilder(prometheus.toString(), "--config.file=" + configFile,
            "--storage.tsdb.path=" + tmp.resolve("data"), "--web.listen-address=127.0.0.1:" + port,
            "--storage.tsdb.retention.time=1h", "--log.level=info")
            .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Process started = prom;
        if (reaper == null) {
          reaper = new Thread(() -> started.destroyForcibly());
          Runtime.getRuntime().addShutdownHook(reaper); // the JVM killed mid-test must not leave it running
        }
        URI base = URI.create("http://127.0.0.1:" + port);
        long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < until && prom.isAlive()) {
          if (get(http, base.resolve("/-/ready")).map(r -> r.statusCode() == 200).orElse(false)) {
            api = base;
            break;
          }
          Thread.sleep(100);
        }
        if (api == null) {
          String out = tail(log);
          stop(prom);
          if (!out.contains("address already in use")) fail("prometheus did not become ready on 127.0.0.1:" + port + ":\n" + out);
        }
      }
      assertTrue(api != null, "prometheus could not listen on a free port:\n" + tail(log));
      System.out.printf("prometheus %s on %s scraping javaland on 127.0.0.1:%d, ready after %.1f s%n",
          prometheus, api, jlPort, (System.nanoTime() - t0) / 1e9);

      // The exposition itself passes Prometheus's linter.
      HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + jlPort + "/metrics"))
          .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, metrics.statusCode());
      if (Files.isDirectory(Path.of("target"))) Files.writeString(Path.of("target/javaland-metrics.txt"), metrics.body());
      String lint = runWithInput(metrics.body(), promtool.toString(), "check", "metrics");
      System.out.println("promtool check metrics on javaland's /metrics: " + (lint.isBlank() ? "no findings" : lint));

      // A few scrapes at version 1, then a parameter change: the policy version goes to 2.
      long deadline = t0 + SAMPLE_BUDGET.toNanos();
      while (scalar(http, api, "count_over_time(javaland_policy_version[1m])") < 3) {
        if (System.nanoTime() > deadline) {
          fail("no javaland samples in Prometheus after " + SAMPLE_BUDGET.toSeconds() + " s; targets: "
              + get(http, api.resolve("/api/v1/targets")).map(HttpResponse::body).orElse("?") + "\n" + tail(log));
        }
        Thread.sleep(250);
      }
      // (the learner's proposals and rollbacks change the policy version from here on)

      // Every expression, until each has data or the budget is spent.
      Map<String, String> builtins = Map.of("__rate_interval", WINDOW, "__interval", WINDOW, "__range", WINDOW,
          "__range_s", "60", "__range_ms", "60000", "__interval_ms", "60000");
      Map<Expr, String> failures = new LinkedHashMap<>();
      int rounds = 0;
      do {
        if (rounds++ > 0) Thread.sleep(1000);
        failures.clear();
        for (Expr e : exprs) {
          String file = e.where().substring(0, e.where().indexOf(' '));
          String problem = check(http, api, e, resolver(http, api, variablesByFile.get(file), builtins));
          if (problem != null) failures.put(e, problem);
        }
        if (failures.values().stream().anyMatch(p -> p.startsWith("Prometheus refused"))) break; // will not get better
      } while (!failures.isEmpty() && System.nanoTime() < deadline);

      if (!failures.isEmpty()) {
        boolean refused = failures.values().stream().anyMatch(p -> p.startsWith("Prometheus refused"));
        if (refused) failures.values().removeIf(p -> !p.startsWith("Prometheus refused")); // the rest may need time
        StringBuilder sb = new StringBuilder(failures.size() + " of " + exprs.size() + " dashboard expressions "
            + (refused ? "are not valid PromQL" : "returned no data from Prometheus") + " (after "
            + Math.round((System.nanoTime() - t0) / 1e9) + " s, scraping javaland every second):");
        failures.forEach((e, p) -> sb.append("\n  - ").append(e.where()).append(":\n      ").append(e.promql())
            .append("\n      ").append(p));
        fail(sb.toString());
      }
      System.out.printf("all %d expressions of %d dashboards returned data (%d rounds), %.1f s after start%n",
          exprs.size(), files.size(), rounds, (System.nanoTime() - t0) / 1e9);
    } finally {
      if (prom != null) stop(prom);
      if (reaper != null) {
        try {
          Runtime.getRuntime().removeShutdownHook(reaper);
        } catch (IllegalStateException shuttingDown) {
          // the hook runs anyway
        }
      }
      learnerStop = true;
      if (learnerThread != null) learnerThread.join(5000);
      if (learnerMetrics != null) learnerMetrics.close();
      if (scheduler != null) scheduler.close();
      deleteTree(tmp);
    }
  }

  /** Null when {@code e} returns data; otherwise what was wrong, with the query as sent. */
  private static String check(HttpClient http, URI api, Expr e, Resolver vars) throws Exception {
    String substituted;
    try {
      substituted = vars.substitute(e.promql());
    } catch (IllegalArgumentException bad) {
      return bad.getMessage();
    }
    String promql = substituted;
    if (e.variableQuery()) {
      Matcher lv = LABEL_VALUES.matcher(substituted);
      Matcher qr = QUERY_RESULT.matcher(substituted);
      if (lv.matches()) {
        String label = lv.group(2);
        if (lv.group(1) == null) {
          HttpResponse<String> r = http.send(HttpRequest.newBuilder(api.resolve("/api/v1/label/" + label + "/values"))
              .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
          JsonArray values = new JsonObject(r.body()).getJsonArray("data", new JsonArray());
          return values.isEmpty() ? "label '" + label + "' has no values" : null;
        }
        promql = "count by (" + label + ") (" + lv.group(1) + ")";
      } else if (qr.matches()) {
        promql = qr.group(1);
      } else {
        return "unsupported variable query (the test understands label_values() and query_result()): " + substituted;
      }
    }
    JsonObject r = query(http, api, promql);
    if (!"success".equals(r.getString("status"))) {
      return "Prometheus refused the query: " + r.getString("errorType") + ": " + r.getString("error")
          + (promql.equals(e.promql()) ? "" : "; as sent: " + promql);
    }
    JsonObject data = r.getJsonObject("data");
    List<String> values = new ArrayList<>();
    Object result = data.getValue("result");
    if (result instanceof JsonArray arr) {
      if ("scalar".equals(data.getString("resultType")) || "string".equals(data.getString("resultType"))) {
        values.add(arr.getString(1));
      } else {
        for (Object o : arr) {
          JsonObject series = (JsonObject) o;
          if (series.containsKey("value")) values.add(series.getJsonArray("value").getString(1));
          JsonArray vs = series.getJsonArray("values");
          if (vs != null) vs.forEach(v -> values.add(((JsonArray) v).getString(1)));
        }
      }
    }
    if (values.isEmpty()) return "empty result (no series); as sent: " + promql;
    if (values.stream().allMatch("NaN"::equals)) {
      return values.size() + " series, all NaN (the series exist but nothing was observed in the window);"
          + " as sent: " + promql;
    }
    return null;
  }

  /** Grafana's template variables for one dashboard, as the test resolves them. */
  private interface Resolver {
    String substitute(String s);
  }

  private static Resolver resolver(HttpClient http, URI api, List<JsonObject> variables, Map<String, String> builtins) {
    Map<String, JsonObject> byName = new HashMap<>();
    variables.forEach(v -> byName.put(v.getString("name"), v));
    Map<String, String> cache = new HashMap<>(builtins);
    return new Resolver() {
      @Override
      public String substitute(String s) {
        Matcher m = VARIABLE.matcher(s);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
          String name = m.group(1) != null ? m.group(1) : m.group(2) != null ? m.group(2) : m.group(3);
          m.appendReplacement(out, Matcher.quoteReplacement(value(name)));
        }
        m.appendTail(out);
        return out.toString();
      }

      private String value(String name) {
        String v = cache.get(name);
        if (v != null) return v;
        JsonObject var = byName.get(name);
        if (var == null) throw new IllegalArgumentException("unknown template variable $" + name);
        if (var.getBoolean("includeAll", false)) {
          v = var.getString("allValue", ".*"); // All: Grafana sends allValue, else a regex of every value
        } else if ("query".equals(var.getString("type"))) {
          v = firstValue(var); // a single-value query variable: what Grafana selects first
        } else {
          Object cur = var.getJsonObject("current", new JsonObject()).getValue("value");
          v = cur instanceof JsonArray a ? a.getString(0) : String.valueOf(cur);
        }
        cache.put(name, v);
        return v;
      }

      private String firstValue(JsonObject var) {
        String q = variableQuery(var);
        Matcher lv = LABEL_VALUES.matcher(substitute(q));
        if (!lv.matches() || lv.group(1) == null) throw new IllegalArgumentException("$" + var.getString("name") + ": " + q);
        try {
          JsonArray res = query(http, api, "count by (" + lv.group(2) + ") (" + lv.group(1) + ")")
              .getJsonObject("data").getJsonArray("result");
          if (res.isEmpty()) throw new IllegalArgumentException("$" + var.getString("name") + " has no values: " + q);
          return res.getJsonObject(0).getJsonObject("metric").getString(lv.group(2));
        } catch (IOException | InterruptedException e) {
          throw new IllegalArgumentException("$" + var.getString("name") + ": " + e);
        }
      }
    };
  }

  private static double scalar(HttpClient http, URI api, String promql) throws Exception {
    JsonObject r = query(http, api, promql);
    JsonArray res = r.getJsonObject("data", new JsonObject()).getJsonArray("result", new JsonArray());
    return res.isEmpty() ? 0 : Double.parseDouble(res.getJsonObject(0).getJsonArray("value").getString(1));
  }

  private static JsonObject query(HttpClient http, URI api, String promql) throws IOException, InterruptedException {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(api.resolve("/api/v1/query"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString("query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    try {
      return new JsonObject(r.body());
    } catch (RuntimeException notJson) {
      return new JsonObject().put("status", "error").put("errorType", "HTTP " + r.statusCode()).put("error", r.body());
    }
  }

  private static Optional<HttpResponse<String>> get(HttpClient http, URI uri) throws InterruptedException {
    try {
      return Optional.of(http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).build(),
          HttpResponse.BodyHandlers.ofString()));
    } catch (IOException notYet) {
      return Optional.empty();
    }
  }

  // ------------------------------------------------------------------------ dashboards

  private static List<Path> dashboards(Path deploy) throws IOException {
    try (Stream<Path> s = Files.list(deploy.resolve("grafana/dashboards"))) {
      List<Path> files = s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
      assertFalse(files.isEmpty(), "dashboards in " + deploy.resolve("grafana/dashboards"));
      return files;
    }
  }

  private static List<JsonObject> variables(JsonObject dashboard) {
    List<JsonObject> out = new ArrayList<>();
    JsonObject t = dashboard.getJsonObject("templating");
    if (t != null) t.getJsonArray("list", new JsonArray()).forEach(v -> out.add((JsonObject) v));
    return out;
  }

  private static String variableQuery(JsonObject var) {
    Object q = var.getValue("query");
    return q instanceof JsonObject o ? o.getString("query", "") : String.valueOf(q);
  }

  /** Every "expr" anywhere (panels, nested rows, annotations), and the query variables' queries. */
  private static void collectExprs(Object node, String file, String where, List<Expr> out) {
    if (node instanceof JsonObject o) {
      String here = where;
      if (o.getValue("title") instanceof String t && o.containsKey("type")) here = "panel \"" + t + "\"";
      else if (o.getValue("name") instanceof String n && o.containsKey("expr")) here = "annotation \"" + n + "\"";
      if (o.getValue("expr") instanceof String expr && !expr.isBlank()) {
        out.add(new Expr(file + " " + here + (o.containsKey("refId") ? " target " + o.getString("refId") : ""), expr, false));
      }
      if ("query".equals(o.getString("type")) && o.containsKey("name") && o.containsKey("query")
          && !(o.getValue("title") instanceof String)) {
        out.add(new Expr(file + " variable $" + o.getString("name"), variableQuery(o), true));
        return;
      }
      for (String k : o.fieldNames()) collectExprs(o.getValue(k), file, here, out);
    } else if (node instanceof JsonArray a) {
      for (Object x : a) collectExprs(x, file, where, out);
    }
  }

  private static void collectDataSourceRefs(Object node, List<String> out) {
    if (node instanceof JsonObject o) {
      if (o.getValue("datasource") instanceof JsonObject ds && ds.getString("uid") != null) out.add(ds.getString("uid"));
      for (String k : o.fieldNames()) collectDataSourceRefs(o.getValue(k), out);
    } else if (node instanceof JsonArray a) {
      for (Object x : a) collectDataSourceRefs(x, out);
    }
  }

  /** deploy/ at the top of the repository: the test runs in cli/ under Maven, possibly elsewhere in an IDE. */
  private static Path deployDir() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isDirectory(p.resolve("deploy/grafana/dashboards"))) return p.resolve("deploy");
    }
    throw new AssertionError("deploy/grafana/dashboards not found above " + Path.of("").toAbsolutePath());
  }

  // ------------------------------------------------------------------------ processes and files

  private static Optional<Path> executable(String name) {
    for (String dir : (System.getenv().getOrDefault("PATH", "") + File.pathSeparator + "/usr/bin").split(File.pathSeparator)) {
      if (dir.isEmpty()) continue;
      Path p = Path.of(dir, name);
      if (Files.isExecutable(p)) return Optional.of(p);
    }
    return Optional.empty();
  }

  private static boolean isRoot() throws IOException {
    return Files.readAllLines(Path.of("/proc/self/status")).stream()
        .anyMatch(l -> l.startsWith("Uid:") && l.split("\\s+")[2].equals("0"));
  }

  private static boolean aptGet(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("/usr/bin/apt-get", "-q"));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().put("DEBIAN_FRONTEND", "noninteractive");
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(15, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      return false;
    }
    String[] lines = out.strip().split("\n");
    System.out.println("apt-get " + String.join(" ", args) + ": exit " + p.exitValue() + ", last line: " + lines[lines.length - 1]);
    return p.exitValue() == 0;
  }

  /** Runs a command to completion (30 s at most), asserting exit 0; returns its output. */
  private static String run(String... cmd) throws Exception {
    return runWithInput(null, cmd);
  }

  private static String runWithInput(String stdin, String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    try (var in = p.getOutputStream()) {
      if (stdin != null) in.write(stdin.getBytes(StandardCharsets.UTF_8));
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail(String.join(" ", cmd) + ": did not finish in 30 s");
    }
    assertEquals(0, p.exitValue(), String.join(" ", cmd) + " failed:\n" + out);
    return out.strip();
  }

  private static void stop(Process p) throws InterruptedException {
    p.destroy(); // SIGTERM: Prometheus shuts down cleanly
    if (!p.waitFor(10, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      p.waitFor(5, TimeUnit.SECONDS);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
    } catch (IOException e) {
      return "(no prometheus log: " + e.getMessage() + ")";
    }
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) return;
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
    }
  }
}
