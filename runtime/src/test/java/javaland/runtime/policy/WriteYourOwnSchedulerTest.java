package javaland.runtime.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import javaland.runtime.kernel.sim.SimConfig;
import javaland.runtime.kernel.sim.SimKernel;
import javaland.runtime.kernel.sim.SimMetrics;
import javaland.runtime.kernel.sim.Workloads;
import javaland.sdk.Policy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scheduler in docs/write-your-own-scheduler.md, exactly as the page shows it: compiled
 * outside the source tree against the SDK alone, packed into a jar with its service file, found
 * by {@link PolicyCatalog} from that jar and run on the simulated kernel.
 */
class WriteYourOwnSchedulerTest {
  static final Path DOC = Path.of("..", "docs", "write-your-own-scheduler.md");

  /** The page's one Java block and the class it declares. */
  record Example(String source, String className) {
    static Example fromDoc() throws IOException {
      String doc = Files.readString(DOC);
      Matcher m = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL).matcher(doc);
      assertTrue(m.find(), DOC + " has no ```java block");
      String src = m.group(1);
      assertTrue(!m.find(), DOC + " should show one whole file, in one ```java block");
      Matcher pkg = Pattern.compile("^package ([\\w.]+);", Pattern.MULTILINE).matcher(src);
      Matcher cls = Pattern.compile("public final class (\\w+)").matcher(src);
      assertTrue(pkg.find() && cls.find(), "the block declares a package and a public class");
      return new Example(src, pkg.group(1) + "." + cls.group(1));
    }
  }

  /** Compiles the page's scheduler against the SDK's classes alone and packs it into a jar. */
  static Path buildJar(Path dir) throws Exception {
    Example ex = Example.fromDoc();
    Path src = dir.resolve("src").resolve(ex.className().replace('.', '/') + ".java");
    Files.createDirectories(src.getParent());
    Files.writeString(src, ex.source());
    Path out = Files.createDirectories(dir.resolve("out"));
    Path sdk = Path.of(Policy.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    StringBuilder diagnostics = new StringBuilder();
    int rc = javac.run(null, null, new OutputStream() {
      @Override
      public void write(int b) {
        diagnostics.append((char) b);
      }
    }, "--release", "25", "-Xlint:all", "-Werror", "-classpath", sdk.toString(), "-d", out.toString(), src.toString());
    assertEquals(0, rc, "the page's scheduler compiles against " + sdk + " alone:\n" + diagnostics);
    Path jar = dir.resolve("example.jar");
    try (JarOutputStream j = new JarOutputStream(Files.newOutputStream(jar))) {
      j.putNextEntry(new JarEntry("META-INF/services/" + Policy.class.getName()));
      j.write((ex.className() + "\n").getBytes(StandardCharsets.UTF_8));
      List<Path> classes = new ArrayList<>();
      try (var walk = Files.walk(out)) {
        walk.filter(Files::isRegularFile).forEach(classes::add);
      }
      for (Path c : classes) {
        j.putNextEntry(new JarEntry(out.relativize(c).toString().replace('\\', '/')));
        j.write(Files.readAllBytes(c));
      }
    }
    return jar;
  }

  @Test
  void thePagesSchedulerCompilesAgainstTheSdkAloneAndSchedulesTheSimulatedKernel(@TempDir Path dir) throws Exception {
    Path jar = buildJar(dir);
    PolicyCatalog catalog = PolicyCatalog.load(List.of(jar));
    assertTrue(catalog.has("interactive-first"), "found in the jar by its derived name: " + catalog.names());
    assertTrue(catalog.names().containsAll(PolicyCatalog.builtIn().names()), "the shipped policies are still there");
    Policy p = catalog.create("interactive-first");
    assertEquals(List.of("slice_us", "hog_slice_us", "max_delay_us"),
        PolicySchema.of(p).parameters().stream().map(q -> q.name()).toList().subList(0, 3));
    PolicyTesting.configure(p, Map.of("slice_us", 1_000.0));

    SimMetrics m = new SimKernel(Workloads.named("mix", 3, 4, 2_000_000_000L), SimConfig.of(4)).runToCompletion(p);
    assertEquals(SimKernel.EXIT_DONE, m.exit().kind(), m.format());
    assertTrue(m.kernel().userDispatches() > 100, "the policy decided: " + m.kernel());
    assertEquals(0, m.kernel().fallbacks(), "it decided every task it was given");
  }

  @Test
  void aJarWithoutAServiceFileOrWithATakenNameIsRefusedByName(@TempDir Path dir) throws Exception {
    Path empty = dir.resolve("empty.jar");
    try (JarOutputStream j = new JarOutputStream(Files.newOutputStream(empty))) {
      j.putNextEntry(new JarEntry("README"));
    }
    IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> PolicyCatalog.load(List.of(empty)));
    assertTrue(e.getMessage().contains("empty.jar") && e.getMessage().contains("declares no policy"), e.getMessage());

    Path jar = buildJar(dir);
    e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> PolicyCatalog.load(List.of(jar, jar)));
    assertTrue(e.getMessage().contains("'interactive-first'") && e.getMessage().contains("already taken"), e.getMessage());

    e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> PolicyCatalog.load(List.of(dir.resolve("missing.jar"))));
    assertTrue(e.getMessage().contains("missing.jar: no such file"), e.getMessage());
  }
}
