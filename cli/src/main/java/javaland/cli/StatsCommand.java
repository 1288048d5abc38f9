package javaland.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javaland.api.ApiClient;
import javaland.api.ApiException;
import javaland.cli.stats.StatsBlock;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code javaland stats [--monitor [INTERVAL]]}: a running runtime's live counters, read over its REST API. */
@Command(name = "stats", description = {
    "Print a running scheduler's live counters, read from its REST API (GET /api/v1/status), as run --stats does.",
    "Without --monitor: one block, with rates since the scheduler attached; with it: one block per interval,"
        + " with rates over the interval, until Ctrl-C.",
    "Exit code 0 done, 1 the API could not be reached (or stopped answering), 2 a usage error or a token"
        + " the API refused (401, 403)."})
final class StatsCommand implements java.util.concurrent.Callable<Integer> {
  /** The token file javaland.service writes (packaging/systemd/javaland.service), read when no --token-file is given. */
  static final Path SERVICE_TOKEN_FILE = Path.of("/run/javaland/api-token");

  @Option(names = "--url", defaultValue = "http://127.0.0.1:8740",
      description = "The runtime's control plane. Default ${DEFAULT-VALUE}.")
  String url;

  @Option(names = "--token-file", paramLabel = "FILE",
      description = "Bearer token: the file given to 'run --api-token-file', or a file holding a JWT."
          + " Default: /run/javaland/api-token (the service's) when it is readable.")
  Path tokenFile;

  @Option(names = "--monitor", arity = "0..1", paramLabel = "INTERVAL", fallbackValue = "1s",
      converter = DurationConverter.class,
      description = "Print a block every INTERVAL (default 1s when given without one) until Ctrl-C.")
  Duration monitor;

  @Option(names = "--count", paramLabel = "N",
      description = "With --monitor: stop after N blocks (default: until Ctrl-C).")
  Integer count;

  @Override
  public Integer call() throws InterruptedException {
    if (monitor != null && (monitor.isNegative() || monitor.isZero())) {
      throw new IllegalArgumentException("--monitor must be a positive interval, got " + monitor);
    }
    if (count != null && count < 1) throw new IllegalArgumentException("--count must be at least 1, got " + count);
    Path token = tokenFile != null ? tokenFile : Files.isReadable(SERVICE_TOKEN_FILE) ? SERVICE_TOKEN_FILE : null;
    ApiClient client = ApiClient.withTokenFile(url, token); // a bad --token-file is a usage error (2)
    PrintStream out = System.out;
    CountDownLatch stop = new CountDownLatch(1);
    if (monitor != null) StopSignals.handle(sig -> stop.countDown());
    JsonNode before = null;
    long beforeNs = 0;
    int printed = 0;
    while (true) {
      JsonNode now = read(client);
      long nowNs = System.nanoTime();
      // A smaller uptime is a runtime that restarted: its counters started again from zero.
      if (before != null && now.path("uptime_s").asDouble() < before.path("uptime_s").asDouble()) before = null;
      out.print(StatsBlock.format(now, before, (nowNs - beforeNs) / 1e9, Instant.now(), ZoneId.systemDefault()));
      out.flush();
      printed++;
      if (monitor == null || (count != null && printed >= count)) return 0;
      before = now;
      beforeNs = nowNs;
      if (stop.await(monitor.toMillis(), TimeUnit.MILLISECONDS)) return 0;
    }
  }

  /** The runtime's /status object, from the API's status; unreachable is a failure (exit 1), a refusal a usage error. */
  private static JsonNode read(ApiClient client) {
    try {
      return client.status().runtime();
    } catch (ApiException e) {
      if (e.status() == 0) throw new Main.Failed(e);
      throw e;
    }
  }
}
