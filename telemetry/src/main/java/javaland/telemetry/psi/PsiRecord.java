package javaland.telemetry.psi;

import java.nio.file.Path;
import java.util.Optional;

/**
 * A parsed pressure file. Either line may be absent: {@code irq} has only {@code full}, and
 * kernels before 5.13 print no {@code full} line for {@code cpu}.
 *
 * @param some null when the file has no {@code some} line
 * @param full null when the file has no {@code full} line
 */
public record PsiRecord(PsiResource resource, Path file, PsiStall some, PsiStall full) {
  public PsiRecord {
    if (some == null && full == null) {
      throw new IllegalArgumentException(file + ": a pressure record needs a some or a full line");
    }
  }

  public Optional<PsiStall> stall(PsiKind kind) {
    return Optional.ofNullable(kind == PsiKind.SOME ? some : full);
  }
}
