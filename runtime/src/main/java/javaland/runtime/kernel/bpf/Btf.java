package javaland.runtime.kernel.bpf;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the BPF object's own BTF: where each global lives in its section, and how the wire
 * structs are laid out. This is how Java finds counters without hard-coding compiler layout,
 * and how a test proves the Java layouts still match the C header.
 */
public final class Btf {
  private static final int KIND_STRUCT = 4;
  private static final int KIND_DATASEC = 15;
  private static final int TYPE_HEADER = 12;
  private static final int ENTRY = 12;

  private final Libbpf lib;
  private final MemorySegment btf;

  Btf(Libbpf lib, MemorySegment btf) {
    this.lib = lib;
    this.btf = btf;
  }

  /** A named member (struct field or section variable): byte offset and, for variables, size. */
  public record Member(String name, long offset, long size) {}

  /** The members of {@code struct name}, in declaration order, with byte offsets. */
  public List<Member> structMembers(String name) {
    MemorySegment t = type(find(name, KIND_STRUCT, "struct"));
    int info = t.get(ValueLayout.JAVA_INT, 4);
    int vlen = info & 0xffff;
    boolean kflag = (info >>> 31) != 0;
    List<Member> out = new ArrayList<>(vlen);
    MemorySegment members = t.reinterpret(TYPE_HEADER + (long) ENTRY * vlen);
    for (int i = 0; i < vlen; i++) {
      long base = TYPE_HEADER + (long) ENTRY * i;
      int nameOff = members.get(ValueLayout.JAVA_INT, base);
      int bits = members.get(ValueLayout.JAVA_INT, base + 8);
      long bitOffset = kflag ? (bits & 0xffffff) : Integer.toUnsignedLong(bits);
      out.add(new Member(name(nameOff), bitOffset / 8, -1));
    }
    return out;
  }

  /** Total size in bytes of {@code struct name}. */
  public long structSize(String name) {
    return Integer.toUnsignedLong(type(find(name, KIND_STRUCT, "struct")).get(ValueLayout.JAVA_INT, 8));
  }

  /** Where variable {@code var} lives in data section {@code section} (".bss", ".data", ".rodata"). */
  public Member dataSecVar(String section, String var) {
    MemorySegment t = type(find(section, KIND_DATASEC, "section"));
    int vlen = t.get(ValueLayout.JAVA_INT, 4) & 0xffff;
    MemorySegment vars = t.reinterpret(TYPE_HEADER + (long) ENTRY * vlen);
    for (int i = 0; i < vlen; i++) {
      long base = TYPE_HEADER + (long) ENTRY * i;
      int typeId = vars.get(ValueLayout.JAVA_INT, base);
      MemorySegment varType = type(typeId);
      if (name(varType.get(ValueLayout.JAVA_INT, 0)).equals(var)) {
        return new Member(var, Integer.toUnsignedLong(vars.get(ValueLayout.JAVA_INT, base + 4)),
            Integer.toUnsignedLong(vars.get(ValueLayout.JAVA_INT, base + 8)));
      }
    }
    throw new IllegalArgumentException("no variable " + var + " in section " + section
        + " of the BPF object (was it renamed in bpf/javaland.bpf.c?)");
  }

  private int find(String name, int kind, String what) {
    try (Arena tmp = Arena.ofConfined()) {
      int id = (int) lib.btfFindByNameKind.invokeExact(btf, tmp.allocateFrom(name), kind);
      if (id < 0) throw new IllegalArgumentException("no " + what + " " + name + " in the BPF object's BTF");
      return id;
    } catch (RuntimeException e) {
      throw e;
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
  }

  private MemorySegment type(int id) {
    try {
      MemorySegment t = (MemorySegment) lib.btfTypeById.invokeExact(btf, id);
      return t.reinterpret(TYPE_HEADER);
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
  }

  private String name(int offset) {
    try {
      MemorySegment s = (MemorySegment) lib.btfNameByOffset.invokeExact(btf, offset);
      return s.address() == 0 ? "" : s.reinterpret(1024).getString(0);
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
  }
}
