package javaland.models.registry;

import java.nio.file.Path;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A pointer at one model artifact, as a policy version's provenance names the model it was
 * warm-started from: the artifact's number and name in the registry it was read from, and the
 * SHA-256 of its bytes, which identifies it wherever a copy lives (the number is only unique
 * within one registry directory).
 *
 * @param id the artifact's number in {@code registry} ({@code artifacts/000003.bin})
 * @param name its name ({@code reward-model-deadline})
 * @param sha256 hex SHA-256 of its bytes: {@code sha256sum artifacts/000003.bin} prints it
 * @param registry the registry directory it was read from, as the reader saw it; "" if not known
 */
public record ArtifactRef(long id, String name, String sha256, String registry) {
  private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");

  public ArtifactRef {
    if (id < 1) throw new IllegalArgumentException("artifact id must be >= 1, got " + id);
    Objects.requireNonNull(name, "name");
    if (name.isBlank()) throw new IllegalArgumentException("artifact name must not be empty");
    if (sha256 == null || !HEX64.matcher(sha256).matches()) {
      throw new IllegalArgumentException("artifact sha256 must be 64 lower-case hex digits, got " + sha256);
    }
    registry = registry == null ? "" : registry;
  }

  /** {@code a} as found in the registry at {@code registry}. */
  public static ArtifactRef of(ModelArtifact a, Path registry) {
    return new ArtifactRef(a.id(), a.name(), a.sha256(), registry == null ? "" : registry.toString());
  }

  /** {@code artifact 3 'reward-model-deadline' sha256 ab12... in /var/lib/javaland} */
  public String describe() {
    return "artifact " + id + " '" + name + "' sha256 " + sha256 + (registry.isEmpty() ? "" : " in " + registry);
  }
}
