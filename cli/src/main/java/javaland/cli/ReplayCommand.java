package javaland.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import javaland.lab.replay.Replay;
import javaland.lab.replay.ReplayResult;
import javaland.lab.replay.TraceWorkload;
import javaland.sdk.CpuTopology;
import javaland.runtime.kernel.sim.SimConfig;
import javaland.runtime.policy.PolicyCatalog;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

@Command(name = "replay", description = {
    "Replay a scheduling trace under a policy on the simulated kernel, as fast as "
    + "it goes: each task's CPU bursts, sleeps and wakeups by other traced tasks "
    + "(see docs/replay.md). The trace is a javaland trace (.jlt) or the text of "
    + "ftrace (trace, trace_pipe), trace-cmd report, perf script or perf sched "
    + "timehist; the format is detected.",
    "Prints a summary; with --json the last line is one JSON object.",
    "Exit code 0; 1 if the simulated kernel ended in a stall or a deadlock; "
    + "2 for bad input (file, policy, parameter, malformed trace)."})
final class ReplayCommand implements Callable<Integer> {
  @picocli.CommandLine.Mixin
  PolicyJars policyJars = new PolicyJars();

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
  boolean help;

  @Option(names = "--trace", required = true, paramLabel = "FILE", description = "The trace to replay.")
  Path trace;

  @Option(names = "--policy", defaultValue = PolicyCatalog.DEFAULT, completionCandidates = RunCommand.PolicyNames.class,
      description = "Scheduling policy: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  String policy;

  @Option(names = "--set", paramLabel = "KEY=VALUE",
      description = "Set a policy or kernel parameter, e.g. --set slice_max_us=10000 --set kernel.rescue_ms=50.")
  Map<String, String> settings = new LinkedHashMap<>();

  @Option(names = "--cpus", defaultValue = "0", description = "Simulated CPUs (default: as many as the trace's machine had).")
  int cpus;

  @Option(names = "--seed", defaultValue = "1", description = "The workload's seed (a trace has no randomness of its own). Default ${DEFAULT-VALUE}.")
  long seed;

  @Option(names = "--json", description = "Print one JSON object with every metric as the last line.")
  boolean json;

  @Option(names = "--roundtrip-us", defaultValue = "-1",
      description = "The simulated user-space round trip, fixed part, in us (default: the simulator's). The VM's"
          + " fidelity scenario passes the round trip the recorded run measured.")
  double roundTripUs;

  @Option(names = "--decide-us", defaultValue = "-1",
      description = "The simulated decision cost per task of a batch, in us (default: the simulator's).")
  double decideUs;

  @Option(names = "--tick-us", defaultValue = "0",
      description = "The recorded kernel's tick (1 s / CONFIG_HZ) in us: slices then end at the first tick after they"
          + " run out, as on sched_ext (default 0: to the ns). The VM's fidelity scenario passes the guest's.")
  double tickUs;

  @Option(names = "--strict", description = "Fail on the first malformed line (default: skip and count it).")
  boolean strict;

  @Option(names = "--no-wakeup-edges", description = "Replay every wakeup as a timed sleep, not as a dependency on its waker.")
  boolean noWakeupEdges;

  @Option(names = "--progress", converter = DurationConverter.class, defaultValue = "2s",
      description = "Report progress on stderr this often (0 to turn off). Default ${DEFAULT-VALUE}.")
  Duration progress;

  @Override
  public Integer call() throws Exception {
    policyJars.install();
    Map<String, Double> values = Settings.parse(settings);
    Replay.validate(policy, values); // an unknown policy or parameter is refused before a long read
    if (cpus < 0 || cpus > 4096) throw new IllegalArgumentException("--cpus must be within 1..4096, got " + cpus);
    if (!Files.exists(trace)) throw new IllegalArgumentException("--trace " + trace + ": no such file");
    if (!Files.isRegularFile(trace)) throw new IllegalArgumentException("--trace " + trace + ": not a regular file");
    if (!Files.isReadable(trace)) throw new IllegalArgumentException("--trace " + trace + ": not readable");
    PrintWriter err = spec.commandLine().getErr();
    long every = progress.isZero() || progress.isNegative() ? Long.MAX_VALUE : progress.toNanos();

    TraceWorkload.Options load = TraceWorkload.Options.defaults().withStrict(strict).withWakeupEdges(!noWakeupEdges);
    if (every != Long.MAX_VALUE) {
      load = load.withProgress(p -> {
        err.printf(Locale.ROOT, "javaland: replay: reading %s: %.0f%% (%d events) after %.1f s%n", p.source(),
            p.fraction() * 100, p.events(), p.elapsedNs() / 1e9);
        err.flush();
      }, every);
    }
    TraceWorkload tw = TraceWorkload.load(trace, load);
    TraceWorkload.TraceInfo info = tw.info();
    System.out.printf(Locale.ROOT, "javaland: replay: read %s in %.2f s%n", tw.describe(), tw.loadNs() / 1e9);
    if (info.skippedLines() > 0) {
      err.println("javaland: replay: skipped " + info.skippedLines() + " malformed lines (--strict refuses them)"
          + (info.errors().isEmpty() ? "" : "; the first: " + info.errors().getFirst()));
    }
    if (info.truncated()) err.println("javaland: replay: " + trace + " ends without its end record; read up to its last whole chunk");
    if (info.lostEvents() > 0 || info.lostMarkers() > 0) {
      err.println("javaland: replay: the tracer lost " + info.lostEvents() + " events (" + info.lostMarkers()
          + " markers): the model is incomplete around them");
    }
    err.flush();

    Replay.Options opts = Replay.Options.defaults().withCpus(cpus).withSeed(seed);
    if (tickUs < 0) throw new CommandLine.ParameterException(spec.commandLine(), "--tick-us must be >= 0, got " + tickUs);
    if (roundTripUs >= 0 || decideUs >= 0 || tickUs > 0) {
      SimConfig base = SimConfig.of(cpus == 0 || cpus == tw.nrCpus() ? tw.topology() : CpuTopology.flat(cpus));
      opts = opts.withConfig(base.withRoundTrip(roundTripUs >= 0 ? Math.round(roundTripUs * 1000) : base.roundTripNs(),
          decideUs >= 0 ? Math.round(decideUs * 1000) : base.decideNsPerTask()).withTick(Math.round(tickUs * 1000)));
    }
    if (every != Long.MAX_VALUE) {
      opts = opts.withProgress((virtualNs, spanNs, events, elapsedNs) -> {
        err.printf(Locale.ROOT, "javaland: replay: simulated %.3f s of a %.3f s trace (%d events) after %.1f s%n",
            virtualNs / 1e9, spanNs / 1e9, events, elapsedNs / 1e9);
        err.flush();
      }, every);
    }
    long t0 = System.nanoTime();
    ReplayResult r = Replay.run(tw, policy, values, opts);
    long wall = System.nanoTime() - t0;
    System.out.print(r.format());
    System.out.printf(Locale.ROOT, "javaland: replay: simulated %d events in %.2f s (%.1f million a second)%n",
        r.simEvents(), wall / 1e9, r.simEvents() / Math.max(1.0, wall / 1e3));
    if (json) System.out.println(r.toJson());
    System.out.flush();
    return r.failed() ? 1 : 0;
  }

}
