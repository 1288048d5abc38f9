package javaland.models.registry;

import java.nio.file.Path;

/**
 * A registry file that could not be used, and why ("truncated: 112 of 230 bytes", "checksum
 * mismatch", "abandoned temporary file of an interrupted write"). The registry skips it and
 * serves the newest version that is intact.
 */
public record RegistryProblem(Path file, String what) {
  @Override
  public String toString() {
    return file + ": " + what;
  }
}
