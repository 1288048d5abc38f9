package javaland.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The javaland command line. The ./javaland script builds it and passes its arguments here. */
@Command(name = "javaland", mixinStandardHelpOptions = true, versionProvider = VersionCommand.Provider.class,
    description = "A sched_ext CPU scheduler whose decisions are made in Java.",
    subcommands = {RunCommand.class, LearnCommand.class, ReplayCommand.class, ExperimentCommand.class, TrainCommand.class, VmCommand.class, TestCommand.class, VersionCommand.class, StatsCommand.class,
        javaland.cli.policy.PolicyCommand.class})
public final class Main implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  /** Exit code of a usage or configuration error (picocli's own); the others are {@link javaland.runtime.RunOutcome}'s. */
  static final int USAGE = CommandLine.ExitCode.USAGE;

  /** A command that failed after its input was accepted: exit code 1, not a usage error. */
  static final class Failed extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Failed(RuntimeException cause) {
      super(cause.getMessage(), cause);
    }
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new Main());
    withHelp(cl, cl.getCommandSpec().versionProvider());
    cl.setExecutionExceptionHandler((ex, line, parsed) -> {
      line.getErr().println("javaland: " + ex.getMessage());
      if (System.getenv("JAVALAND_DEBUG") != null) ex.printStackTrace(line.getErr());
      return exitCode(ex);
    });
    return cl;
  }

  /**
   * 1 for a failure after the input was accepted: {@link Failed}, and the runtime's API not
   * reached or failing itself (no answer, 5xx); 2 for everything else: a bad option, file or
   * value, and a request the API refused as asked (4xx: bad values, token, a conflict).
   */
  static int exitCode(Exception ex) {
    if (ex instanceof Failed) return javaland.runtime.RunOutcome.FAILED;
    if (ex instanceof javaland.api.ApiException a && (a.status() == 0 || a.status() >= 500)) return javaland.runtime.RunOutcome.FAILED;
    return USAGE;
  }

  /** {@code -h/--help} (and {@code -V/--version}) on every command, however deep, unless it declares its own. */
  private static void withHelp(CommandLine cl, CommandLine.IVersionProvider version) {
    CommandLine.Model.CommandSpec spec = cl.getCommandSpec();
    if (spec.findOption("--help") == null) {
      spec.mixinStandardHelpOptions(true);
      if (spec.versionProvider() == null) spec.versionProvider(version);
    }
    for (CommandLine sub : cl.getSubcommands().values()) withHelp(sub, version);
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
