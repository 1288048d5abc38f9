package javaland.runtime.kernel.bpf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The Java mirrors in {@link Wire} must match bpf/intf.h exactly. The compiled scheduler's BTF
 * is the C side's word on it; opening the object needs no privilege and no sched_ext.
 */
class WireLayoutTest {
  @Test
  void everyMirroredStructMatchesTheCompiledObject() {
    try (BpfObject obj = BpfObject.open(Libbpf.get(), BpfObjects.scheduler())) {
      Btf btf = obj.btf();
      for (StructLayout layout : Wire.ALL) {
        String name = layout.name().orElseThrow();
        List<String> javaSide = new ArrayList<>();
        for (MemoryLayout m : layout.memberLayouts()) {
          if (m.name().isPresent()) {
            javaSide.add(m.name().get() + "@" + layout.byteOffset(MemoryLayout.PathElement.groupElement(m.name().get())));
          }
        }
        List<String> cSide = btf.structMembers(name).stream().map(m -> m.name() + "@" + m.offset()).toList();
        assertEquals(cSide, javaSide, "members and offsets of struct " + name);
        assertEquals(btf.structSize(name), layout.byteSize(), "size of struct " + name);
      }
    }
  }

  @Test
  void liveGlobalsAreWhereJavaLooksForThem() {
    try (BpfObject obj = BpfObject.open(Libbpf.get(), BpfObjects.scheduler())) {
      Btf btf = obj.btf();
      assertEquals(Wire.COUNTERS.byteSize(), btf.dataSecVar(".bss", "counters").size());
      assertEquals(Wire.EXIT_INFO.byteSize(), btf.dataSecVar(".bss", "exit_info").size());
      assertEquals(Wire.SCHED_DELAY.byteSize(), btf.dataSecVar(".bss", "sched_delay").size());
      assertEquals(8L * 16, btf.dataSecVar(".bss", "idle_mask").size());
      assertEquals(Wire.PARAMS.byteSize(), btf.dataSecVar(".data", "params").size());
      assertEquals(4, btf.dataSecVar(".rodata", "sched_tgid").size());
      assertEquals(Wire.TRACE_COUNTERS.byteSize(), btf.dataSecVar(".bss", "trace_counters").size());
      assertEquals(4, btf.dataSecVar(".rodata", "trace_enabled").size());
    }
  }

  @Test
  void aMissingGlobalIsNamedInTheError() {
    try (BpfObject obj = BpfObject.open(Libbpf.get(), BpfObjects.scheduler())) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> obj.btf().dataSecVar(".bss", "no_such_counter"));
      assertTrue(e.getMessage().contains("no_such_counter"), e.getMessage());
    }
  }

  @Test
  void aMissingObjectFileIsAClearError() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> BpfObject.open(Libbpf.get(), java.nio.file.Path.of("/nonexistent/x.bpf.o")));
    assertTrue(e.getMessage().contains("/nonexistent/x.bpf.o"), e.getMessage());
  }

  @Test
  void theLibbpfInUseSupportsStructOpsLinks() {
    String[] v = Libbpf.get().version().split("\\.");
    int major = Integer.parseInt(v[0]);
    int minor = Integer.parseInt(v[1]);
    assertTrue(major > 1 || minor >= 2, "libbpf " + Libbpf.get().version() + " from " + Libbpf.get().source());
  }
}
