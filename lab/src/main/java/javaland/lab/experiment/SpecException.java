package javaland.lab.experiment;

import java.util.List;

/**
 * An experiment spec that cannot run: every problem found, each naming the file, the line and
 * the key, e.g. {@code spec.yaml:12: policies[0].deadline.slice_max_us: 99999999 is out of range
 * 100..100000 us}.
 */
public final class SpecException extends Exception {
  private static final long serialVersionUID = 1L;

  /** One problem: {@code key} is the path to the value ("workloads[1].duration"), line is 1-based. */
  public record Problem(String file, int line, String key, String message) {
    @Override
    public String toString() {
      return file + ":" + line + ": " + (key.isEmpty() ? "" : key + ": ") + message;
    }
  }

  private final transient List<Problem> problems;

  public SpecException(List<Problem> problems) {
    super(format(problems));
    this.problems = List.copyOf(problems);
  }

  public List<Problem> problems() {
    return problems;
  }

  private static String format(List<Problem> problems) {
    if (problems.size() == 1) return "invalid experiment spec: " + problems.get(0);
    StringBuilder s = new StringBuilder("invalid experiment spec (" + problems.size() + " problems):");
    for (Problem p : problems) s.append("\n  ").append(p);
    return s.toString();
  }
}
