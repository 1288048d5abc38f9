package javaland.lab.experiment;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A validated spec of any kind ({@code kind:} at the top, see docs/experiments.md): a grid of
 * policies and parameters over workloads ({@link ExperimentSpec}, the default), a learner's
 * convergence against brute force ({@link LearnerSpec}), or a harmful parameter set published to
 * a running scheduler ({@link RollbackSpec}), or the VM's autotune phases on the simulated kernel
 * ({@link AutotuneSpec}).
 */
public sealed interface Spec permits ExperimentSpec, LearnerSpec, RollbackSpec, AutotuneSpec {
  /** The spec kinds, as written after {@code kind:}. */
  List<String> KINDS = List.of("grid", "learner", "rollback", "autotune");

  String name();

  String file();

  /** The spec as written, for the report. */
  String text();

  /** Where results go; null: {@code experiments-out/NAME} under the working directory. */
  Path output();

  /** Reads and validates a spec file of any kind; relative paths are resolved against its directory. */
  static Spec load(Path file) throws SpecException {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new SpecException(List.of(new SpecException.Problem(file.toString(), 1, "", "cannot read the spec: " + e.getMessage())));
    }
    return parse(text, file.toString(), file.toAbsolutePath().getParent());
  }

  static Spec parse(String text, String fileName, Path baseDir) throws SpecException {
    return new SpecParser(fileName, baseDir).parseAny(text);
  }
}
