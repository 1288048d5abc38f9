package javaland.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import javaland.lab.experiment.Experiment;
import javaland.lab.experiment.ExperimentSpec;
import javaland.lab.experiment.AutotuneSpec;
import javaland.lab.experiment.LearnerSpec;
import javaland.lab.experiment.Progress;
import javaland.lab.experiment.Provenance;
import javaland.lab.experiment.RollbackSpec;
import javaland.lab.experiment.Spec;
import javaland.lab.experiment.SpecException;
import javaland.lab.learn.AutotuneExperiment;
import javaland.lab.learn.LearnerExperiment;
import javaland.lab.learn.RollbackExperiment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "experiment", description = {
    "Run an experiment on the simulated kernel: policies x parameter points x workloads x seeds, as "
    + "described by a YAML spec (see docs/experiments.md and lab/specs/). Prints a table of "
    + "medians over the seeds and writes results.csv, results.json, PNG charts and report.html.",
    "The spec is checked whole first; errors name the key and the line, and nothing runs."})
final class ExperimentCommand implements Callable<Integer> {
  @picocli.CommandLine.Mixin
  PolicyJars policyJars = new PolicyJars();

  @Parameters(index = "0", paramLabel = "SPEC.yaml", description = "The experiment spec.")
  Path spec;

  @Option(names = {"-o", "--output"}, paramLabel = "DIR",
      description = "Output directory. Default: the spec's output:, else experiments-out/NAME.")
  Path output;

  @Option(names = "--threads", defaultValue = "0",
      description = "Simulations run at once (0: one per available processor). Results do not depend on it.")
  int threads;

  @Option(names = "--progress", defaultValue = "auto", paramLabel = "auto|bar|lines|none",
      description = "Progress on stderr: a bar on a terminal, lines otherwise (default ${DEFAULT-VALUE}).")
  String progress;

  @Option(names = "--check", description = "Only validate the spec and say how many runs it makes.")
  boolean check;

  @Option(names = "--json", description = "Print, as the last line, one JSON object summarising the experiment.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    policyJars.install();
    if (threads < 0) throw new IllegalArgumentException("--threads must be >= 0, got " + threads);
    Progress.Mode mode;
    try {
      mode = Progress.Mode.valueOf(progress.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--progress " + progress + ": choose auto, bar, lines or none");
    }
    Spec any;
    try {
      any = Spec.load(spec);
    } catch (SpecException e) {
      if (!json) throw e;
      System.err.println("javaland: " + e.getMessage());
      System.out.println(errorJson(e));
      return 2;
    }
    Experiment.Options opts = new Experiment.Options(output, threads, mode, System.err,
        Provenance.now(VersionCommand.version(), spec.toAbsolutePath().getParent()));
    if (any instanceof LearnerSpec l) return learner(l, opts);
    if (any instanceof RollbackSpec r) return rollback(r, opts);
    if (any instanceof AutotuneSpec a) return autotune(a, opts);
    ExperimentSpec s = (ExperimentSpec) any;
    if (check) {
      System.out.println("spec " + spec + " is valid: " + s.runs() + " runs (" + s.variants().size() + " variants x "
          + s.workloads().size() + " workloads x " + s.seeds().size() + " seeds)");
      if (json) {
        System.out.println(new ObjectMapper().createObjectNode().put("experiment", s.name()).put("valid", true)
            .put("runs", s.runs()));
      }
      return 0;
    }
    Experiment.Outcome o = Experiment.run(s, opts);
    System.out.print(o.tableText());
    System.out.printf(Locale.ROOT, "%d runs in %.1f s on %d threads; wrote %s (results.csv, results.json, report.html, %d charts)%n",
        o.runs().size(), o.wallSeconds(), o.threads(), o.dir(), o.plots().size());
    for (String w : o.warnings()) System.err.println("javaland: warning: " + w);
    if (json) System.out.println(o.summaryJson());
    return 0;
  }

  /** kind: learner. Exit code 1 when the learner did not reach the target. */
  private int learner(LearnerSpec l, Experiment.Options opts) throws Exception {
    if (check) {
      System.out.println("spec " + spec + " is valid: a learner spec, " + l.workloads().size() + " workloads x "
          + l.algorithms().size() + " algorithms x " + l.seeds().size() + " seeds x " + l.windows() + " windows");
      if (json) System.out.println(new ObjectMapper().createObjectNode().put("experiment", l.name()).put("kind", "learner").put("valid", true));
      return 0;
    }
    LearnerExperiment.Outcome o = LearnerExperiment.run(l, opts);
    System.out.print(o.text());
    System.out.println("wrote " + o.dir() + " (results.json, report.html, " + o.plots().size() + " charts)");
    for (String w : o.warnings()) System.err.println("javaland: warning: " + w);
    if (json) System.out.println(o.summaryJson());
    return o.result().passed() ? 0 : 1;
  }

  /** kind: rollback. Exit code 1 when the harmful set was not reverted within the bound. */
  private int rollback(RollbackSpec r, Experiment.Options opts) throws Exception {
    if (check) {
      System.out.println("spec " + spec + " is valid: a rollback spec, " + r.workload() + " on " + r.topology().nrCpus()
          + " CPUs, windows of " + r.window().toMillis() + " ms");
      if (json) System.out.println(new ObjectMapper().createObjectNode().put("experiment", r.name()).put("kind", "rollback").put("valid", true));
      return 0;
    }
    RollbackExperiment.Outcome o = RollbackExperiment.run(r, opts);
    System.out.print(o.text());
    System.out.println("wrote " + o.dir() + " (results.json, report.html)");
    if (json) System.out.println(o.summaryJson());
    return o.result().passed() ? 0 : 1;
  }

  /** kind: autotune. Exit code 1 when a target was not met. */
  private int autotune(AutotuneSpec a, Experiment.Options opts) throws Exception {
    if (check) {
      System.out.println("spec " + spec + " is valid: an autotune spec, " + a.workloads().size() + " workloads x ("
          + a.phaseWindows() + " + " + a.windows() + " + " + a.phaseWindows() + ") windows");
      if (json) System.out.println(new ObjectMapper().createObjectNode().put("experiment", a.name()).put("kind", "autotune").put("valid", true));
      return 0;
    }
    AutotuneExperiment.Outcome o = AutotuneExperiment.run(a, opts);
    System.out.print(o.text());
    System.out.println("wrote " + o.dir() + " (results.json, results.csv, report.html, " + o.plots().size() + " charts)");
    for (String w : o.warnings()) System.err.println("javaland: warning: " + w);
    if (json) System.out.println(o.summaryJson());
    return o.result().passed() ? 0 : 1;
  }

  private static String errorJson(SpecException e) {
    ObjectNode o = new ObjectMapper().createObjectNode().put("valid", false).put("error", e.getMessage());
    ArrayNode ps = o.putArray("problems");
    for (SpecException.Problem p : e.problems()) {
      ps.addObject().put("file", p.file()).put("line", p.line()).put("key", p.key()).put("message", p.message());
    }
    return o.toString();
  }
}
