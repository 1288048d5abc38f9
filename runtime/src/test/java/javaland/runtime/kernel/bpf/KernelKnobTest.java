package javaland.runtime.kernel.bpf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import javaland.runtime.kernel.KernelKnob;
import javaland.runtime.kernel.KernelParams;
import org.junit.jupiter.api.Test;

/**
 * Each kernel knob is declared once, in {@link KernelKnob}: the compiled BPF program must have its
 * field, and no value of its own that could disagree with the declaration.
 */
class KernelKnobTest {
  /**
   * Fields of struct jl_params that are the dispatch loop's own, or derived from a knob's
   * declaration (a decision's slice bounds, KernelKnob.DECISION_SLICE_*), not knobs.
   */
  private static final Set<String> LOOP_FIELDS = Set.of("dispatcher_tid", "java_sleeping", "pad", "slice_floor_ns", "slice_cap_ns");

  @Test
  void everyKnobHasItsFieldAndEveryFieldIsAKnobOrTheLoops() {
    try (BpfObject obj = BpfObject.open(Libbpf.get(), BpfObjects.scheduler())) {
      // BTF gives member offsets; a member's width is the distance to the next (jl_params has no padding)
      java.util.List<Btf.Member> members = obj.btf().structMembers("jl_params");
      Map<String, Long> c = new java.util.LinkedHashMap<>();
      for (int i = 0; i < members.size(); i++) {
        long end = i + 1 < members.size() ? members.get(i + 1).offset() : obj.btf().structSize("jl_params");
        c.put(members.get(i).name(), end - members.get(i).offset());
      }
      Set<String> knobs = new HashSet<>();
      for (KernelKnob k : KernelKnob.values()) {
        Long width = c.get(k.wireField());
        assertTrue(width != null, k + ": struct jl_params has no field " + k.wireField());
        assertEquals(Wire.size(Wire.PARAMS, k.wireField()), width, k + ": width of " + k.wireField());
        assertTrue(knobs.add(k.wireField()), k + ": field " + k.wireField() + " is taken by another knob");
      }
      for (String field : c.keySet()) {
        assertTrue(knobs.contains(field) || LOOP_FIELDS.contains(field),
            "struct jl_params." + field + " is neither a KernelKnob nor one of the loop's " + LOOP_FIELDS);
      }
    }
  }

  @Test
  void theProgramHasNoValuesOfItsOwnAndLoadsTheDeclaredOnes() {
    try (BpfObject obj = BpfObject.open(Libbpf.get(), BpfObjects.scheduler())) {
      MemorySegment initial = obj.initialVariable(".data", "params", Wire.PARAMS.byteSize());
      for (long i = 0; i < initial.byteSize(); i++) {
        assertEquals(0, initial.get(ValueLayout.JAVA_BYTE, i), "byte " + i + " of params: a default in the C source");
      }
      KernelParams p = KernelParams.parse(Map.of("kernel.slice_us", 700.0, "kernel.congestion_kb", 3.0,
          "kernel.idle_fastpath", 0.0));
      BpfKernel.writeKnobs(initial, p);
      assertEquals(700_000L, initial.get(ValueLayout.JAVA_LONG, Wire.off(Wire.PARAMS, "slice_ns")));
      assertEquals(100_000_000L, initial.get(ValueLayout.JAVA_LONG, Wire.off(Wire.PARAMS, "rescue_ns")));
      assertEquals(3072, initial.get(ValueLayout.JAVA_INT, Wire.off(Wire.PARAMS, "congestion_bytes")));
      assertEquals(0, initial.get(ValueLayout.JAVA_INT, Wire.off(Wire.PARAMS, "idle_fastpath")));
      assertEquals(1, initial.get(ValueLayout.JAVA_INT, Wire.off(Wire.PARAMS, "wakeup_preempt")));
      // a decision's slice bounds: 50 us .. 100 ms
      assertEquals(50_000L, initial.get(ValueLayout.JAVA_LONG, Wire.off(Wire.PARAMS, "slice_floor_ns")));
      assertEquals(100_000_000L, initial.get(ValueLayout.JAVA_LONG, Wire.off(Wire.PARAMS, "slice_cap_ns")));
    }
  }
}
