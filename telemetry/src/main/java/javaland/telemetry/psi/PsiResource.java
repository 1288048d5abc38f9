package javaland.telemetry.psi;

import java.nio.file.Path;

/** A resource the kernel accounts pressure for (Pressure Stall Information). */
public enum PsiResource {
  CPU("cpu"),
  MEMORY("memory"),
  IO("io"),
  /** Time spent servicing interrupts; only {@code full}, and only with CONFIG_IRQ_TIME_ACCOUNTING (6.1+). */
  IRQ("irq");

  private final String label;

  PsiResource(String label) {
    this.label = label;
  }

  /** The lower-case name used in file names and as the metrics tag: cpu, memory, io, irq. */
  public String label() {
    return label;
  }

  /** The system-wide file: {@code /proc/pressure/<label>} under {@code dir}. */
  public Path systemFile(Path dir) {
    return dir.resolve(label);
  }

  /** A cgroup v2 directory's file: {@code <dir>/<label>.pressure}. */
  public Path cgroupFile(Path cgroupDir) {
    return cgroupDir.resolve(label + ".pressure");
  }
}
