package javaland.runtime.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where javaland keeps its files, declared once: the registry (and rules), the learner's state and
 * the download cache. As root, {@code /var/lib/javaland}, as the package's units have it
 * ({@code StateDirectory=javaland}, {@code javaland/learner}); otherwise the XDG base directories.
 * The {@code ./javaland} launcher sets {@code JAVALAND_CACHE} to the same cache for its scripts.
 */
public final class Dirs {
  /** The system state directory: the registry of a scheduler run as root or as the service. */
  public static final Path SYSTEM_STATE = Path.of("/var/lib/javaland");
  /** The learner's directory inside a state directory. */
  public static final String LEARNER = "learner";

  private Dirs() {}

  /**
   * The registry directory: {@link #SYSTEM_STATE} as root, else {@code $XDG_STATE_HOME/javaland},
   * else {@code ~/.local/state/javaland}.
   */
  public static Path state(Map<String, String> env, boolean root) {
    if (root) return SYSTEM_STATE;
    return xdg(env, "XDG_STATE_HOME", Path.of(".local", "state")).resolve("javaland");
  }

  /** The online learner's decision log and audit: {@code learner/} in {@link #state}. */
  public static Path learnerState(Map<String, String> env, boolean root) {
    return state(env, root).resolve(LEARNER);
  }

  /** Downloads (Maven, Debian packages, the VM kernel): {@code $JAVALAND_CACHE}, else {@code $XDG_CACHE_HOME/javaland}, else {@code ~/.cache/javaland}. */
  public static Path cache(Map<String, String> env) {
    String own = env.get("JAVALAND_CACHE");
    if (own != null && !own.isBlank()) return Path.of(own);
    return xdg(env, "XDG_CACHE_HOME", Path.of(".cache")).resolve("javaland");
  }

  /** Whether this process runs as root (effective uid 0). */
  public static boolean root() {
    try {
      return Files.readAllLines(Path.of("/proc/self/status")).stream()
          .anyMatch(l -> l.startsWith("Uid:") && l.split("\\s+")[2].equals("0"));
    } catch (IOException e) {
      return false;
    }
  }

  /** An XDG base directory: the variable when it holds an absolute path (the spec ignores others), else {@code ~/fallback}. */
  private static Path xdg(Map<String, String> env, String variable, Path fallback) {
    String v = env.get(variable);
    if (v != null && v.startsWith("/")) return Path.of(v);
    return Path.of(System.getProperty("user.home")).resolve(fallback);
  }
}
