package javaland.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javaland.runtime.config.Dirs;
import javaland.testbed.VmOptions;
import org.junit.jupiter.api.Test;

/**
 * Where files go ({@link Dirs}), and that the others who name these directories agree with it:
 * the package's units, the launcher's cache, the test bed's cache.
 */
class StateDirsTest {
  private static final Path HOME = Path.of(System.getProperty("user.home"));

  @Test
  void rootKeepsEverythingUnderVarLibJavalandOthersUnderTheXdgDirectories() {
    assertEquals(Path.of("/var/lib/javaland"), Dirs.state(Map.of("XDG_STATE_HOME", "/s"), true));
    assertEquals(Path.of("/var/lib/javaland/learner"), Dirs.learnerState(Map.of(), true));
    assertEquals(Path.of("/s/javaland"), Dirs.state(Map.of("XDG_STATE_HOME", "/s"), false));
    assertEquals(Path.of("/s/javaland/learner"), Dirs.learnerState(Map.of("XDG_STATE_HOME", "/s"), false));
    assertEquals(HOME.resolve(".local/state/javaland"), Dirs.state(Map.of(), false));
    assertEquals(HOME.resolve(".local/state/javaland"), Dirs.state(Map.of("XDG_STATE_HOME", "relative"), false),
        "the XDG spec ignores a relative path");

    assertEquals(Path.of("/own"), Dirs.cache(Map.of("JAVALAND_CACHE", "/own", "XDG_CACHE_HOME", "/c")));
    assertEquals(Path.of("/c/javaland"), Dirs.cache(Map.of("XDG_CACHE_HOME", "/c")));
    assertEquals(HOME.resolve(".cache/javaland"), Dirs.cache(Map.of()));
    assertEquals(Dirs.cache(System.getenv()), VmOptions.defaultCacheDir(), "the test bed repeats the rule: the same answer");
  }

  @Test
  void thePackagesUnitsUseTheSameDirectories() throws Exception {
    String runtime = Files.readString(Path.of("../packaging/systemd/javaland.service"));
    String learner = Files.readString(Path.of("../packaging/systemd/javaland-learner.service"));
    assertEquals(Dirs.SYSTEM_STATE.toString(), option(runtime, "--registry"));
    assertTrue(runtime.contains("\nStateDirectory=" + Path.of("/var/lib").relativize(Dirs.SYSTEM_STATE) + "\n"), runtime);
    Path learnerState = Dirs.learnerState(Map.of(), true);
    assertEquals(learnerState.toString(), option(learner, "--state-dir"));
    assertTrue(learner.contains("\nStateDirectory=" + Path.of("/var/lib").relativize(learnerState) + "\n"), learner);
  }

  @Test
  void theLaunchersCacheFollowsXdgCacheHomeToo() throws Exception {
    List<String> lines = Files.readAllLines(Path.of("../javaland")).stream()
        .filter(l -> l.contains("cache_home=") || l.startsWith("export JAVALAND_CACHE=")).toList();
    assertEquals(2, lines.size(), "the launcher declares the cache in two lines: " + lines);
    String script = String.join("\n", lines) + "\necho \"$JAVALAND_CACHE\"";
    assertEquals("/c/javaland", bash(script, Map.of("HOME", "/h", "XDG_CACHE_HOME", "/c")));
    assertEquals("/h/.cache/javaland", bash(script, Map.of("HOME", "/h")));
    assertEquals("/h/.cache/javaland", bash(script, Map.of("HOME", "/h", "XDG_CACHE_HOME", "rel")));
    assertEquals("/own", bash(script, Map.of("HOME", "/h", "XDG_CACHE_HOME", "/c", "JAVALAND_CACHE", "/own")));
  }

  private static String option(String unit, String name) {
    Matcher m = Pattern.compile("(?m)^ExecStart=.* " + Pattern.quote(name) + " (\\S+)").matcher(unit);
    assertTrue(m.find(), "ExecStart= passes " + name + ":\n" + unit);
    return m.group(1);
  }

  private static String bash(String script, Map<String, String> env) throws Exception {
    ProcessBuilder pb = new ProcessBuilder("bash", "-c", script).redirectErrorStream(true);
    pb.environment().clear();
    pb.environment().putAll(env);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertEquals(0, p.waitFor(), out);
    return out;
  }
}
