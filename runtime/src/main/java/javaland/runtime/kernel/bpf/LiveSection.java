package javaland.runtime.kernel.bpf;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;

/** A BPF global-data section mapped into Java; variables are found by name through BTF. */
public final class LiveSection {
  private final String name;
  private final MemorySegment mem;
  private final Btf btf;

  LiveSection(String name, MemorySegment mem, Btf btf) {
    this.name = name;
    this.mem = mem;
    this.btf = btf;
  }

  /** The live memory of global {@code var}, checked against the size Java expects. */
  public MemorySegment variable(String var, StructLayout expected) {
    return variable(var, expected.byteSize());
  }

  public MemorySegment variable(String var, long expectedSize) {
    Btf.Member m = btf.dataSecVar(name, var);
    if (m.size() != expectedSize) {
      throw new IllegalStateException("BPF global " + var + " in " + name + " is " + m.size()
          + " bytes, Java expects " + expectedSize + ": bpf/intf.h and Wire.java drifted");
    }
    return mem.asSlice(m.offset(), m.size());
  }
}
