package javaland.runtime.kernel.bpf;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;

/** Where the build put the compiled BPF objects (main and test). */
final class BpfObjects {
  private BpfObjects() {}

  static Path scheduler() {
    return resource("/javaland/bpf/javaland.bpf.o");
  }

  static Path wireTest() {
    return resource("/javaland/bpf/wire_test.bpf.o");
  }

  private static Path resource(String name) {
    URL u = BpfObjects.class.getResource(name);
    if (u == null) throw new AssertionError(name + " was not built (bpf/build.sh runs in generate-resources)");
    try {
      return Path.of(u.toURI());
    } catch (URISyntaxException e) {
      throw new AssertionError(e);
    }
  }

  static boolean root() {
    return "root".equals(System.getProperty("user.name"));
  }
}
