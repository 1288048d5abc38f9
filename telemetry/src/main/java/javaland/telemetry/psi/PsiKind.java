package javaland.telemetry.psi;

/**
 * The two lines of a pressure file. {@code some}: at least one task was stalled on the resource;
 * {@code full}: every non-idle task was stalled at once (no productive work at all).
 */
public enum PsiKind {
  SOME("some"),
  FULL("full");

  private final String label;

  PsiKind(String label) {
    this.label = label;
  }

  /** As written in the file and in trigger specs: some, full. */
  public String label() {
    return label;
  }
}
