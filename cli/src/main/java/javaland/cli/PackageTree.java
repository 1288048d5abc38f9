package javaland.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** The installed tree of a package tarball ({@code ./javaland package}), unpacked for the VM guest's root. */
final class PackageTree {
  private PackageTree() {}

  /** Unpacks {@code tarball} into {@code dir}, emptied first; returns {@code dir}. */
  static Path unpack(Path tarball, Path dir) throws IOException, InterruptedException {
    if (!Files.isRegularFile(tarball)) throw new IllegalArgumentException("--package " + tarball + " is not a file");
    if (Files.exists(dir)) {
      try (Stream<Path> s = Files.walk(dir)) {
        for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
      }
    }
    Files.createDirectories(dir);
    Process p = new ProcessBuilder("tar", "-C", dir.toString(), "-xzf", tarball.toString())
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (p.waitFor() != 0) throw new IOException("tar -xzf " + tarball + " failed: " + out.strip());
    if (!Files.isRegularFile(dir.resolve("usr/lib/systemd/system/javaland.service"))) {
      throw new IllegalArgumentException("--package " + tarball + " holds no usr/lib/systemd/system/javaland.service: not a javaland package");
    }
    return dir;
  }
}
