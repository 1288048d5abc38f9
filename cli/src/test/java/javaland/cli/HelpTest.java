package javaland.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;

import org.junit.jupiter.api.Test;

/** Every command, however deep, answers --help and -h with its usage and exit code 0, and runs nothing. */
class HelpTest {
  private static void paths(CommandLine cl, List<String> prefix, List<List<String>> out) {
    for (var e : cl.getSubcommands().entrySet()) {
      if (!e.getKey().equals(e.getValue().getCommandName())) continue; // an alias: seen under its name
      List<String> p = new ArrayList<>(prefix);
      p.add(e.getKey());
      out.add(p);
      paths(e.getValue(), p, out);
    }
  }

  @Test
  void everyCommandAnswersHelp() {
    List<List<String>> all = new ArrayList<>();
    paths(Main.commandLine(), List.of(), all);
    assertTrue(all.size() >= 20, "commands found: " + all);
    for (List<String> path : all) {
      for (String flag : List.of("--help", "-h")) {
        List<String> args = new ArrayList<>(path);
        args.add(flag);
        CliRun r = CliRun.run(args.toArray(String[]::new));
        String what = String.join(" ", args);
        assertEquals(0, r.code(), what + ": " + r.err());
        assertTrue(r.out().startsWith("Usage: javaland " + String.join(" ", path)), what + " printed: " + r.out());
        assertTrue(r.err().isBlank(), what + " wrote to stderr: " + r.err());
      }
    }
  }

  @Test
  void runHelpListsItsOptions() {
    CliRun r = CliRun.run("run", "--help");
    assertEquals(0, r.code(), r.err());
    for (String opt : List.of("--policy", "--set", "--duration", "--policy-jar", "--help")) {
      assertTrue(r.out().contains(opt), "run --help lacks " + opt + ": " + r.out());
    }
  }

  /**
   * picocli prints each element of a description on a line of its own: an element that stops
   * mid-sentence broke the paragraph at a fixed place whatever the terminal's width
   * ("... seeds, as" / "described by ...").
   */
  @Test
  void everyDescriptionLineIsAWholeSentence() {
    List<List<String>> all = new ArrayList<>();
    paths(Main.commandLine(), List.of(), all);
    for (List<String> path : all) {
      CommandLine cl = Main.commandLine();
      for (String name : path) cl = cl.getSubcommands().get(name);
      for (String line : cl.getCommandSpec().usageMessage().description()) {
        String t = line.strip();
        assertTrue(t.endsWith(".") || t.endsWith(".)") || t.endsWith(":"),
            "javaland " + String.join(" ", path) + ": a description element stops mid-sentence: " + t);
      }
    }
  }
}
