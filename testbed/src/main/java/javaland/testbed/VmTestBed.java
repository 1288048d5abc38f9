package javaland.testbed;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The VM test bed: boots Debian's sched_ext kernel under qemu (TCG) with an initramfs holding a JRE,
 * libbpf, stress-ng and the scheduler jar, runs guest scenarios (one boot per {@link TcgThreads}
 * mode), and judges them.
 *
 * <pre>
 *   List&lt;ScenarioResult&gt; r = VmTestBed.run(VmOptions.of(List.of("smoke", "kill"), jar), System.err);
 *   r.forEach(x -&gt; System.out.println(x.toJson()));
 * </pre>
 *
 * <p>Steps: {@code testbed/kernel.sh} (cached kernel), {@code testbed/initramfs.sh}
 * (rebuilt only when an input changed), then qemu with a wall-clock timeout per boot. The serial
 * console goes to a log file under {@code $CACHE/vm/logs}; progress is one line per guest marker.
 * A guest kernel crash (Oops, BUG:, Kernel panic, general protection fault) or a requested
 * scenario without a JL_RESULT line makes the VM boot again for the scenarios that did not finish
 * ({@link #nextBoot}); results then say {@code "retried": true} and why. See testbed/README.md.
 */
public final class VmTestBed {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String GUEST_FILE = "JL_FILE ";
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");
  private static final int KEEP_LOG_FILES = 60;
  private static final Duration AFTER_DONE = Duration.ofSeconds(30);

  private final VmOptions opts;
  private final PrintStream progress;

  private VmTestBed(VmOptions opts, PrintStream progress) {
    this.opts = opts;
    this.progress = progress;
  }

  /**
   * Runs the scenarios of {@code opts} and returns one result per scenario, in order. Progress
   * lines ("[vm] ...") go to {@code progress}.
   *
   * @throws VmException when the test bed cannot run at all (missing tool, failing build script)
   */
  public static List<ScenarioResult> run(VmOptions opts, PrintStream progress) throws IOException, InterruptedException {
    return new VmTestBed(opts, progress).runAll();
  }

  /** True when every scenario passed (and there was at least one). */
  public static boolean allPass(List<ScenarioResult> results) {
    return !results.isEmpty() && results.stream().allMatch(ScenarioResult::pass);
  }

  /** {"scenarios": [...], "pass": ..., "retried": ...} on one line. */
  public static String summaryJson(List<ScenarioResult> results) {
    ObjectNode o = JSON.createObjectNode();
    ArrayNode a = o.putArray("scenarios");
    results.forEach(r -> a.add(r.toJsonNode()));
    o.put("pass", allPass(results));
    o.put("retried", results.stream().anyMatch(ScenarioResult::retried));
    try {
      return JSON.writeValueAsString(o);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  private List<ScenarioResult> runAll() throws IOException, InterruptedException {
    requireTool("qemu-system-x86_64", "qemu-system-x86");
    if (!Files.isRegularFile(opts.jar())) throw new VmException("scheduler jar not found: " + opts.jar());

    long t = System.nanoTime();
    Path kernel = Path.of(lastLine(script("kernel.sh")));
    if (!Files.isRegularFile(kernel)) throw new VmException("kernel.sh printed no kernel: " + kernel);
    String kver = readOr(kernel.resolveSibling("version"), "unknown");
    say("kernel " + kver + " (" + kernel + ")");

    // One initramfs per jar location (and extra folder): runs for different jars do not rebuild
    // each other's image; initramfs.sh itself skips the build when nothing changed.
    Path initrd = opts.cacheDir().resolve("vm/initramfs-" + shortHash(opts.jar().toAbsolutePath().normalize() + "|"
        + (opts.extraDir() == null ? "" : opts.extraDir().toAbsolutePath().normalize())) + ".img");
    pruneImages(initrd);
    List<String> args = new ArrayList<>(List.of(initrd.toString(), "--jar", opts.jar().toAbsolutePath().toString()));
    if (opts.extraDir() != null) args.addAll(List.of("--extra", opts.extraDir().toAbsolutePath().toString()));
    script("initramfs.sh", args.toArray(String[]::new));
    say(String.format(Locale.ROOT, "initramfs ready (%d MB), setup took %.1f s",
        Files.size(initrd) >> 20, (System.nanoTime() - t) / 1e9));

    // Scenarios that need parallel vCPUs boot apart from those that run safer without (TcgThreads).
    // Within each group, a guest crash spoils only the scenario it hit: the next boot runs what is
    // left (nextBoot says when), up to MAX_BOOTS per group.
    Map<TcgThreads, List<String>> groups = groupByTcg(opts.scenarios(), opts.tcg());
    Map<String, BootOutcome> from = new HashMap<>();
    Map<String, String> retriedBecause = new HashMap<>();
    int attempt = 0;
    for (var group : groups.entrySet()) {
      TcgThreads mode = group.getKey();
      List<String> remaining = group.getValue();
      String retryReason = null;
      for (int inGroup = 1; ; inGroup++) {
        BootOutcome outcome = boot(kernel, initrd, ++attempt, remaining, mode);
        for (String s : remaining) from.put(s, outcome);
        String why = outcome.retryReason(remaining);
        List<String> left = outcome.unfinished(remaining);
        if (why == null || left.isEmpty()) break;
        if (retryReason == null) retryReason = why;
        if (!nextBoot(opts.retry(), inGroup, remaining.size(), left.size(), outcome.crash() != null)) {
          if (inGroup > 1) say("boot " + attempt + " failed too: " + why);
          break;
        }
        say("booting again for " + String.join(",", left) + " (" + why + ")");
        remaining = left;
      }
      if (retryReason != null) for (String s : group.getValue()) retriedBecause.put(s, retryReason);
    }

    List<ScenarioResult> results = new ArrayList<>();
    for (String s : opts.scenarios()) {
      BootOutcome outcome = from.get(s);
      String retryReason = retriedBecause.get(s);
      var ctx = new PassRules.Context(kver, retryReason != null, retryReason, null,
          outcome.retryReason(List.of(s)), outcome.bootSeconds(), outcome.consoleLog().toString(),
          opts.tcg().forScenario(s).label());
      ScenarioResult r = PassRules.evaluate(s, outcome.results().get(s), ctx.withCrash(outcome.crashAffecting(s)));
      results.add(r);
      say(s + ": " + (r.pass() ? "PASS" : "FAIL (" + String.join(", ", r.failedChecks()) + ")"));
      if (r.figures() != null && r.figures().has("throughput_ratio")) {
        var f = r.figures();
        say(s + ": javaland/EEVDF medians: sysbench cpu " + f.get("throughput_ratio") + ", threads " + f.get("threads_ratio")
            + ", hogs beside the probe " + f.get("hog_throughput_ratio") + ", latency idle " + f.get("latency_ratios").get("idle")
            + " loaded " + f.get("latency_ratios").get("loaded") + ", hackbench " + f.get("hackbench_ratio") + ", server rps "
            + f.get("server_rps_ratio") + " p99 " + f.get("server_p99_ratio") + ", cpu share " + f.get("cpu_share_ratio")
            + "; scheduler " + f.get("sched_cpu_ms_per_s") + " CPU ms/s, dispatches " + f.get("dispatch_shares"));
        say(s + ": targets met (not judged: emulation): " + f.get("targets_met"));
      }
      if ("soak".equals(s) && r.figures() != null) say(s + ": after the warm-up: " + r.figures());
    }
    return results;
  }

  /**
   * At most this many boots for one group of scenarios. Only the multi-threaded group can meet
   * TCG's race, and a CI run once met it at 3 of 7 enables: on a busy host it comes in bursts. A
   * boot after a crash runs only what is left, so the extra boots are short.
   */
  static final int MAX_BOOTS = 5;

  /**
   * The scenarios in boots of one TCG mode each, in the order the modes first appear; within a
   * group the scenarios keep their order.
   */
  static Map<TcgThreads, List<String>> groupByTcg(List<String> scenarios, TcgThreads tcg) {
    Map<TcgThreads, List<String>> groups = new LinkedHashMap<>();
    for (String s : scenarios) groups.computeIfAbsent(tcg.forScenario(s), k -> new ArrayList<>()).add(s);
    return groups;
  }

  /**
   * Whether to boot again after boot {@code attempt} left {@code left} of its {@code ran} scenarios
   * unfinished: always once, then after a boot that finished something or ended in a guest crash
   * (TCG's race strikes at random: another boot may pass; a guest that hangs until the timeout
   * will hang again), and never past {@link #MAX_BOOTS}.
   */
  static boolean nextBoot(boolean retry, int attempt, int ran, int left, boolean crashed) {
    if (!retry || left == 0 || attempt >= MAX_BOOTS) return false;
    return attempt == 1 || left < ran || crashed;
  }

  // --- one boot ---------------------------------------------------------------------------------

  private BootOutcome boot(Path kernel, Path initrd, int attempt, List<String> scenarios, TcgThreads mode)
      throws IOException, InterruptedException {
    Path logs = opts.cacheDir().resolve("vm/logs");
    Files.createDirectories(logs);
    pruneLogs(logs);
    String stamp = LocalDateTime.now().format(STAMP) + "-boot" + attempt;
    Path console = logs.resolve(stamp + ".console.log");
    Path resultsFile = logs.resolve(stamp + ".results.log");
    List<String> cmd = List.of(
        "qemu-system-x86_64", "-accel", mode.qemuAccel(), "-cpu", "max",
        "-smp", Integer.toString(opts.cpus()), "-m", Integer.toString(opts.memoryMb()),
        "-nographic", "-no-reboot",
        "-serial", "mon:stdio", "-serial", "file:" + resultsFile,
        "-kernel", kernel.toString(), "-initrd", initrd.toString(),
        "-append", opts.withScenarios(scenarios).kernelCommandLine());
    Files.writeString(console, "# " + String.join(" ", cmd) + "\n");
    say("boot " + attempt + ": qemu TCG (" + mode.label() + "-threaded), " + opts.cpus() + " CPUs, " + opts.memoryMb() + " MB, scenarios "
        + String.join(",", scenarios) + "; console: " + console);

    ConsoleMonitor monitor = new ConsoleMonitor();
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    long start = System.nanoTime();
    Process p = pb.start();
    Thread killer = new Thread(p::destroyForcibly, "vm-qemu-killer");
    Runtime.getRuntime().addShutdownHook(killer);
    double[] bootSeconds = {-1};
    Thread reader = Thread.ofPlatform().name("vm-console").daemon().start(() -> {
      try (var in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
           Writer log = Files.newBufferedWriter(console, StandardCharsets.UTF_8,
               java.nio.file.StandardOpenOption.APPEND)) {
        String line;
        while ((line = in.readLine()) != null) {
          log.write(line);
          log.write('\n');
          log.flush();
          double at = (System.nanoTime() - start) / 1e9;
          for (ConsoleMonitor.Event e : monitor.accept(line)) {
            switch (e.kind()) {
              case BOOTED -> {
                bootSeconds[0] = at;
                say(String.format(Locale.ROOT, "booted in %.1f s (%s)", at, e.text()));
              }
              case MARK -> say(String.format(Locale.ROOT, "+%.1f s %s: %s", at, e.scenario(), e.text()));
              case BAD_RESULT -> say(String.format(Locale.ROOT, "+%.1f s %s: %s", at, e.scenario(), e.text()));
              case CRASH -> say(String.format(Locale.ROOT, "+%.1f s guest crash during %s: %s", at, e.scenario(), e.text()));
              case DONE -> say(String.format(Locale.ROOT, "+%.1f s guest finished, powering off", at));
              case RESULT -> { }
            }
          }
        }
      } catch (IOException e) {
        say("console reader: " + e);
      }
    });

    Duration limit = opts.bootTimeout(scenarios);
    long deadline = start + limit.toNanos();
    long crashAt = 0;
    long doneAt = 0;
    boolean timedOut = false;
    boolean stopped = false;
    try {
      while (!p.waitFor(250, java.util.concurrent.TimeUnit.MILLISECONDS)) {
        long now = System.nanoTime();
        if (monitor.crash() != null && crashAt == 0) crashAt = now;
        if (monitor.done() && doneAt == 0) doneAt = now;
        if (now - deadline > 0) {
          say("timeout: the VM ran for " + human(limit) + "; stopping it");
          timedOut = true;
        } else if (crashAt != 0 && now - crashAt > opts.crashGrace().toNanos()) {
          say("stopping the VM " + human(opts.crashGrace()) + " after the crash");
        } else if (doneAt != 0 && now - doneAt > AFTER_DONE.toNanos()) {
          say("the guest did not power off; stopping the VM");
        } else {
          continue;
        }
        stop(p);
        stopped = true;
        break;
      }
    } catch (InterruptedException e) {
      stop(p);
      throw e;
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(killer);
      } catch (IllegalStateException ignored) {
        // the JVM is shutting down: the hook runs anyway
      }
    }
    reader.join(10_000);
    double seconds = (System.nanoTime() - start) / 1e9;
    if (Files.isRegularFile(resultsFile)) {
      // decoding with replacement: a garbled byte must not lose the other lines
      List<String> lines = List.of(new String(Files.readAllBytes(resultsFile), StandardCharsets.UTF_8).split("\n"));
      monitor.acceptResultLines(lines);
      saveGuestFiles(lines, logs, stamp, this::say);
    }
    int exit = stopped ? -1 : p.exitValue();
    say(String.format(Locale.ROOT, "boot %d ended after %.1f s (%s)", attempt, seconds,
        timedOut ? "timed out" : stopped ? "stopped" : monitor.done() ? "powered off" : "qemu exited " + exit));
    return new BootOutcome(monitor.results(), monitor.crash(), monitor.crashDuring(), monitor.finishedBeforeCrash(),
        timedOut, monitor.done(), bootSeconds[0], seconds, exit, console);
  }

  /**
   * {@code JL_FILE NAME BASE64} lines of the results port (the fidelity trace, gzipped) become
   * {@code logs/STAMP-NAME}. A name that is not a plain file name or a garbled body is reported
   * and skipped: these files are for looking at, never judged.
   */
  static List<Path> saveGuestFiles(List<String> lines, Path logs, String stamp, java.util.function.Consumer<String> say) {
    List<Path> saved = new ArrayList<>();
    for (String line : lines) {
      if (!line.startsWith(GUEST_FILE)) continue;
      String rest = line.substring(GUEST_FILE.length()).strip();
      int sp = rest.indexOf(' ');
      String name = sp < 0 ? rest : rest.substring(0, sp);
      if (sp < 0 || !name.matches("[A-Za-z0-9._-]{1,64}") || name.startsWith(".")) {
        say.accept("results port: ignoring a JL_FILE line with a bad name: " + abbreviate(name));
        continue;
      }
      try {
        byte[] body = java.util.Base64.getDecoder().decode(rest.substring(sp + 1).strip());
        Path out = logs.resolve(stamp + "-" + name);
        Files.write(out, body);
        saved.add(out);
        say.accept("guest file " + name + " (" + body.length + " bytes): " + out);
      } catch (IllegalArgumentException | IOException e) {
        say.accept("results port: could not save " + name + ": " + e.getMessage());
      }
    }
    return saved;
  }

  private static String abbreviate(String s) {
    return s.length() <= 40 ? s : s.substring(0, 40) + "...";
  }

  private static void stop(Process p) throws InterruptedException {
    p.destroy();
    if (!p.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
      p.destroyForcibly();
      p.waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
    }
  }

  /** Keeps the newest few initramfs images (one per jar location); {@code keep} is never deleted. */
  private static void pruneImages(Path keep) throws IOException {
    Path dir = keep.getParent();
    if (!Files.isDirectory(dir)) return;
    try (Stream<Path> s = Files.list(dir)) {
      List<Path> images = s.filter(p -> p.getFileName().toString().matches("initramfs-[0-9a-f]+\\.img"))
          .filter(p -> !p.equals(keep))
          .sorted(Comparator.comparing((Path p) -> p.toFile().lastModified()).reversed()).toList();
      for (Path old : images.subList(Math.min(4, images.size()), images.size())) {
        Files.deleteIfExists(old);
        Files.deleteIfExists(old.resolveSibling(old.getFileName() + ".inputs"));
      }
    }
  }

  private static void pruneLogs(Path logs) throws IOException {
    try (Stream<Path> s = Files.list(logs)) {
      List<Path> files = s.filter(Files::isRegularFile)
          .sorted(Comparator.comparing(Path::getFileName).reversed()).toList();
      for (Path old : files.subList(Math.min(KEEP_LOG_FILES, files.size()), files.size())) Files.deleteIfExists(old);
    }
  }

  // --- scripts ----------------------------------------------------------------------------------

  /** Runs testbed/NAME with bash; its stderr becomes progress lines; returns its stdout. */
  private String script(String name, String... args) throws IOException, InterruptedException {
    Path script = opts.vmDir().resolve(name);
    if (!Files.isRegularFile(script)) throw new VmException("missing " + script);
    List<String> cmd = new ArrayList<>(List.of("bash", script.toString()));
    cmd.addAll(Arrays.asList(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().put("JAVALAND_CACHE", opts.cacheDir().toString());
    pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    Process p = pb.start();
    Deque<String> tail = new ArrayDeque<>();
    Thread err = Thread.ofPlatform().name("vm-" + name).daemon().start(() -> {
      try (var in = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = in.readLine()) != null) {
          say(line);
          synchronized (tail) {
            tail.addLast(line);
            if (tail.size() > 20) tail.removeFirst();
          }
        }
      } catch (IOException ignored) {
        // the process is gone
      }
    });
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    int rc = p.waitFor();
    err.join(5_000);
    if (rc != 0) {
      String last;
      synchronized (tail) {
        last = tail.isEmpty() ? "(no output)" : tail.peekLast();
      }
      throw new VmException(name + " failed (exit " + rc + "): " + last);
    }
    return out;
  }

  private static String shortHash(String s) {
    try {
      byte[] d = java.security.MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
      return java.util.HexFormat.of().formatHex(d, 0, 6);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String lastLine(String out) {
    String[] lines = out.strip().split("\n");
    return lines[lines.length - 1].strip();
  }

  private static String readOr(Path p, String fallback) {
    try {
      return Files.isRegularFile(p) ? Files.readString(p).strip() : fallback;
    } catch (IOException e) {
      return fallback;
    }
  }

  private static void requireTool(String tool, String debianPackage) {
    String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
    for (String dir : path.split(File.pathSeparator)) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) return;
    }
    throw new VmException(tool + " not found (apt-get install " + debianPackage + ")");
  }

  private static String human(Duration d) {
    return d.toSeconds() % 60 == 0 && d.toMinutes() > 0 ? d.toMinutes() + " min" : d.toSeconds() + " s";
  }

  private void say(String line) {
    synchronized (progress) {
      progress.println("[vm] " + line);
      progress.flush();
    }
  }

  // --- entry point without the CLI ----------------------------------------------------------------

  /**
   * {@code VmTestBed [--scenario smoke,kill] [--jar PATH] [--timeout 15m] [--no-retry] [--extra DIR]
   * [--tcg auto|single|multi] [--param KEY=VALUE]...}: prints each scenario's JSON on stdout and, for several scenarios, a
   * last line {"scenarios": [...], "pass": ...}; exits 0 when all passed, 1 when one failed, 2 when
   * the test bed could not run. The default jar is cli/target/javaland.jar of this checkout.
   */
  public static void main(String[] args) {
    try {
      List<String> scenarios = VmOptions.DEFAULT_SCENARIOS;
      Path jar = null;
      Duration timeout = VmOptions.DEFAULT_TIMEOUT;
      boolean retry = true;
      Path extra = null;
      TcgThreads tcg = TcgThreads.AUTO;
      List<String[]> params = new ArrayList<>();
      for (int i = 0; i < args.length; i++) {
        String a = args[i];
        switch (a) {
          case "--scenario", "--scenarios" -> scenarios = List.of(value(args, ++i, a).split(","));
          case "--jar" -> jar = Path.of(value(args, ++i, a));
          case "--timeout" -> timeout = VmOptions.parseDuration(value(args, ++i, a));
          case "--no-retry" -> retry = false;
          case "--extra" -> extra = Path.of(value(args, ++i, a));
          case "--tcg" -> tcg = TcgThreads.parse(value(args, ++i, a));
          case "--param" -> params.add(value(args, ++i, a).split("=", 2));
          default -> throw new IllegalArgumentException("unknown argument " + a
              + " (usage: [--scenario smoke,kill] [--jar PATH] [--timeout 15m] [--no-retry] [--extra DIR] [--tcg auto|single|multi] [--param K=V])");
        }
      }
      Path vmDir = VmOptions.findVmDir();
      if (jar == null) jar = vmDir.getParent().resolve("cli/target/javaland.jar");
      VmOptions opts = VmOptions.of(scenarios, jar).withTimeout(timeout).withRetry(retry).withExtraDir(extra).withTcg(tcg);
      for (String[] kv : params) {
        if (kv.length != 2) throw new IllegalArgumentException("--param wants KEY=VALUE");
        opts = opts.withGuestParam(kv[0], kv[1]);
      }
      List<ScenarioResult> results = run(opts, System.err);
      results.forEach(r -> System.out.println(r.toJson()));
      if (results.size() > 1) System.out.println(summaryJson(results));
      System.out.flush();
      System.exit(allPass(results) ? 0 : 1);
    } catch (VmException | IllegalArgumentException | IllegalStateException e) {
      System.err.println("[vm] error: " + e.getMessage());
      System.exit(2);
    } catch (IOException e) {
      System.err.println("[vm] error: " + e);
      System.exit(2);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      System.exit(2);
    }
  }

  private static String value(String[] args, int i, String option) {
    if (i >= args.length) throw new IllegalArgumentException(option + " needs a value");
    return args[i];
  }
}
