package javaland.testbed;

import java.util.Locale;
import java.util.Set;

/**
 * How qemu's software emulation (TCG) runs the guest's vCPUs.
 *
 * <p>With one host thread per vCPU ({@link #MULTI}), TCG has a race: a vCPU that translates kernel
 * code while another vCPU patches that code (the kernel rewrites its own text whenever a static
 * key flips, as sched_ext's do at every enable and disable) can keep a translation holding the
 * patch's temporary {@code int3}, which it executes after the kernel has stopped expecting it:
 * {@code Oops: int3} in scheduler code, a dead guest. With QEMU 7.2 (and 10.0 alike) a guest that
 * toggles {@code kernel.sched_schedstats} under load dies within a few hundred toggles this way;
 * with one host thread taking the vCPUs in turn ({@link #SINGLE}) it survived 2312 toggles in 240 s,
 * because then no translation can overlap a write. In the VM logs of 2026-11-26, 8 of 105
 * scheduler enables (each with its disable) crashed so, 3 of them in one CI run.
 *
 * <p>{@link #SINGLE} costs speed (both vCPUs share one host core) and timing: a vCPU waits while
 * the other runs, so runs outlive their slices, a user-space scheduler's round trips look far
 * worse than on hardware, and latencies are mostly the vCPUs' turns. Scenarios that measure
 * timing ({@link #TIMING_SCENARIOS}) therefore run with {@link #MULTI}, the others with
 * {@link #SINGLE}; {@link #AUTO} chooses so per scenario. The soak benchmark stays with
 * {@link #SINGLE}: it judges memory and survival over half an hour, not timing, and a boot that
 * long lost to the race would be the costliest to run again.
 */
public enum TcgThreads {
  AUTO, SINGLE, MULTI;

  /** Scenarios whose verdict or figures depend on vCPUs running in parallel, as on hardware. */
  public static final Set<String> TIMING_SCENARIOS = Set.of("bench", "rules", "fidelity", "autotune");

  /** The mode one scenario runs in: this one, or for {@link #AUTO} the scenario's own. */
  public TcgThreads forScenario(String scenario) {
    if (this != AUTO) return this;
    return TIMING_SCENARIOS.contains(scenario) ? MULTI : SINGLE;
  }

  /** qemu's {@code -accel} value. */
  public String qemuAccel() {
    if (this == AUTO) throw new IllegalStateException("AUTO is resolved per scenario first");
    return "tcg,thread=" + label();
  }

  /** auto, single or multi. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses auto, single or multi; anything else is an error naming the choices. */
  public static TcgThreads parse(String text) {
    for (TcgThreads t : values()) {
      if (t.label().equals(text.strip().toLowerCase(Locale.ROOT))) return t;
    }
    throw new IllegalArgumentException("--tcg: '" + text + "' is not one of auto, single, multi");
  }
}
