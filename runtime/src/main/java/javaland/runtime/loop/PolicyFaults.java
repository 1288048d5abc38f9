package javaland.runtime.loop;

import java.util.List;

/**
 * What the dispatch loop contained of a policy's misbehaviour, so far: batches in which it threw,
 * batches it took longer than {@code kernel.rescue_ms} over (their decisions come after the
 * kernel's rescue, cancelled), and tasks it left undecided (rescued by the kernel).
 */
public record PolicyFaults(long threw, long overran, long undecided) {
  /** The kinds, as metrics and reports name them. */
  public static final List<String> KINDS = List.of("threw", "overran", "undecided");

  public static final PolicyFaults NONE = new PolicyFaults(0, 0, 0);

  public long get(String kind) {
    return switch (kind) {
      case "threw" -> threw;
      case "overran" -> overran;
      case "undecided" -> undecided;
      default -> throw new IllegalArgumentException("no policy fault kind '" + kind + "'; kinds: " + KINDS);
    };
  }

  public long total() {
    return threw + overran + undecided;
  }
}
