package javaland.testbed;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How to run the VM test bed.
 *
 * @param scenarios   guest scenarios to run, in order, one boot per TCG mode (files testbed/guest/NAME.sh)
 * @param jar         the scheduler jar copied into the guest as /opt/javaland/javaland.jar
 * @param timeout     wall-clock limit of ONE boot (a retry gets a fresh one)
 * @param retry       boot a second time, once, when the first boot crashed or lost a result
 * @param cacheDir    the javaland cache ($JAVALAND_CACHE, default ~/.cache/javaland)
 * @param vmDir       the folder holding kernel.sh, initramfs.sh and guest/ (testbed)
 * @param extraDir    copied over the guest's root (may be null)
 * @param guestParams extra kernel command line parameters jl.KEY=VALUE read by the guest scripts
 *                    (e.g. workload_s=30, policy=fifo)
 * @param cpus        guest CPUs
 * @param memoryMb    guest memory
 * @param crashGrace  after a crash appears on the console, how long the guest may still take to
 *                    power off before the VM is stopped
 * @param tcg         how qemu runs the vCPUs ({@link TcgThreads}); AUTO: per scenario
 */
public record VmOptions(
    List<String> scenarios,
    Path jar,
    Duration timeout,
    boolean retry,
    Path cacheDir,
    Path vmDir,
    Path extraDir,
    Map<String, String> guestParams,
    int cpus,
    int memoryMb,
    Duration crashGrace,
    TcgThreads tcg) {

  public static final List<String> DEFAULT_SCENARIOS = List.of("smoke", "kill");
  public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(15);
  private static final Pattern NAME = Pattern.compile("[a-z0-9_-]+");
  private static final Pattern PARAM_KEY = Pattern.compile("[a-z0-9_]+");
  private static final Pattern PARAM_VALUE = Pattern.compile("[A-Za-z0-9_.:,+-]*");

  public VmOptions {
    Objects.requireNonNull(jar, "jar");
    scenarios = List.copyOf(scenarios);
    if (scenarios.isEmpty()) throw new IllegalArgumentException("no scenario given");
    for (String s : scenarios) {
      if (!NAME.matcher(s).matches()) throw new IllegalArgumentException("bad scenario name: " + s);
    }
    guestParams = Map.copyOf(guestParams == null ? Map.of() : guestParams);
    for (var e : guestParams.entrySet()) {
      if (!PARAM_KEY.matcher(e.getKey()).matches() || !PARAM_VALUE.matcher(e.getValue()).matches()) {
        throw new IllegalArgumentException("bad guest parameter: " + e.getKey() + "=" + e.getValue());
      }
      if (e.getKey().equals("scenarios")) throw new IllegalArgumentException("use scenarios, not guestParams");
    }
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(cacheDir, "cacheDir");
    Objects.requireNonNull(vmDir, "vmDir");
    Objects.requireNonNull(crashGrace, "crashGrace");
    Objects.requireNonNull(tcg, "tcg");
    if (cpus < 1 || memoryMb < 256) throw new IllegalArgumentException("cpus >= 1 and memoryMb >= 256");
  }

  /**
   * Defaults: 15 minute timeout per boot, boots again after a crash, 2 CPUs, 2048 MB, TCG threads
   * per scenario, cache and vm folder found.
   */
  public static VmOptions of(List<String> scenarios, Path jar) {
    return new VmOptions(scenarios, jar, DEFAULT_TIMEOUT, true, defaultCacheDir(), findVmDir(), null,
        Map.of(), 2, 2048, Duration.ofSeconds(60), TcgThreads.AUTO);
  }

  /** The same options for other scenarios (a later boot runs what an earlier one did not finish). */
  public VmOptions withScenarios(List<String> s) {
    return new VmOptions(s, jar, timeout, retry, cacheDir, vmDir, extraDir, guestParams, cpus, memoryMb, crashGrace, tcg);
  }

  public VmOptions withTimeout(Duration t) {
    return new VmOptions(scenarios, jar, t, retry, cacheDir, vmDir, extraDir, guestParams, cpus, memoryMb, crashGrace, tcg);
  }

  public VmOptions withRetry(boolean r) {
    return new VmOptions(scenarios, jar, timeout, r, cacheDir, vmDir, extraDir, guestParams, cpus, memoryMb, crashGrace, tcg);
  }

  public VmOptions withExtraDir(Path d) {
    return new VmOptions(scenarios, jar, timeout, retry, cacheDir, vmDir, d, guestParams, cpus, memoryMb, crashGrace, tcg);
  }

  public VmOptions withVmDir(Path d) {
    return new VmOptions(scenarios, jar, timeout, retry, cacheDir, d, extraDir, guestParams, cpus, memoryMb, crashGrace, tcg);
  }

  public VmOptions withCacheDir(Path d) {
    return new VmOptions(scenarios, jar, timeout, retry, d, vmDir, extraDir, guestParams, cpus, memoryMb, crashGrace, tcg);
  }

  public VmOptions withTcg(TcgThreads t) {
    return new VmOptions(scenarios, jar, timeout, retry, cacheDir, vmDir, extraDir, guestParams, cpus, memoryMb, crashGrace, t);
  }

  public VmOptions withGuestParam(String key, String value) {
    var m = new LinkedHashMap<>(guestParams);
    m.put(key, value);
    return new VmOptions(scenarios, jar, timeout, retry, cacheDir, vmDir, extraDir, m, cpus, memoryMb, crashGrace, tcg);
  }

  /**
   * The wall-clock limit of a boot running {@code bootScenarios}: {@link #timeout()}, or for the
   * soak benchmark at least its {@code soak_min} (guest parameter, 30 by default) plus 25 minutes
   * (boot, the scheduler's attach, up to 4 minutes for its learner's JVM, the last load phase's
   * end and the stop), so that {@code --param soak_min=30} needs no {@code --timeout} beside it.
   */
  public Duration bootTimeout(List<String> bootScenarios) {
    if (!bootScenarios.contains("soak")) return timeout;
    long min;
    try {
      min = Long.parseLong(guestParams.getOrDefault("soak_min", "30"));
    } catch (NumberFormatException e) {
      return timeout; // the guest says what it made of it; the limit stays the one asked for
    }
    Duration soak = Duration.ofMinutes(min + 25);
    return soak.compareTo(timeout) > 0 ? soak : timeout;
  }

  /**
   * The kernel command line. {@code tsc=reliable} keeps the clocksource watchdog off the emulated
   * TSC: on a busy host it judged the TSC unstable at about 13 s of uptime and flipped
   * sched_clock's static key, and multi-threaded TCG then oopsed on the int3 of that patch in
   * every one of five boots of a CI run (2026-12-08).
   */
  public String kernelCommandLine() {
    var sb = new StringBuilder("console=ttyS0,115200 panic=-1 quiet tsc=reliable jl.scenarios=").append(String.join(",", scenarios));
    guestParams.entrySet().stream().sorted(Map.Entry.comparingByKey())
        .forEach(e -> sb.append(" jl.").append(e.getKey()).append('=').append(e.getValue()));
    return sb.toString();
  }

  /**
   * A duration as a user types it: {@code 900}, {@code 900s}, {@code 15m}, {@code 1h}, {@code 1h30m}
   * or ISO-8601 ({@code PT15M}).
   */
  public static Duration parseDuration(String text) {
    String t = text.strip().toLowerCase(java.util.Locale.ROOT);
    if (t.matches("\\d+")) return Duration.ofSeconds(Long.parseLong(t));
    if (t.startsWith("pt")) return Duration.parse(t.toUpperCase(java.util.Locale.ROOT));
    var m = Pattern.compile("(\\d+)(ms|h|m|s)").matcher(t);
    Duration d = Duration.ZERO;
    int end = 0;
    while (m.find()) {
      if (m.start() != end) break;
      long n = Long.parseLong(m.group(1));
      d = d.plus(switch (m.group(2)) {
        case "h" -> Duration.ofHours(n);
        case "m" -> Duration.ofMinutes(n);
        case "s" -> Duration.ofSeconds(n);
        default -> Duration.ofMillis(n);
      });
      end = m.end();
    }
    if (end != t.length() || end == 0) throw new IllegalArgumentException("not a duration: " + text + " (e.g. 900s, 15m, PT15M)");
    return d;
  }

  /**
   * $JAVALAND_CACHE, else $XDG_CACHE_HOME/javaland, else ~/.cache/javaland: the rule of
   * javaland.runtime.config.Dirs#cache, repeated because the test bed depends on no javaland module
   * (cli's DirsTest checks that the two agree).
   */
  public static Path defaultCacheDir() {
    String env = System.getenv("JAVALAND_CACHE");
    if (env != null && !env.isBlank()) return Path.of(env);
    String xdg = System.getenv("XDG_CACHE_HOME");
    if (xdg != null && xdg.startsWith("/")) return Path.of(xdg, "javaland");
    return Path.of(System.getProperty("user.home"), ".cache", "javaland");
  }

  /**
   * testbed/ of this checkout: from the system property javaland.home or $JAVALAND_HOME (the
   * repository root), else the working directory or its first parent that is or has testbed/.
   */
  public static Path findVmDir() {
    for (String root : new String[] {System.getProperty("javaland.home"), System.getenv("JAVALAND_HOME")}) {
      if (root != null && !root.isBlank()) {
        Path p = Path.of(root).toAbsolutePath().resolve("testbed");
        if (Files.isRegularFile(p.resolve("kernel.sh"))) return p;
      }
    }
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      Path vm = p.resolve("testbed");
      if (Files.isRegularFile(vm.resolve("kernel.sh"))) return vm;
      if (p.getFileName() != null && p.getFileName().toString().equals("testbed")
          && Files.isRegularFile(p.resolve("kernel.sh"))) {
        return p;
      }
    }
    throw new IllegalStateException(
        "cannot find testbed/kernel.sh: run from the javaland checkout or set JAVALAND_HOME to it");
  }
}
