package javaland.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;

/**
 * javaland(1) in roff, made from the command tree's own usage help, so that a new command or
 * option cannot be missing from it. picocli-codegen's ManPageGenerator is not in the offline
 * Maven cache, hence this small one (run by scripts/package.sh; not a command).
 */
public final class ManPage {
  private ManPage() {}

  public static void main(String[] args) {
    write(Main.commandLine(), args.length > 0 ? args[0] : VersionCommand.version(), System.out);
  }

  static void write(CommandLine top, String version, PrintStream out) {
    out.println(".TH JAVALAND 1 \"\" \"javaland " + esc(version) + "\" \"User Commands\"");
    out.println(".SH NAME");
    out.println("javaland \\- " + esc(String.join(" ", top.getCommandSpec().usageMessage().description())));
    out.println(".SH FILES");
    out.println(".TP\n/etc/javaland/javaland.yaml\nthe options of \\fBjavaland run\\fR (keys: its long options without dashes).");
    out.println(".TP\n/var/lib/javaland\nthe registry of javaland.service (and of javaland run as root): parameter versions,"
        + " audit log, rules; learner/ holds the online learner's decision log.");
    out.println(".SH EXIT STATUS");
    out.println("0 done; 1 failed; 2 usage or configuration error (nothing was started); "
        + "3 the kernel unloaded the scheduler.");
    List<CommandLine> all = new ArrayList<>();
    all.add(top);
    collect(top, all);
    for (CommandLine c : all) {
      out.println(".SH " + esc(c.getCommandSpec().qualifiedName().toUpperCase(java.util.Locale.ROOT)));
      StringWriter usage = new StringWriter();
      c.usage(new PrintWriter(usage), CommandLine.Help.Ansi.OFF);
      out.println(".nf");
      for (String line : usage.toString().split("\n")) out.println(esc(line));
      out.println(".fi");
    }
  }

  private static void collect(CommandLine cl, List<CommandLine> out) {
    for (var e : cl.getSubcommands().entrySet()) {
      if (!e.getKey().equals(e.getValue().getCommandName())) continue; // an alias
      out.add(e.getValue());
      collect(e.getValue(), out);
    }
  }

  /** roff: a backslash is an escape, a leading dot or quote a request. */
  private static String esc(String s) {
    String t = s.replace("\\", "\\e");
    return t.startsWith(".") || t.startsWith("'") ? "\\&" + t : t;
  }
}
