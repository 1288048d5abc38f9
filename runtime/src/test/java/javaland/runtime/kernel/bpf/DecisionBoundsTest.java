package javaland.runtime.kernel.bpf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;
import javaland.runtime.kernel.KernelKnob;
import javaland.runtime.kernel.KernelParams;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The scheduler's own bounds on a decision (bpf/bounds.h, as apply_decision calls them), run by
 * a real kernel's BPF without sched_ext (bpf/test/wire_test.bpf.c's {@code bound_decision}), with
 * the parameters Java writes: what it corrects and counts, and that the simulated kernel's
 * mirror ({@link KernelKnob#decisionSlice}) agrees on every slice.
 */
class DecisionBoundsTest {
  private static final long MS = 1_000_000L;
  private BpfObject obj;
  private final Arena arena = Arena.ofConfined();
  private MemorySegment counters;

  @AfterEach
  void close() {
    if (obj != null) obj.close();
    arena.close();
  }

  private void load() {
    assumeTrue(BpfObjects.root(), "loading BPF programs needs root (CI runs as root)");
    obj = BpfObject.open(Libbpf.get(), BpfObjects.wireTest());
    obj.load();
    LiveSection bss = obj.liveSection(".bss");
    BpfKernel.writeKnobs(bss.variable("bounds_params", Wire.PARAMS), KernelParams.defaults());
    counters = bss.variable("bounds_counters", Wire.COUNTERS);
  }

  /** {slice, deadline} as BPF bounds them. */
  private long[] bound(long sliceNs, long deadline, long enqNs) {
    MemorySegment c = arena.allocate(24, 8);
    c.set(ValueLayout.JAVA_LONG, 0, sliceNs);
    c.set(ValueLayout.JAVA_LONG, 8, deadline);
    c.set(ValueLayout.JAVA_LONG, 16, enqNs);
    assertEquals(0, obj.testRun("bound_decision", c));
    return new long[] {c.get(ValueLayout.JAVA_LONG, 0), c.get(ValueLayout.JAVA_LONG, 8)};
  }

  private long counter(String name) {
    return counters.get(ValueLayout.JAVA_LONG, Wire.off(Wire.COUNTERS, name));
  }

  @Test
  void slicesAndDeadlinesOutOfBoundsAreHeldToThemAndCounted() {
    load();
    long enq = 10_000 * MS;
    long rescue = KernelParams.defaults().get(KernelKnob.RESCUE); // 100 ms
    long[] r = bound(3 * MS, enq + 5 * MS, enq);
    assertEquals(3 * MS, r[0], "in range: kept");
    assertEquals(enq + 5 * MS, r[1]);
    assertEquals(0, counter("slice_clamped"));
    assertEquals(0, counter("deadline_clamped"));

    assertEquals(5 * MS, bound(0, enq, enq)[0], "0: the kernel's slice (kernel.slice_us), not a correction");
    assertEquals(0, counter("slice_clamped"));

    r = bound(1, Long.MAX_VALUE, enq);
    assertEquals(KernelKnob.DECISION_SLICE_MIN_NS, r[0]);
    assertEquals(enq + 1_000 * MS, r[1], "a deadline at the end of time: 1 s after the enqueue");
    r = bound(60_000 * MS, 0, enq);
    assertEquals(KernelKnob.DECISION_SLICE_MAX_NS, r[0]);
    assertEquals(enq - rescue, r[1], "a deadline far in the past: rescue_ms before the enqueue");
    r = bound(-1, -1, enq); // u64 2^64-1: not negative in BPF
    assertEquals(KernelKnob.DECISION_SLICE_MAX_NS, r[0]);
    assertEquals(enq + 1_000 * MS, r[1]);
    assertEquals(3, counter("slice_clamped"));
    assertEquals(3, counter("deadline_clamped"));
  }

  @Test
  void theSimulatedKernelHoldsEverySliceAsBpfDoes() {
    load();
    SplittableRandom rnd = new SplittableRandom(15);
    long kernelSlice = KernelParams.defaults().get(KernelKnob.SLICE);
    long clamped = 0;
    for (int i = 0; i < 2_000; i++) {
      long slice = switch (i % 4) {
        case 0 -> rnd.nextLong(); // any u64
        case 1 -> rnd.nextLong(0, 200_000); // around the floor
        case 2 -> rnd.nextLong(90 * MS, 110 * MS); // around the cap
        default -> i % 8 == 3 ? 0 : rnd.nextLong(0, 2 * KernelKnob.DECISION_SLICE_MAX_NS);
      };
      long want = KernelKnob.decisionSlice(slice, kernelSlice);
      if (slice != 0 && want != slice) clamped++;
      assertEquals(want, bound(slice, 0, 0)[0], "slice " + Long.toUnsignedString(slice));
    }
    assertEquals(clamped, counter("slice_clamped"));
  }
}
