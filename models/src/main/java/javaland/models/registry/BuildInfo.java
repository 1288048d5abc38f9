package javaland.models.registry;

import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;
import java.util.Properties;

/**
 * The build of javaland that is running: its version and the git commit it was built from. The
 * build writes them into {@value #RESOURCE} ({@code scripts/build-info.sh}, run by Maven in the
 * models module's generate-resources phase, from {@code git rev-parse HEAD} of the source tree),
 * so a jar knows its commit wherever it runs, without a checkout.
 *
 * @param version the Maven version ({@code 0.1.0-SNAPSHOT})
 * @param commit the 40-digit commit, or {@code unknown}
 * @param dirty tracked files differed from that commit when it was built
 * @param note why the commit is unknown ({@code not built from a git checkout}), or that it is
 *     dirty; "" when neither
 */
public record BuildInfo(String version, String commit, boolean dirty, String note) {
  public static final String RESOURCE = "/javaland/models/build.properties";
  public static final String UNKNOWN = "unknown";

  private static final BuildInfo CURRENT = read();

  public BuildInfo {
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(commit, "commit");
    note = note == null ? "" : note;
  }

  /** This build's, read once from the class path. */
  public static BuildInfo current() {
    return CURRENT;
  }

  /** {@code 0.1.0-SNAPSHOT at 1e2f1b9c... (dirty)}, {@code dev at unknown commit (not built from a git checkout)} */
  public String describe() {
    return version + (commit.equals(UNKNOWN) ? " at unknown commit" : " at " + commit) + (dirty ? " (dirty)" : "")
        + (note.isEmpty() || dirty ? "" : " (" + note + ")");
  }

  static BuildInfo read() {
    try (InputStream in = BuildInfo.class.getResourceAsStream(RESOURCE)) {
      if (in == null) return new BuildInfo("dev", UNKNOWN, false, RESOURCE + " is not on the class path (not built by Maven)");
      Properties p = new Properties();
      p.load(in);
      return of(p);
    } catch (IOException e) {
      return new BuildInfo("dev", UNKNOWN, false, "cannot read " + RESOURCE + ": " + e.getMessage());
    }
  }

  static BuildInfo of(Properties p) {
    String commit = p.getProperty("commit", "").trim();
    String note = p.getProperty("note", "").trim();
    if (!commit.matches("[0-9a-f]{40}")) {
      if (note.isEmpty()) note = commit.isEmpty() ? "the build recorded no commit" : "the build recorded '" + commit + "', not a commit";
      commit = UNKNOWN;
    }
    return new BuildInfo(p.getProperty("version", "dev").trim(), commit, Boolean.parseBoolean(p.getProperty("dirty", "false").trim()),
        note);
  }
}
