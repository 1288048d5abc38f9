package javaland.cli;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import javaland.testbed.ScenarioResult;
import javaland.testbed.TcgThreads;
import javaland.testbed.VmOptions;
import javaland.testbed.VmTestBed;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

@Command(name = "vm", description = {
    "Boot Debian's sched_ext kernel under qemu (software emulation) and run scenarios there.",
    "Scenarios: smoke (attach, mixed workload, SIGTERM), kill (kill -9 under load), faults (SysRq-S unloads: restarts, then exit 4), "
    + "bench (sysbench throughput and cyclictest wakeup latency, javaland against the default scheduler), "
    + "rules (classification rules on latency), canary (REST API, learner, guard revert), "
    + "fidelity (a recorded trace replayed on the simulated kernel against the kernel's own figures).",
    "bench, rules and fidelity boot with one host thread per vCPU (they measure timing), the others with one "
    + "host thread for all vCPUs, which TCG's text-patching race cannot strike (see testbed/README.md).",
    "Prints each scenario's JSON, then, as the last line, one JSON object for all of them."})
final class VmCommand implements Callable<Integer> {
  @Option(names = "--scenario", split = ",", defaultValue = "smoke,kill",
      description = "Scenarios to run, comma separated, in one boot per TCG mode. Default: ${DEFAULT-VALUE}.")
  List<String> scenarios;

  @Option(names = "--jar", description = "The javaland jar to run in the guest. Default: this one.")
  Path jar;

  @Option(names = "--timeout", converter = DurationConverter.class, defaultValue = "15m",
      description = "Longest one boot may take. Default: ${DEFAULT-VALUE}.")
  Duration timeout;

  @Option(names = "--no-retry", description = "Do not boot again after a guest crash.")
  boolean noRetry;

  @Option(names = "--tcg", paramLabel = "auto|single|multi", defaultValue = "auto", converter = TcgConverter.class,
      description = "How qemu runs the vCPUs: auto (per scenario, as above), single or multi for every boot. Default: ${DEFAULT-VALUE}.")
  TcgThreads tcg = TcgThreads.AUTO;

  @Option(names = "--param", paramLabel = "KEY=VALUE",
      description = "A guest parameter, e.g. --param workload_s=30 --param bench_s=20 (see testbed/README.md).")
  java.util.Map<String, String> params = new java.util.LinkedHashMap<>();

  @Option(names = "--package", paramLabel = "TARBALL",
      description = {"The tarball of ./javaland package, unpacked over the guest's root (/usr/bin/javaland, /usr/lib/javaland, the units, "
          + "/etc/javaland): smoke then also runs javaland.service's ExecStartPre and ExecStart lines as the unit file has them "
          + "(the guest has no systemd). ./javaland test passes the package it built."})
  Path packageTarball;

  @Override
  public Integer call() throws Exception {
    Path theJar = jar != null ? jar : ownJar();
    if (!Files.isRegularFile(theJar)) throw new IllegalArgumentException("--jar " + theJar + " is not a file");
    VmOptions opts = VmOptions.of(scenarios, theJar).withTimeout(timeout).withRetry(!noRetry)
        .withTcg(tcg);
    if (packageTarball != null) {
      // one fixed folder: the initramfs is cached per extra folder, and rebuilt when its files change
      opts = opts.withExtraDir(PackageTree.unpack(packageTarball, opts.cacheDir().resolve("vm/package-tree")))
          .withGuestParam("package", "1");
    }
    for (var e : params.entrySet()) opts = opts.withGuestParam(e.getKey(), e.getValue());
    List<ScenarioResult> results = VmTestBed.run(opts, System.err);
    if (results.size() > 1) for (ScenarioResult r : results) System.out.println(r.toJson());
    long passed = results.stream().filter(ScenarioResult::pass).count();
    System.err.println("vm: " + passed + " passed, " + (results.size() - passed) + " failed");
    // The last line is one JSON object: the scenario's own when there is one, else the summary.
    System.out.println(results.size() == 1 ? results.get(0).toJson() : VmTestBed.summaryJson(results));
    return VmTestBed.allPass(results) ? 0 : 1;
  }

  private static Path ownJar() {
    try {
      Path p = Path.of(VmCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      if (!p.toString().endsWith(".jar")) {
        throw new IllegalStateException("not running from a jar (" + p + "): pass --jar cli/target/javaland.jar");
      }
      return p;
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static final class TcgConverter implements ITypeConverter<TcgThreads> {
    @Override
    public TcgThreads convert(String s) {
      try {
        return TcgThreads.parse(s);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException("'" + s + "' is not one of auto, single, multi");
      }
    }
  }
}
