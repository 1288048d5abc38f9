package javaland.lab.experiment;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Where results came from, for the report: javaland's version, the git commit of its checkout
 * (with "-dirty" if tracked files changed), when, and on what. Kept out of results.json, which
 * must not change from one run of the same spec to the next.
 */
public record Provenance(String version, String gitCommit, String date, String java, int hostCpus) {

  /**
   * Now, for {@code version}; the commit of the first of {@code $JAVALAND_HOME}, the working
   * directory and {@code elsewhere} (e.g. the spec's directory) that git knows.
   */
  public static Provenance now(String version, Path... elsewhere) {
    List<Path> dirs = new ArrayList<>();
    String home = System.getenv("JAVALAND_HOME");
    if (home != null && !home.isEmpty()) dirs.add(Path.of(home));
    dirs.add(Path.of("").toAbsolutePath());
    dirs.addAll(Arrays.asList(elsewhere));
    String commit = "unknown";
    for (Path d : dirs) {
      commit = gitCommit(d);
      if (!commit.equals("unknown")) break;
    }
    return new Provenance(version == null ? "dev" : version, commit,
        Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(), System.getProperty("java.version", "?"),
        Runtime.getRuntime().availableProcessors());
  }

  /** The commit checked out at {@code dir}, or "unknown". */
  static String gitCommit(Path dir) {
    String head = git(dir, "rev-parse", "HEAD");
    if (head == null || !head.matches("[0-9a-f]{40}")) return "unknown";
    String status = git(dir, "status", "--porcelain", "--untracked-files=no");
    return head + (status != null && !status.isEmpty() ? "-dirty" : "");
  }

  private static String git(Path dir, String... args) {
    String[] cmd = new String[args.length + 3];
    cmd[0] = "git";
    cmd[1] = "-C";
    cmd[2] = dir.toString();
    System.arraycopy(args, 0, cmd, 3, args.length);
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(false).redirectError(ProcessBuilder.Redirect.DISCARD).start();
      p.getOutputStream().close();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return null;
      }
      return p.exitValue() == 0 ? new String(out, StandardCharsets.UTF_8).trim() : null;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }
}
